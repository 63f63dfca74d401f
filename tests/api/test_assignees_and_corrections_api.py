"""The API side of the workflow: `assignees` on claims (usernames), PATCH by editors with
`version`, ?assignee=<username>|me, corrections through PATCH, and blind review of verdicts."""

import pytest

from annotate import services
from annotate.models import Claim, Correction
from tests.api.conftest import ids, results
from tests.conftest import rating

pytestmark = pytest.mark.django_db


def patch(client, claim, **payload):
    return client.patch(f"/api/v1/claims/{claim.pk}/", payload, format="json")


def test_claims_carry_their_assignees_as_sorted_usernames(api, desk, cast):
    services.workflow.set_assignees(desk.fresh, cast.bob, desk.fresh.version, ["erin", "alice"])
    item = api.alice.get(f"/api/v1/claims/{desk.fresh.pk}/").json()
    assert item["assignees"] == ["alice", "erin"]
    listed = {c["id"]: c["assignees"] for c in results(api.alice.get("/api/v1/claims/"))}
    assert listed[desk.fresh.pk] == ["alice", "erin"] and listed[desk.reviewing.pk] == []


@pytest.mark.parametrize("who", ["bob", "dora"])
def test_editors_patch_the_assignees_with_a_version(api, desk, who):
    response = patch(getattr(api, who), desk.fresh, version=desk.fresh.version, assignees=["alice"])
    assert response.status_code == 200, response.content
    assert response.json()["assignees"] == ["alice"]
    assert list(Claim.objects.get(pk=desk.fresh.pk).assignees.values_list("username", flat=True)) == ["alice"]


def test_a_reviewer_cannot_assign(api, desk):
    response = patch(api.alice, desk.fresh, version=desk.fresh.version, assignees=["alice"])
    assert response.status_code == 403
    assert not Claim.objects.get(pk=desk.fresh.pk).assignees.exists()


def test_outsiders_and_anonymous_cannot_assign(api, desk):
    assert patch(api.carol, desk.fresh, version=desk.fresh.version, assignees=["carol"]).status_code == 404
    assert patch(api.anon, desk.fresh, version=desk.fresh.version, assignees=["alice"]).status_code == 401


def test_an_outsider_cannot_be_assigned_and_nothing_changes(api, desk):
    response = patch(api.bob, desk.fresh, version=desk.fresh.version, assignees=["alice", "carol"])
    assert response.status_code == 400
    assert "carol" in response.json()["assignees"][0]
    assert not Claim.objects.get(pk=desk.fresh.pk).assignees.exists()


def test_a_stale_version_is_a_409(api, desk):
    response = patch(api.bob, desk.fresh, version=desk.fresh.version + 1, assignees=["alice"])
    assert response.status_code == 409
    assert not Claim.objects.get(pk=desk.fresh.pk).assignees.exists()


def test_filter_by_assignee_and_me(api, desk, cast):
    services.workflow.set_assignees(desk.fresh, cast.bob, desk.fresh.version, ["alice"])
    services.workflow.set_assignees(desk.reviewing, cast.bob, desk.reviewing.version, ["erin"])
    assert ids(api.bob.get("/api/v1/claims/", {"assignee": "alice"})) == [desk.fresh.pk]
    assert ids(api.alice.get("/api/v1/claims/", {"assignee": "me"})) == [desk.fresh.pk]
    assert ids(api.erin.get("/api/v1/claims/", {"assignee": "me"})) == [desk.reviewing.pk]
    assert ids(api.bob.get("/api/v1/claims/", {"assignee": "me"})) == []
    # An outsider's name matches nothing in our projects.
    assert ids(api.bob.get("/api/v1/claims/", {"assignee": "carol"})) == []


def test_a_correction_through_the_api_keeps_the_url_and_needs_a_note(api, desk, cast):
    before = api.bob.get(f"/api/v1/claimreviews/{desk.published.pk}/").json()
    response = patch(api.bob, desk.published, version=desk.published.version, final_rating="Misleading", final_rationale="It was 48 million.")
    assert response.status_code == 400 and "correction note" in response.json()["correction_note"][0]
    response = patch(api.bob, desk.published, version=desk.published.version, final_rating="Misleading",
                     final_rationale="It was 48 million.", correction_note="The budget figure was revised.")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published" and response.json()["corrected_at"]
    after = api.bob.get(f"/api/v1/claimreviews/{desk.published.pk}/").json()
    assert after["url"] == before["url"]
    assert "dateModified" in after and "dateModified" not in before
    correction = Correction.objects.get(claim=desk.published)
    assert correction.changes["rating"] == ["False", "Misleading"] and correction.corrected_by == cast.bob


def test_blind_review_hides_others_verdicts_from_a_reviewer_until_they_give_theirs(api, desk, cast):
    # erin has no verdict on `reviewing` (alice's is there): hidden from erin, shown to the editor.
    assert desk.reviewing.pk not in {v["claim"] for v in results(api.erin.get("/api/v1/verdicts/"))}
    assert desk.reviewing.pk in {v["claim"] for v in results(api.bob.get("/api/v1/verdicts/"))}
    api.erin.post("/api/v1/verdicts/", {"claim": desk.reviewing.pk, "rating": "Mixed"}, format="json")
    mine_and_others = [v["reviewer"] for v in results(api.erin.get("/api/v1/verdicts/", {"claim": desk.reviewing.pk}))]
    assert sorted(mine_and_others) == ["alice", "erin"]
    # With blind review off, reviewers see every verdict.
    cast.project.blind_review = False
    cast.project.save()
    fresh_claim = desk.fresh
    api.alice.post("/api/v1/verdicts/", {"claim": fresh_claim.pk, "rating": rating(cast.project, "False").pk}, format="json")
    assert fresh_claim.pk in {v["claim"] for v in results(api.erin.get("/api/v1/verdicts/"))}


def test_the_verdict_export_is_blind_too(api, desk):
    from tests.api.conftest import streamed

    rows = streamed(api.erin.get("/api/v1/export/verdicts.csv"))
    assert "Matches the flood map." not in rows  # alice's verdict on a claim erin has not rated
    assert "Matches the flood map." in streamed(api.bob.get("/api/v1/export/verdicts.csv"))
