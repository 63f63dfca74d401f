"""Snapshot on attach, excerpt verification, fetch failures that never lose evidence, the snapshot page.

Every fetch goes to the local server of tests/sources/conftest.py; tasks run immediately
(after the attach commits, as in production).
"""

import hashlib

import pytest
from django.urls import reverse

from annotate.models import Evidence, HistoryEntry, Snapshot, Source
from tests.conftest import HX
from tests.sources.conftest import SOURCE_PAGE

pytestmark = pytest.mark.django_db

EXCERPT = "the barrier cost 41 million euros, four million more than planned"


def attach(client, claim, capture, htmx=True, **data):
    data.setdefault("stance", "supports")
    with capture(execute=True):
        return client.post(reverse("evidence-add", args=[claim.pk]), data, headers=HX if htmx else {})


def test_attaching_a_source_snapshots_its_page_and_finds_the_excerpt(client, cast, claim, site, django_capture_on_commit_callbacks):
    client.force_login(cast.alice)
    response = attach(client, claim, django_capture_on_commit_callbacks, url=f"{site.base}/audit", excerpt=EXCERPT)
    assert response.status_code == 200
    evidence = Evidence.objects.select_related("source", "verified_snapshot").get()
    snapshot = evidence.verified_snapshot
    assert snapshot.sha256 == hashlib.sha256(SOURCE_PAGE.encode()).hexdigest()
    assert (snapshot.http_status, snapshot.final_url) == (200, f"{site.base}/audit")
    assert "three years after the date first announced" in snapshot.text
    assert "<p>" not in snapshot.text and "Contact us" not in snapshot.text
    # The page's own title, publisher and date fill the source's empty fields.
    source = evidence.source
    assert (source.title, source.publisher, str(source.published_on)) == ("Barrier audit", "Harbour Courier", "2024-05-02")
    assert (source.check_state, source.check_status, source.checked_at is not None) == ("ok", 200, True)
    assert evidence.verification == "found"
    assert snapshot.text[evidence.match_start : evidence.match_end] == EXCERPT
    history = HistoryEntry.objects.filter(claim=claim, action="source_excerpt_checked").get()
    assert history.changes["verification"] == ["unchecked", "found"]


def test_a_title_the_reviewer_typed_is_kept(client, cast, claim, site, django_capture_on_commit_callbacks):
    client.force_login(cast.alice)
    attach(client, claim, django_capture_on_commit_callbacks, url=f"{site.base}/audit", title="Audit report", excerpt=EXCERPT)
    source = Source.objects.get()
    assert (source.title, source.publisher) == ("Audit report", "Harbour Courier")


def test_an_excerpt_not_on_the_page_is_flagged_and_a_near_one_is_a_close_match(client, cast, claim, site, django_capture_on_commit_callbacks):
    from tests.conftest import make_claim

    client.force_login(cast.alice)
    attach(client, claim, django_capture_on_commit_callbacks, url=f"{site.base}/audit", excerpt="Ferries will be free for pensioners from May")
    other = make_claim(cast.article, "the mayor denies", cast.alice)
    attach(client, other, django_capture_on_commit_callbacks, url=f"{site.base}/audit", excerpt="the barrier cost 14 million euros, four million more than planned")
    missing, close = Evidence.objects.order_by("id")
    assert missing.verification == "not_found"
    assert close.verification == "close" and close.match_score >= 85
    assert close.matched_text == EXCERPT
    # The panel shows the states and the difference.
    html = client.get(reverse("claim-detail", args=[other.pk]), headers=HX).content.decode()
    assert "Close match" in html and "<del title=\"in the excerpt only\">14</del>" in html and "<ins title=\"on the page only\">41</ins>" in html
    html = client.get(reverse("claim-detail", args=[claim.pk]), headers=HX).content.decode()
    assert "Excerpt not found on the page" in html
    # The known source is fetched once: the second attach only verified its excerpt.
    assert Snapshot.objects.count() == 1 and site.hits.count("/audit") == 1


@pytest.mark.parametrize(
    ("path", "message", "state"),
    [
        pytest.param("/to-loopback", "127.0.0.1 is a local or private address", "failed", id="redirect-to-loopback"),
        pytest.param("/slow", "did not answer within 4 seconds", "failed", id="slow"),
        pytest.param("/huge", "The page is 60.1 kB; the limit is 50 kB.", "failed", id="huge"),
        pytest.param("/gzip-bomb", "compressed (gzip)", "failed", id="gzip-bomb"),
        pytest.param("/image", "image/png file, not a web page", "failed", id="not-text"),
        pytest.param("/missing", "The server answered 404", "gone", id="404"),
    ],
)
def test_a_fetch_failure_keeps_the_evidence_and_says_why(client, cast, claim, site, django_capture_on_commit_callbacks, path, message, state):
    client.force_login(cast.alice)
    response = attach(client, claim, django_capture_on_commit_callbacks, url=f"{site.base}{path}", excerpt="What the reviewer typed.", note="My note")
    assert response.status_code == 200
    evidence = Evidence.objects.select_related("source").get()
    assert (evidence.excerpt, evidence.note, evidence.verification) == ("What the reviewer typed.", "My note", "unchecked")
    assert evidence.source.check_state == state
    assert message in evidence.source.check_error
    assert not Snapshot.objects.exists()
    if path == "/to-loopback":
        assert "/audit" not in site.hits  # the redirect target was never contacted


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        pytest.param({"url": "javascript:alert(1)"}, "Enter a web address starting with http", id="javascript-url"),
        pytest.param({"url": "https://news.example/a", "archived_url": "ftp://archive.example/a"}, "Enter a web address starting with http", id="bad-archive-url"),
        pytest.param({"url": "https://news.example/a", "published_on": "2024-13-45"}, "Enter a valid date", id="bad-date"),
    ],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(client, cast, claim, site, django_capture_on_commit_callbacks, data, field_error):
    client.force_login(cast.alice)
    response = attach(client, claim, django_capture_on_commit_callbacks, excerpt="Kept excerpt", **data)
    assert response.status_code == 422
    html = response.content.decode()
    assert field_error in html and "Kept excerpt" in html
    assert not Source.objects.exists() and not Evidence.objects.exists() and not Snapshot.objects.exists()
    assert site.hits == []


def test_the_archived_url_and_date_typed_in_the_form_are_stored(client, cast, claim, site, django_capture_on_commit_callbacks):
    client.force_login(cast.alice)
    archived = "https://web.archive.org/web/20240502000000/https://news.example/a"
    attach(client, claim, django_capture_on_commit_callbacks, htmx=False, url=f"{site.base}/plain", archived_url=archived, published_on="2024-05-01")
    source = Source.objects.get()
    assert (source.archived_url, str(source.published_on)) == (archived, "2024-05-01")
    html = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert f'href="{archived}"' in html


def test_the_snapshot_page_shows_text_with_the_match_highlighted(client, cast, claim, site, django_capture_on_commit_callbacks):
    SITE_PAGE = SOURCE_PAGE.replace("four million more", "four million <b>more</b> &lt;script&gt;")
    site.pages["/audit"] = (200, "text/html; charset=utf-8", SITE_PAGE.encode())
    client.force_login(cast.alice)
    attach(client, claim, django_capture_on_commit_callbacks, url=f"{site.base}/audit", excerpt="the barrier cost 41 million euros")
    evidence = Evidence.objects.get()
    url = reverse("evidence-snapshot", args=[claim.pk, evidence.pk])
    html = client.get(url).content.decode()
    assert '<mark id="excerpt-match">the barrier cost 41 million euros</mark>' in html
    assert "&lt;script&gt;" in html and "<b>more</b>" not in html  # text, never the page's HTML
    assert hashlib.sha256(SITE_PAGE.encode()).hexdigest() in html
    # Members only: an outsider gets 404, as for the claim.
    client.force_login(cast.carol)
    assert client.get(url).status_code == 404


def test_recheck_from_the_panel_is_for_members_and_sources_of_the_claim(client, cast, claim, site, django_capture_on_commit_callbacks):
    client.force_login(cast.alice)
    attach(client, claim, django_capture_on_commit_callbacks, url=f"{site.base}/audit", excerpt=EXCERPT)
    source = Source.objects.get()
    url = reverse("source-recheck", args=[claim.pk, source.pk])
    client.force_login(cast.carol)
    assert client.post(url, headers=HX).status_code == 404
    foreign = Source.objects.create(project=cast.project, url="https://other.example/")
    client.force_login(cast.erin)
    assert client.post(reverse("source-recheck", args=[claim.pk, foreign.pk]), headers=HX).status_code == 404
    hits = site.hits.count("/audit")
    response = client.post(url)  # a plain form: back to the claim
    assert response.status_code == 302 and response.url == reverse("claim-detail", args=[claim.pk])
    assert site.hits.count("/audit") == hits + 1
    assert Snapshot.objects.count() == 1  # same bytes: no new snapshot


def test_archive_requests_are_refused_while_archiving_is_off(client, cast, claim, site, django_capture_on_commit_callbacks):
    client.force_login(cast.alice)
    attach(client, claim, django_capture_on_commit_callbacks, url=f"{site.base}/audit", excerpt=EXCERPT)
    source = Source.objects.get()
    assert "Archive a copy" not in client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    response = client.post(reverse("source-archive", args=[claim.pk, source.pk]), headers=HX)
    assert response.status_code == 409
    source.refresh_from_db()
    assert source.archived_url == "" and source.archive_requested_at is None


def test_the_editor_queue_marks_claims_with_unverified_excerpts(client, cast, claim, site, django_capture_on_commit_callbacks):
    from annotate import services
    from tests.conftest import rating

    client.force_login(cast.alice)
    attach(client, claim, django_capture_on_commit_callbacks, url=f"{site.base}/audit", excerpt="Not what the audit said at all, anywhere.")
    services.save_verdict(claim, cast.alice, rating(cast.project, "False"), "Wrong.", version=0)
    client.force_login(cast.bob)
    html = client.get(reverse("editor-queue", args=[cast.project.slug])).content.decode()
    assert "1 source to check" in html
    Evidence.objects.update(verification="found")
    html = client.get(reverse("editor-queue", args=[cast.project.slug])).content.decode()
    assert "source to check" not in html
