"""Archive a copy through Save Page Now (the savepagenow client) against a local fake endpoint.

savepagenow's endpoint is https://web.archive.org/save/; the test points the client's request
at a local server that answers as Save Page Now does (Content-Location of the capture, or
its error header), so all of the client's response handling runs for real. Off by default.
"""

from http.server import BaseHTTPRequestHandler

import pytest
import savepagenow.api
from django.urls import reverse

from annotate import services
from annotate.models import HistoryEntry, Source
from tests.conftest import HX
from tests.localserver import serve

pytestmark = pytest.mark.django_db

CAPTURE = "/web/20260102030405/{url}"


class _SavePageNow(BaseHTTPRequestHandler):
    requests = []

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        _SavePageNow.requests.append((self.path, self.headers.get("User-Agent", "")))
        target = self.path.removeprefix("/save/")
        self.send_response(200)
        if "blocked" in target:
            self.send_header("X-Archive-Wayback-Runtime-Error", "RobotAccessControlException: Blocked By Robots")
        else:
            self.send_header("Content-Location", CAPTURE.format(url=target))
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def save_page_now(monkeypatch, settings):
    with serve(_SavePageNow) as port:
        endpoint = f"http://127.0.0.1:{port}/save/"
        real_urljoin = savepagenow.api.urljoin
        monkeypatch.setattr(savepagenow.api, "urljoin", lambda base, path: endpoint if path == "/save/" else real_urljoin(base, path))
        settings.FACTMARK_ARCHIVE_ENABLED = True
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        _SavePageNow.requests = []
        yield _SavePageNow.requests


@pytest.fixture
def source(cast, claim):
    services.add_evidence(claim, cast.alice, url="https://news.example/audit", stance="supports")
    return Source.objects.get()


def test_archiving_is_off_by_default():
    from django.conf import settings

    assert settings.FACTMARK_ARCHIVE_ENABLED is False


def test_a_reviewer_asks_for_an_archive_copy_and_the_source_links_it(client, cast, claim, source, save_page_now):
    client.force_login(cast.alice)
    html = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert "Archive a copy" in html
    response = client.post(reverse("source-archive", args=[claim.pk, source.pk]), headers=HX)
    assert response.status_code == 200
    assert [path for path, _ in save_page_now] == ["/save/https://news.example/audit"]
    assert "Factmark" in save_page_now[0][1]
    source.refresh_from_db()
    expected = "https://web.archive.org" + CAPTURE.format(url="https://news.example/audit")
    assert source.archived_url == expected and source.archive_error == ""
    assert HistoryEntry.objects.get(claim=claim, action="source_archived").changes["archived_url"] == expected
    assert f'href="{expected}"' in response.content.decode()


def test_an_archive_refusal_is_reported_and_changes_no_link(client, cast, claim, save_page_now):
    services.add_evidence(claim, cast.alice, url="https://blocked.example/page", stance="context")
    source = Source.objects.get()
    client.force_login(cast.alice)
    client.post(reverse("source-archive", args=[claim.pk, source.pk]), headers=HX)
    source.refresh_from_db()
    assert source.archived_url == ""
    assert source.archive_error == "The Internet Archive did not archive the page: BlockedByRobots."


def test_the_public_page_links_the_archived_copy_beside_the_live_one(client, cast, claim, source):
    from tests.conftest import rating

    archived = "https://web.archive.org/web/2026/https://news.example/audit"
    Source.objects.filter(pk=source.pk).update(archived_url=archived)
    services.save_verdict(claim, cast.alice, rating(cast.project, "False"), "Wrong.")
    claim.refresh_from_db()
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), "Settled.")
    services.publish(claim, cast.bob, claim.version)
    client.logout()
    html = client.get(reverse("public-article", args=[cast.project.slug, cast.article.pk])).content.decode()
    assert 'href="https://news.example/audit"' in html and f'href="{archived}"' in html
