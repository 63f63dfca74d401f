"""The claim panel's "changed in revision" block and the settled-claim rule on the pages (issue 18, items 1-3)."""

import pytest
from django.urls import reverse

from annotate import services
from annotate.extract import Extracted
from annotate.forms.articles import sign_body
from annotate.models import Article, Claim, HistoryEntry, Span, Status
from tests.conftest import ARTICLE_BODY, HX, make_claim, rating

pytestmark = pytest.mark.django_db

QUOTE = "the barrier cost 41 million euros"
NEW_BODY = ARTICLE_BODY.replace("41 million", "14 million")


def publish(cast, claim):
    claim.refresh_from_db()
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), "It cost 52 million.")
    return services.publish(claim, cast.bob, claim.version)


def revise(cast, body=NEW_BODY):
    return services.revise_article(Article.objects.get(pk=cast.article.pk), cast.bob, Extracted(title="", body=body))


@pytest.fixture
def changed(cast):
    claim = make_claim(cast.article, QUOTE, cast.alice)
    revise(cast)
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def changed_published(cast):
    claim = publish(cast, make_claim(cast.article, QUOTE, cast.alice))
    revise(cast)
    return Claim.objects.get(pk=claim.pk)


def test_the_panel_shows_old_and_new_wording_side_by_side_with_three_ways_out(client, cast, changed):
    client.force_login(cast.alice)
    html = client.get(reverse("claim-detail", args=[changed.pk])).content.decode()
    assert "Changed in revision 2" in html and "a number changed" in html
    assert f"<bdi>{QUOTE}</bdi>" in html and "<bdi>the barrier cost 14 million euros</bdi>" in html
    assert reverse("claim-accept-wording", args=[changed.pk]) in html
    assert reverse("claim-orphan", args=[changed.pk]) in html
    assert 'id="replace-button"' in html and 'name="revision" value="2"' in html
    assert "Needs re-placing" not in html.split('id="claim-detail"')[1]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain-form", "htmx"])
def test_accepting_the_new_wording_from_the_panel(client, cast, changed, htmx):
    client.force_login(cast.alice)
    response = client.post(reverse("claim-accept-wording", args=[changed.pk]), {"version": changed.version, "text": ""},
                           headers=HX if htmx else {})
    claim = Claim.objects.select_related("span").get(pk=changed.pk)
    assert claim.span.quote == "the barrier cost 14 million euros" and not claim.span.orphaned
    assert claim.text == "the barrier cost 14 million euros"
    if htmx:
        assert response.status_code == 200 and "claims-changed" in response["HX-Trigger"]
        assert "accepted the new wording" in response.content.decode()
    else:
        assert response.status_code == 302 and response.url == reverse("claim-detail", args=[changed.pk])


@pytest.mark.parametrize("htmx", [False, True], ids=["plain-form", "htmx"])
def test_orphaning_from_the_panel(client, cast, changed, htmx):
    client.force_login(cast.alice)
    response = client.post(reverse("claim-orphan", args=[changed.pk]), {"version": changed.version}, headers=HX if htmx else {})
    assert response.status_code == (200 if htmx else 302)
    span = Span.objects.get(pk=changed.span_id)
    assert span.anchor_method == "orphaned" and span.quote == QUOTE


def test_a_stale_version_is_a_409_and_changes_nothing(client, cast, changed):
    client.force_login(cast.alice)
    response = client.post(reverse("claim-accept-wording", args=[changed.pk]), {"version": changed.version + 5}, headers=HX)
    assert response.status_code == 409 and "Someone else changed this" in response.content.decode()
    assert Span.objects.get(pk=changed.span_id).quote == QUOTE


def test_a_missing_version_is_a_422(client, cast, changed):
    client.force_login(cast.alice)
    response = client.post(reverse("claim-orphan", args=[changed.pk]), {}, headers=HX)
    assert response.status_code == 422 and "missing the claim" in response.content.decode()


def test_on_a_published_claim_a_reviewer_sees_the_block_without_actions_and_gets_403(client, cast, changed_published):
    claim = changed_published
    client.force_login(cast.alice)
    html = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert "Changed in revision" in html and "only an editor can re-place it" in html
    assert reverse("claim-accept-wording", args=[claim.pk]) not in html
    for name, data in (("claim-accept-wording", {"version": claim.version}), ("claim-orphan", {"version": claim.version})):
        response = client.post(reverse(name, args=[claim.pk]), data)
        assert response.status_code == 403 and "only an editor" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Status.PUBLISHED
    client.force_login(cast.bob)
    response = client.post(reverse("claim-accept-wording", args=[claim.pk]), {"version": claim.version})
    assert response.status_code == 302
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status == Status.OPEN and claim.text == "the barrier cost 14 million euros"


@pytest.fixture
def published(cast):
    return publish(cast, make_claim(cast.article, QUOTE, cast.alice))


def test_a_reviewer_cannot_edit_or_replace_a_published_claim_and_an_editor_can(client, cast, published):
    start = ARTICLE_BODY.index("protects 12,000 homes")
    selection = {"start": start, "end": start + 21, "quote": "protects 12,000 homes"}
    edit = {"text": "Changed by a reviewer", "claimant": "", "version": published.version}
    client.force_login(cast.alice)
    html = client.get(reverse("claim-detail", args=[published.pk])).content.decode()
    assert "Only an editor can change them" in html and 'id="edit-form"' not in html
    for name, data in (("claim-edit", edit), ("claim-replace", selection)):
        response = client.post(reverse(name, args=[published.pk]), data)
        assert response.status_code == 403 and "only an editor can change them" in response.content.decode()
    claim = Claim.objects.select_related("span").get(pk=published.pk)
    assert (claim.text, claim.span.quote, claim.version) == (QUOTE, QUOTE, published.version)
    client.force_login(cast.bob)
    assert client.post(reverse("claim-edit", args=[published.pk]), edit).status_code == 302
    assert Claim.objects.get(pk=published.pk).text == "Changed by a reviewer"


def _import_revision(client, cast, body):
    return client.post(f"/p/{cast.project.slug}/import/", {
        "step": "save", "title": "Tidal barrier opens", "body": body, "revises": cast.article.pk,
        "signature": sign_body(cast.project, client.user, body),
    })


@pytest.mark.parametrize("user, expected", [("alice", 403), ("bob", 302)])
def test_revising_an_article_with_a_published_claim_takes_an_editor(client, cast, published, user, expected):
    client.user = getattr(cast, user)
    client.force_login(client.user)
    response = _import_revision(client, cast, NEW_BODY)
    assert response.status_code == expected
    article = Article.objects.get(pk=cast.article.pk)
    assert article.revision == (1 if expected == 403 else 2)
    if expected == 403:
        assert "only an editor can store a new version" in response.content.decode()
        # Said at the preview already, before the metadata step.
        preview = client.post(f"/p/{cast.project.slug}/import/", {"text": NEW_BODY, "revises": cast.article.pk})
        assert preview.status_code == 403


def test_a_reviewer_may_still_revise_an_article_without_settled_claims(client, cast):
    make_claim(cast.article, QUOTE, cast.alice)
    client.user = cast.alice
    client.force_login(cast.alice)
    response = _import_revision(client, cast, NEW_BODY)
    assert response.status_code == 302
    message = [str(m) for m in response.wsgi_request._messages][0]
    assert "1 changed in revision" in message


def test_a_selection_made_on_an_old_revision_is_refused_on_the_page(client, cast):
    revise(cast, "Update.\n\n" + ARTICLE_BODY)
    body = Article.objects.get(pk=cast.article.pk).body
    start = body.index("protects 12,000 homes")
    client.force_login(cast.alice)
    data = {"start": start, "end": start + 21, "quote": "protects 12,000 homes", "revision": 1}
    for headers in ({}, HX):
        response = client.post(reverse("claim-add", args=[cast.article.pk]), data, headers=headers)
        assert response.status_code == 409
        assert "The article was revised while you had it open" in response.content.decode()
    assert not Claim.objects.exists()
    data["revision"] = 2
    assert client.post(reverse("claim-add", args=[cast.article.pk]), data).status_code == 302
    assert Span.objects.get().revision == 2


def test_the_review_page_sends_the_revision_it_shows(client, cast):
    revise(cast, "Update.\n\n" + ARTICLE_BODY)
    client.force_login(cast.alice)
    html = client.get(reverse("review", args=[cast.article.pk])).content.decode()
    form = html.split('id="add-claim-form"')[1].split("</form>")[0]
    assert '<input type="hidden" name="revision" value="2">' in form


def test_the_history_tells_of_moves_flags_and_acceptance(client, cast, changed):
    client.force_login(cast.alice)
    client.post(reverse("claim-accept-wording", args=[changed.pk]), {"version": changed.version})
    html = client.get(reverse("claim-detail", args=[changed.pk])).content.decode()
    assert "changed the quoted words from" in html and "the claim was not moved" in html
    assert "accepted the new wording" in html
    assert set(HistoryEntry.objects.filter(claim=changed).values_list("action", flat=True)) >= {"span_changed", "wording_accepted"}
