"""Desk memory's demo (issue 13): a second article in which the council leader repeats,
in other words, the first article's published claim that the barrier "will pay for
itself within ten years". Selecting that sentence and adding a claim shows the earlier
one under Checked before with its verdict (Misleading); confirming it adds the second
article to the published ClaimReview's appearances; searching "barrier" finds both.

Idempotent: the article is imported once (content hash), and no claim is made on it, so
the reviewer makes the demo's point by hand.
"""

from datetime import date
from pathlib import Path

from annotate import services
from annotate.extract import from_text
from annotate.models import Article
from annotate.textclean import content_hash

FOLLOW_UP = Path(__file__).resolve().parent / "riverside-followup.txt"
TITLE = "Brandt repeats barrier promise at harbour meeting"
REPEATED = "the barrier would earn back its cost within ten years because it prevents flood damage"


def seed(project, users):
    """The follow-up article in `project` (imported by the reviewer); returns it."""
    extracted = from_text(FOLLOW_UP.read_text(encoding="utf-8"))
    extracted.title = TITLE
    extracted.publisher = "Lune Valley Gazette"
    extracted.author = "Jonas Feld"
    extracted.published = date(2026, 4, 2)
    existing = Article.objects.filter(project=project, content_hash=content_hash(extracted.body)).first()
    return existing or services.import_article(project, users["reviewer"], extracted)
