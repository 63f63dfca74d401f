"""Demo sources (issue 15): snapshots made from pages shipped in the repo, no network.

The first demo claim's source holds its excerpt (found, highlighted in the snapshot); the
second's page does not say what its excerpt claims (not found: the editor queue marks it).
Idempotent: a source that already has a snapshot is left alone.
"""

from pathlib import Path

from annotate import netfetch, snapshots
from annotate.models import Snapshot, Source

PAGES = Path(__file__).resolve().parent / "sources"
# source URL in seed_demo's CLAIMS -> page shipped here
SHIPPED = {
    "https://example.org/riverside/flood-damage-2016-2025": "flood-damage-2016-2025.html",
    "https://example.org/riverside/council-minutes-2019-06": "council-minutes-2019-06.html",
}


def seed(project, users, article):
    for url, filename in SHIPPED.items():
        source = Source.objects.filter(project=project, url=url).first()
        if source is None or Snapshot.objects.filter(source=source).exists():
            continue
        page = netfetch.Fetched(url=url, status=200, content_type="text/html; charset=utf-8", data=(PAGES / filename).read_bytes())
        snapshots.record_page(source, page, users.get("reviewer"))
