"""The final verdict and the workflow status: POST /claims/<pk>/final/ and /claims/<pk>/status/.

Editors and admins only; every refusal changes nothing; a stale version answers 409
with the current state and keeps what the editor typed.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from annotate import services
from annotate.models import Claim, HistoryEntry, Status
from tests.conftest import make_claim, rating

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def row_target(claim):
    return {**HTMX, "HTTP_HX_TARGET": f"queue-row-{claim.pk}"}


@pytest.fixture
def claim(cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    services.save_verdict(claim, cast.alice, rating(cast.project, "Accurate"), "Budget papers agree.")
    services.save_verdict(claim, cast.erin, rating(cast.project, "Misleading"), "Upkeep is left out.")
    claim.refresh_from_db()
    return claim


def final(client, claim, **data):
    values = {"rating": rating(claim.project, "Mostly accurate").pk, "final_rationale": "Right figure; upkeep not included.", "version": claim.version}
    values.update(data)
    headers = values.pop("headers", {})
    return client.post(reverse("claim-final", args=[claim.pk]), {k: v for k, v in values.items() if v is not None}, **headers)


def set_status(client, claim, status, version=None, headers=None):
    data = {"status": status, "version": claim.version if version is None else version}
    return client.post(reverse("claim-status", args=[claim.pk]), data, **(headers or {}))


def snapshot(claim):
    fresh = Claim.objects.get(pk=claim.pk)
    return (fresh.status, fresh.final_rating_id, fresh.final_rationale, fresh.approved_by_id, fresh.approved_at, fresh.published_at, fresh.version)


def textarea(html):
    return re.search(r'<textarea[^>]*name="final_rationale"[^>]*>(.*?)</textarea>', html, re.S).group(1)


# --- the final verdict -----------------------------------------------------------


def test_an_editor_settles_the_final_verdict_and_it_records_who_and_when(client, cast, claim):
    client.force_login(cast.bob)
    before = timezone.now()
    response = final(client, claim, headers=row_target(claim))
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.final_rating == rating(cast.project, "Mostly accurate")
    assert claim.final_rationale == "Right figure; upkeep not included."
    assert claim.approved_by == cast.bob
    assert before - timedelta(seconds=1) <= claim.approved_at <= timezone.now()
    assert claim.status == Status.APPROVED
    assert HistoryEntry.objects.filter(claim=claim, action="final_verdict", actor=cast.bob).exists()
    # The answer is the queue row, now showing the final verdict and a publish button.
    assert response.text.lstrip().startswith('<article class="queue-row')
    assert f'id="queue-row-{claim.pk}"' in response.text
    assert "approved by bob" in response.text
    assert 'value="publish"' in response.text
    assert "Final verdict saved." in response.text
    assert "claims-changed" in response["HX-Trigger"]


def test_an_admin_may_settle_too(client, cast, claim):
    client.force_login(cast.dora)
    assert final(client, claim, headers=HTMX).status_code == 200
    claim.refresh_from_db()
    assert claim.approved_by == cast.dora


def test_outside_the_queue_htmx_gets_the_editor_actions_block(client, cast, claim):
    client.force_login(cast.bob)
    response = final(client, claim, headers={**HTMX, "HTTP_HX_TARGET": f"editor-actions-{claim.pk}"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<section class="editor-actions" id="editor-actions-{claim.pk}"')
    assert f'hx-target="#editor-actions-{claim.pk}"' in response.text


def test_a_plain_post_redirects_back_with_a_message(client, cast, claim):
    client.force_login(cast.bob)
    queue = reverse("editor-queue", args=[cast.project.slug]) + "?status=in_review"
    response = final(client, claim, next=queue)
    assert response.status_code == 302 and response.url == queue
    page = client.get(response.url).text
    assert "Final verdict saved." in page


def test_a_plain_post_never_redirects_off_site(client, cast, claim):
    client.force_login(cast.bob)
    response = final(client, claim, next="https://evil.example/")
    assert response.status_code == 302
    assert response.url == reverse("editor-queue", args=[cast.project.slug])


def test_html_in_the_rationale_stays_text(client, cast, claim):
    client.force_login(cast.bob)
    response = final(client, claim, final_rationale="<script>alert(1)</script> is wrong", headers=HTMX)
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is wrong" in response.text


# --- refusals change nothing ---------------------------------------------------


def test_a_reviewer_gets_403_and_nothing_changes(client, cast, claim):
    before = snapshot(claim)
    client.force_login(cast.alice)
    assert final(client, claim, headers=HTMX).status_code == 403
    assert set_status(client, claim, "publish").status_code == 403
    assert snapshot(claim) == before


def test_an_outsider_gets_404_and_nothing_changes(client, cast, claim):
    before = snapshot(claim)
    client.force_login(cast.carol)
    assert final(client, claim).status_code == 404
    assert set_status(client, claim, "needs_second_opinion").status_code == 404
    assert snapshot(claim) == before


def test_an_anonymous_visitor_is_sent_to_login_and_nothing_changes(client, cast, claim):
    before = snapshot(claim)
    response = final(client, claim)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert set_status(client, claim, "publish").status_code == 302
    assert snapshot(claim) == before


def test_it_only_accepts_post(client, cast, claim):
    client.force_login(cast.bob)
    assert client.get(reverse("claim-final", args=[claim.pk])).status_code == 405
    assert client.get(reverse("claim-status", args=[claim.pk])).status_code == 405


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", "other-scale", "That rating is not on this project&#x27;s scale."),
        ("rating", "abc", "That rating is not on this project&#x27;s scale."),
        ("rating", "", "Pick a rating for the final verdict."),
        ("final_rationale", "   ", "Write the rationale for the final verdict."),
        ("final_rationale", None, "Write the rationale for the final verdict."),
        ("version", None, "The form is missing the claim&#x27;s version"),
        ("version", "x", "The claim&#x27;s version must be a number."),
    ],
)
def test_bad_input_gets_400_with_a_message_and_changes_nothing(client, cast, claim, field, value, message):
    if value == "other-scale":
        value = rating(cast.other, "False").pk
    before = snapshot(claim)
    client.force_login(cast.bob)
    response = final(client, claim, **{field: value}, headers=HTMX)
    assert response.status_code == 400
    assert message in response.text
    assert snapshot(claim) == before
    assert not HistoryEntry.objects.filter(claim=claim, action="final_verdict").exists()


def test_a_plain_post_with_bad_input_gets_a_page_keeping_the_text(client, cast, claim):
    client.force_login(cast.bob)
    response = final(client, claim, rating="", final_rationale="Half written")
    assert response.status_code == 400
    assert "<html" in response.text
    assert textarea(response.text) == "Half written"
    assert "Pick a rating for the final verdict." in response.text


# --- optimistic locking ------------------------------------------------------------


def test_a_stale_version_gets_409_showing_the_current_verdict_and_keeping_the_typed_text(client, cast, claim):
    seen = claim.version
    services.settle_claim(claim, cast.dora, seen, rating(cast.project, "False"), "Dora's reading: the cost was 52 million.")
    settled = snapshot(claim)

    client.force_login(cast.bob)
    response = final(client, claim, version=seen, final_rationale="Bob's long rationale <em>typed</em> carefully.", headers=row_target(claim))
    assert response.status_code == 409
    assert snapshot(claim) == settled  # nothing changed
    html = response.text
    assert 'class="conflict" role="alert"' in html
    assert "Someone else changed this" in html
    # The current state: Dora's verdict, her rationale, who settled it.
    current = re.search(r'<div class="conflict".*?</div>', html, re.S).group(0)
    assert "False" in current and "Dora&#x27;s reading: the cost was 52 million." in current and "dora" in current
    # Bob's text is kept (as text), and the form is now based on the current version.
    assert textarea(html) == "Bob&#x27;s long rationale &lt;em&gt;typed&lt;/em&gt; carefully."
    assert f'name="version" value="{settled[-1]}"' in html
    assert re.search(rf'<option value="{rating(cast.project, "Mostly accurate").pk}" selected>', html)


def test_saving_again_after_a_conflict_succeeds(client, cast, claim):
    seen = claim.version
    services.settle_claim(claim, cast.dora, seen, rating(cast.project, "False"), "First.")
    client.force_login(cast.bob)
    assert final(client, claim, version=seen, headers=HTMX).status_code == 409
    current = Claim.objects.get(pk=claim.pk).version
    assert final(client, claim, version=current, headers=HTMX).status_code == 200
    claim.refresh_from_db()
    assert claim.approved_by == cast.bob and claim.final_rating == rating(cast.project, "Mostly accurate")


def test_a_plain_post_with_a_stale_version_gets_a_409_page(client, cast, claim):
    seen = claim.version
    services.settle_claim(claim, cast.dora, seen, rating(cast.project, "False"), "First.")
    client.force_login(cast.bob)
    response = final(client, claim, version=seen, final_rationale="Mine")
    assert response.status_code == 409
    assert "<html" in response.text and textarea(response.text) == "Mine"


# --- status, publish, unpublish ---------------------------------------------------


def settle(cast, claim):
    return services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), "The cost was 52 million.")


def test_an_editor_asks_for_a_second_opinion(client, cast, claim):
    client.force_login(cast.bob)
    response = set_status(client, claim, "needs_second_opinion", headers=row_target(claim))
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == Status.SECOND_OPINION
    assert HistoryEntry.objects.filter(claim=claim, action="status_changed", actor=cast.bob).exists()
    assert "Status changed." in response.text


def test_publishing_and_unpublishing(client, cast, claim):
    claim = settle(cast, claim)
    client.force_login(cast.bob)
    response = set_status(client, claim, "publish", headers=HTMX)
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED and claim.published_at is not None
    assert reverse("claim-unpublish", args=[claim.pk]) in response.text
    # A published claim offers no Set status: only Unpublish (its own action) and corrections.
    assert 'class="status-form"' not in response.text
    assert reverse("public-article", args=[cast.project.slug, cast.article.pk]) in response.text

    # Unpublishing is its own confirmed action: the status form refuses it, nothing changes.
    response = set_status(client, claim, "unpublish", headers=HTMX)
    assert response.status_code == 409 and "its own action" in response.text
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED
    response = client.post(reverse("claim-unpublish", args=[claim.pk]), {"reason": "Source withdrawn.", "confirm": "on", "version": claim.version})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED and claim.published_at is None


def test_publishing_needs_a_final_verdict(client, cast, claim):
    before = snapshot(claim)
    client.force_login(cast.bob)
    response = set_status(client, claim, "publish", headers=HTMX)
    assert response.status_code == 400
    assert "Settle a final verdict before approving or publishing." in response.text
    assert snapshot(claim) == before


@pytest.mark.parametrize("status", ["archived", "", "PUBLISHED"])
def test_an_unknown_status_gets_400_and_changes_nothing(client, cast, claim, status):
    before = snapshot(claim)
    client.force_login(cast.bob)
    response = set_status(client, claim, status, headers=HTMX)
    assert response.status_code == 400
    assert ("Unknown status" in response.text) or ("Pick a status." in response.text)
    assert snapshot(claim) == before


def test_a_stale_version_on_status_gets_409_with_the_current_state(client, cast, claim):
    claim = settle(cast, claim)
    seen = claim.version
    services.publish(claim, cast.dora, seen)
    published = snapshot(claim)
    client.force_login(cast.bob)
    response = set_status(client, claim, "needs_second_opinion", version=seen, headers=HTMX)
    assert response.status_code == 409
    assert snapshot(claim) == published
    current = re.search(r'<div class="conflict".*?</div>', response.text, re.S).group(0)
    assert "Published" in current
