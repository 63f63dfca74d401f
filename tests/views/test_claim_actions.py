"""The claim panel's POST endpoints: edit, verdict, evidence, comments. Plain POST and htmx."""

import json

import pytest
from django.urls import reverse

from annotate import services
from annotate.models import Claim, Comment, Evidence, Source, Verdict
from tests.conftest import HX, make_claim, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(cast):
    return make_claim(cast.article, "Critics claim the project ran three years late", cast.alice)


def post(client, name, claim, data, htmx=True):
    return client.post(reverse(name, args=[claim.pk]), data, headers=HX if htmx else {})


ENDPOINTS = {
    "claim-edit": {"text": "x", "version": 1},
    "verdict-save": {"rating": 0, "version": 0},
    "evidence-add": {"url": "https://example.org", "stance": "supports"},
    "comment-add": {"text": "hello"},
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_outsiders_get_404_and_anonymous_visitors_the_login_page(client, cast, claim, name):
    client.force_login(cast.carol)
    assert post(client, name, claim, ENDPOINTS[name]).status_code == 404
    client.logout()
    # htmx gets a 401 and an event the page understands (no login page swapped into the panel) ...
    response = post(client, name, claim, ENDPOINTS[name])
    assert response.status_code == 401
    assert json.loads(response["HX-Trigger"])["session-expired"]["login"].startswith(reverse("login"))
    # ... a plain form the login page.
    response = post(client, name, claim, ENDPOINTS[name], htmx=False)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse(name, args=[claim.pk])).status_code == 302
    claim.refresh_from_db()
    assert claim.version == 1 and not Comment.objects.exists() and not Verdict.objects.exists() and not Evidence.objects.exists()


@pytest.mark.parametrize("name", ENDPOINTS)
def test_get_is_not_allowed(client, cast, claim, name):
    client.force_login(cast.alice)
    assert client.get(reverse(name, args=[claim.pk])).status_code == 405


# --- edit ------------------------------------------------------------------------


def test_editing_the_claim_without_js_redirects_back_to_it(client, cast, claim):
    client.force_login(cast.erin)
    data = {"text": "The project was three years late.", "claimant": "Critics", "claim_date": "2024-03-01", "version": 1}
    response = post(client, "claim-edit", claim, data, htmx=False)
    assert response.status_code == 302 and response.url == reverse("claim-detail", args=[claim.pk])
    claim.refresh_from_db()
    assert (claim.text, claim.claimant, str(claim.claim_date), claim.version) == (data["text"], "Critics", "2024-03-01", 2)


def test_editing_with_htmx_answers_the_panel_and_the_row_out_of_band(client, cast, claim):
    client.force_login(cast.erin)
    response = post(client, "claim-edit", claim, {"text": "Three years late.", "claimant": "", "claim_date": "", "version": 1})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<li hx-swap-oob="true" id="claim-row-{claim.pk}"' in html
    assert "Three years late.</textarea>" in html
    assert json.loads(response.headers["HX-Trigger"])["announce"]["message"] == "Claim saved."


def test_a_stale_version_shows_the_conflict_with_the_current_state_and_keeps_my_text(client, cast, claim):
    services.update_claim(claim, cast.erin, 1, text="Erin's wording")
    client.force_login(cast.alice)
    response = post(client, "claim-edit", claim, {"text": "Alice's wording", "claimant": "Mayor", "claim_date": "", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this in the meantime" in html
    assert "Saved now: “<bdi>Erin&#x27;s wording</bdi>”" in html
    assert "Alice&#x27;s wording</textarea>" in html
    assert 'name="version" value="2"' in html  # saving again is a deliberate overwrite
    claim.refresh_from_db()
    assert claim.text == "Erin's wording"


def test_a_stale_version_without_js_shows_the_page_with_the_conflict(client, cast, claim):
    services.update_claim(claim, cast.erin, 1, text="Erin's wording")
    client.force_login(cast.alice)
    response = post(client, "claim-edit", claim, {"text": "Alice's wording", "version": 1}, htmx=False)
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" in html and "Alice&#x27;s wording</textarea>" in html


@pytest.mark.parametrize("data, message", [
    ({"text": "   ", "version": 1}, "This field is required"),
    ({"text": "ok", "version": 1, "claim_date": "yesterday"}, "Enter a valid date"),
    ({"text": "ok"}, "This field is required"),
])
def test_bad_edits_are_refused_inline_and_change_nothing(client, cast, claim, data, message):
    client.force_login(cast.alice)
    response = post(client, "claim-edit", claim, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    claim.refresh_from_db()
    assert claim.version == 1 and claim.text.startswith("Critics claim")


# --- verdict ---------------------------------------------------------------------


def test_a_first_verdict_is_saved_and_recolours_the_highlight(client, cast, claim):
    client.force_login(cast.alice)
    mixed = rating(cast.project, "Mixed")
    response = post(client, "verdict-save", claim, {"rating": mixed.pk, "rationale": "Partly.", "version": 0})
    assert response.status_code == 200
    verdict = Verdict.objects.get()
    assert (verdict.reviewer, verdict.rating, verdict.rationale) == (cast.alice, mixed, "Partly.")
    html = response.content.decode()
    # open -> in review: the paragraph comes again with the new status class, and the row with my rating
    assert f'<mark class="hl s-in_review d1 rt rt-{mixed.pk}" data-claims="{claim.pk}"' in html  # coloured by my verdict
    assert 'hx-swap-oob="true"' in html and "Your verdict: </span>Mixed" in html
    assert 'name="version" value="1"' in html


def test_changing_my_verdict_needs_the_version_i_saw(client, cast, claim):
    services.save_verdict(claim, cast.alice, rating(cast.project, "Mixed"), "Partly.")
    client.force_login(cast.alice)
    response = post(client, "verdict-save", claim, {"rating": rating(cast.project, "False").pk, "rationale": "No.", "version": 1}, htmx=False)
    assert response.status_code == 302
    assert Verdict.objects.get().rating.label == "False"


def test_a_stale_verdict_shows_the_current_one_and_keeps_my_rationale(client, cast, claim):
    verdict = services.save_verdict(claim, cast.alice, rating(cast.project, "Mixed"), "First tab.")
    services.save_verdict(claim, cast.alice, rating(cast.project, "Accurate"), "Second tab.", version=verdict.version)
    client.force_login(cast.alice)
    response = post(client, "verdict-save", claim, {"rating": rating(cast.project, "False").pk, "rationale": "My new reasoning", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Saved now: <strong><bdi>Accurate</bdi></strong> — <bdi>Second tab.</bdi>" in html
    assert "My new reasoning</textarea>" in html
    assert 'name="version" value="2"' in html
    assert Verdict.objects.get().rationale == "Second tab."


def test_a_rating_from_another_projects_scale_is_refused(client, cast, claim):
    client.force_login(cast.alice)
    foreign = rating(cast.other, "False")
    response = post(client, "verdict-save", claim, {"rating": foreign.pk, "rationale": "x", "version": 0})
    assert response.status_code == 422
    assert "That rating is not on this project&#x27;s scale." in response.content.decode()
    assert not Verdict.objects.exists()


def test_a_verdict_without_a_rating_is_refused(client, cast, claim):
    client.force_login(cast.alice)
    response = post(client, "verdict-save", claim, {"rationale": "Typed but unrated", "version": 0})
    assert response.status_code == 422
    assert "Typed but unrated</textarea>" in response.content.decode()
    assert not Verdict.objects.exists()


# --- evidence --------------------------------------------------------------------


def test_attaching_a_source_creates_it_once_in_the_project(client, cast, claim):
    client.force_login(cast.alice)
    data = {"url": "https://stats.example.org/report", "title": "Report", "publisher": "Stats office", "stance": "refutes", "excerpt": "Late by 3 years."}
    response = post(client, "evidence-add", claim, data)
    assert response.status_code == 200
    evidence = Evidence.objects.select_related("source").get()
    assert (evidence.source.title, evidence.stance, evidence.excerpt) == ("Report", "refutes", "Late by 3 years.")
    assert 'class="evidence stance-refutes"' in response.content.decode()
    other = make_claim(cast.article, "the mayor denies", cast.alice)
    post(client, "evidence-add", other, {"url": "https://stats.example.org/report", "stance": "context"}, htmx=False)
    assert Source.objects.count() == 1 and Evidence.objects.count() == 2


@pytest.mark.parametrize("data, message", [
    ({"url": "javascript:alert(1)", "stance": "supports", "title": "Kept title"}, "Enter a web address starting with http"),
    ({"url": "https://example.org", "stance": "maybe", "title": "Kept title"}, "Select a valid choice"),
    ({"url": "", "stance": "supports", "title": "Kept title"}, "This field is required"),
])
def test_bad_sources_are_refused_inline_and_the_typed_text_is_kept(client, cast, claim, data, message):
    client.force_login(cast.alice)
    response = post(client, "evidence-add", claim, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and 'value="Kept title"' in html
    assert not Source.objects.exists() and not Evidence.objects.exists()


def test_the_same_source_twice_on_a_claim_is_refused(client, cast, claim):
    services.add_evidence(claim, cast.alice, url="https://example.org/a", stance="supports")
    client.force_login(cast.alice)
    response = post(client, "evidence-add", claim, {"url": "https://example.org/a", "stance": "refutes"})
    assert response.status_code == 422
    assert "already attached" in response.content.decode()
    assert Evidence.objects.count() == 1


# --- comments --------------------------------------------------------------------


def test_a_comment_is_added_and_shown_as_text(client, cast, claim):
    client.force_login(cast.erin)
    response = post(client, "comment-add", claim, {"text": "See <script>x</script> page 4"})
    assert response.status_code == 200
    assert "See &lt;script&gt;x&lt;/script&gt; page 4" in response.content.decode()
    assert Comment.objects.get().author == cast.erin


def test_an_empty_comment_is_refused(client, cast, claim):
    client.force_login(cast.erin)
    response = post(client, "comment-add", claim, {"text": "   "})
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_without_js_redirects_back(client, cast, claim):
    client.force_login(cast.erin)
    response = post(client, "comment-add", claim, {"text": "ok"}, htmx=False)
    assert response.status_code == 302 and response.url == reverse("claim-detail", args=[claim.pk])
    assert Claim.objects.get().comments.count() == 1
