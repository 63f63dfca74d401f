"""The lifecycle table walked whole: every (from, to) pair of statuses × every role, through
the Set status form (plain and htmx) and the API PATCH; allowed moves change the claim,
every other one is refused with a readable message and changes nothing.

The expected moves are written out here, not read from annotate/lifecycle.py, so a change
to the table has to be made on purpose in both places.
"""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from annotate import lifecycle, services
from annotate.models import Claim, HistoryEntry, Status
from tests.conftest import HX, make_claim, rating

pytestmark = pytest.mark.django_db

S = Status
STATUSES = [S.OPEN, S.IN_REVIEW, S.SECOND_OPINION, S.APPROVED, S.PUBLISHED]
ROLES = ["anonymous", "outsider", "reviewer", "editor", "admin"]
USER_OF = {"outsider": "carol", "reviewer": "alice", "editor": "bob", "admin": "dora"}

# What an editor (or admin) may do with the Set status form / Publish button.
FORM_MOVES = {
    (S.OPEN, S.IN_REVIEW),
    (S.IN_REVIEW, S.SECOND_OPINION),
    (S.SECOND_OPINION, S.IN_REVIEW),
    (S.IN_REVIEW, S.APPROVED),
    (S.SECOND_OPINION, S.APPROVED),
    (S.APPROVED, S.IN_REVIEW),
    (S.APPROVED, S.PUBLISHED),
}
# The API's status field also takes the moves that have their own control on the pages:
# settling straight from open, and unpublishing (with a reason).
API_MOVES = FORM_MOVES | {(S.OPEN, S.APPROVED), (S.PUBLISHED, S.APPROVED)}


def claim_in(cast, status):
    """A claim with a final verdict, put straight into `status` (the table is what is tested)."""
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    now = timezone.now()
    Claim.objects.filter(pk=claim.pk).update(
        status=status, final_rating=rating(cast.project, "False"), final_rationale="Budget papers.",
        approved_by=cast.bob, approved_at=now, published_at=now if status == S.PUBLISHED else None,
    )  # fmt: skip
    return Claim.objects.get(pk=claim.pk)


def state(claim):
    fresh = Claim.objects.get(pk=claim.pk)
    return fresh.status, fresh.version, fresh.published_at is not None, HistoryEntry.objects.filter(claim=claim).count()


def test_the_table_in_the_module_is_the_one_written_here():
    pairs = {(t.source, t.target) for t in lifecycle.TRANSITIONS}
    assert pairs == API_MOVES | {(S.PUBLISHED, S.PUBLISHED)}  # correct: through the final-verdict form
    assert lifecycle.find(S.PUBLISHED, S.OPEN) is None


@pytest.mark.parametrize("source,target", list(itertools.product(STATUSES, STATUSES)))
@pytest.mark.parametrize("role", ROLES)
def test_the_set_status_form_allows_exactly_the_table(client, cast, source, target, role):
    claim = claim_in(cast, source)
    before = state(claim)
    if role != "anonymous":
        client.force_login(getattr(cast, USER_OF[role]))
    action = "publish" if target == S.PUBLISHED else target
    htmx = (source, target) in {(S.OPEN, S.IN_REVIEW), (S.APPROVED, S.PUBLISHED)}  # both ways covered
    response = client.post(reverse("claim-status", args=[claim.pk]), {"status": action, "version": claim.version}, headers=HX if htmx else {})
    allowed = role in ("editor", "admin") and (source, target) in FORM_MOVES
    if allowed:
        assert response.status_code == (200 if htmx else 302)
        assert state(claim)[0] == target and state(claim)[1] == claim.version + 1
        assert (Claim.objects.get(pk=claim.pk).published_at is not None) == (target == S.PUBLISHED)
        return
    # An anonymous htmx request gets a 401 the page understands (its login dialog), a plain form a redirect.
    expected = {"anonymous": 401 if htmx else 302, "outsider": 404, "reviewer": 403}.get(role, 409)
    assert response.status_code == expected
    if expected == 409:
        # A readable reason: what it is, what it cannot become, or which action to use.
        assert "cannot become" in response.text or "its own action" in response.text
    assert state(claim) == before


@pytest.mark.parametrize("source,target", list(itertools.product(STATUSES, STATUSES)))
@pytest.mark.parametrize("role", ROLES)
def test_the_api_allows_exactly_the_table(client, cast, source, target, role):
    claim = claim_in(cast, source)
    before = state(claim)
    if role != "anonymous":
        client.force_login(getattr(cast, USER_OF[role]))
    response = client.patch(
        f"/api/v1/claims/{claim.pk}/", {"version": claim.version, "status": target, "reason": "Source withdrawn."},
        content_type="application/json",
    )
    if role in ("editor", "admin") and source == target:
        assert response.status_code == 200 and state(claim) == before  # nothing to change
        return
    allowed = role in ("editor", "admin") and (source, target) in API_MOVES
    if allowed:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == target
        return
    expected = {"anonymous": 401, "outsider": 404, "reviewer": 403}.get(role, 409)
    assert response.status_code == expected
    if expected == 409:
        assert "cannot become" in response.json()["detail"]
        assert response.json()["current"]["status"] == source
    assert state(claim) == before


def test_set_status_on_a_published_claim_cannot_unpublish_it(client, cast):
    """The bug of the issue: the form showed "Open" and pressing Set status unpublished."""
    claim = claim_in(cast, S.PUBLISHED)
    client.force_login(cast.bob)
    page = client.get(reverse("claim-detail", args=[claim.pk])).text
    assert 'class="status-form"' not in page and reverse("claim-unpublish", args=[claim.pk]) in page
    for action in ("open", "in_review", "needs_second_opinion", "approved", "unpublish"):
        response = client.post(reverse("claim-status", args=[claim.pk]), {"status": action, "version": claim.version}, headers=HX)
        assert response.status_code == 409
        assert Claim.objects.get(pk=claim.pk).status == S.PUBLISHED


def test_pages_offer_only_the_allowed_moves(client, cast):
    client.force_login(cast.bob)
    claim = claim_in(cast, S.IN_REVIEW)
    page = client.get(reverse("claim-detail", args=[claim.pk])).text
    select = page[page.index(f'id="status-{claim.pk}"'):]
    select = select[: select.index("</select>")]
    assert 'value="needs_second_opinion"' in select and 'value="approved"' in select
    assert 'value="open"' not in select and 'value="published"' not in select


def test_unpublishing_needs_a_confirmation_and_a_reason_kept_in_the_history(client, cast):
    claim = claim_in(cast, S.PUBLISHED)
    client.force_login(cast.bob)
    url = reverse("claim-unpublish", args=[claim.pk])
    assert "Reason" in client.get(url).text
    before = state(claim)
    response = client.post(url, {"reason": "", "confirm": "on", "version": claim.version})
    assert response.status_code == 400 and "Give the reason" in response.text
    response = client.post(url, {"reason": "Source withdrawn.", "version": claim.version})
    assert response.status_code == 400 and "Tick the box" in response.text
    assert state(claim) == before
    response = client.post(url, {"reason": "Source withdrawn.", "confirm": "on", "version": claim.version})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.APPROVED and claim.published_at is None
    entry = HistoryEntry.objects.filter(claim=claim).latest("id")
    assert entry.changes == {"status": ["published", "approved"], "reason": "Source withdrawn."}
    assert "Source withdrawn." in client.get(reverse("claim-detail", args=[claim.pk])).text


@pytest.mark.parametrize("who,expected", [("alice", 403), ("carol", 404)])
def test_unpublish_is_refused_to_reviewers_and_outsiders(client, cast, who, expected):
    claim = claim_in(cast, S.PUBLISHED)
    client.force_login(getattr(cast, who))
    response = client.post(reverse("claim-unpublish", args=[claim.pk]), {"reason": "x", "confirm": "on", "version": claim.version})
    assert response.status_code == expected
    assert Claim.objects.get(pk=claim.pk).status == S.PUBLISHED


def test_the_service_refuses_a_forged_move_and_changes_nothing(cast):
    claim = claim_in(cast, S.PUBLISHED)
    before = state(claim)
    with pytest.raises(lifecycle.NotAllowed):
        services.set_status(claim, cast.bob, claim.version, S.OPEN)
    with pytest.raises(services.Invalid):
        services.unpublish(claim, cast.bob, claim.version, "  ")
    assert state(claim) == before


def test_unpublishing_through_htmx_sends_the_browser_back_to_the_claim(client, cast):
    claim = claim_in(cast, S.PUBLISHED)
    client.force_login(cast.bob)
    response = client.post(reverse("claim-unpublish", args=[claim.pk]),
                           {"reason": "Source withdrawn.", "confirm": "on", "version": claim.version}, headers=HX)
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("claim-detail", args=[claim.pk])
    assert Claim.objects.get(pk=claim.pk).status == S.APPROVED


def test_unpublishing_a_claim_that_is_not_published_is_refused(client, cast):
    claim = claim_in(cast, S.APPROVED)
    client.force_login(cast.bob)
    assert client.get(reverse("claim-unpublish", args=[claim.pk])).status_code == 409
    response = client.post(reverse("claim-unpublish", args=[claim.pk]), {"reason": "x", "confirm": "on", "version": claim.version})
    assert response.status_code == 409 and "cannot become" in response.text
    assert Claim.objects.get(pk=claim.pk).status == S.APPROVED
