"""verdicts/: read, give your own verdict, change only your own under optimistic locking."""

from annotate.models import Status, Verdict
from tests.api.conftest import ids
from tests.conftest import rating


def test_a_verdict_carries_claim_reviewer_and_rating(api, cast, desk):
    verdict = desk.published.verdicts.get(reviewer=cast.alice)
    data = api.bob.get(f"/api/v1/verdicts/{verdict.pk}/").json()
    assert data == {
        "id": verdict.pk,
        "url": f"http://testserver/api/v1/verdicts/{verdict.pk}/",
        "claim": desk.published.pk,
        "project": cast.project.slug,
        "article": cast.article.pk,
        "reviewer": "alice",
        "rating": {"id": rating(cast.project, "False").pk, "label": "False", "value": 1},
        "rationale": "The budget says 52 million.",
        "version": 1,
        "created_at": data["created_at"],
        "updated_at": data["updated_at"],
    }
    assert data["created_at"].endswith("+00:00")


def test_a_reviewer_gives_a_verdict_by_rating_label(api, cast, desk):
    response = api.erin.post("/api/v1/verdicts/", {"claim": desk.fresh.pk, "rating": "Mixed", "rationale": "Partly."}, format="json")
    assert response.status_code == 201, response.content
    verdict = Verdict.objects.get(pk=response.json()["id"])
    assert (verdict.reviewer, verdict.rating.label, verdict.rationale) == (cast.erin, "Mixed", "Partly.")
    desk.fresh.refresh_from_db()
    assert desk.fresh.status == Status.IN_REVIEW
    assert response["Location"] == response.json()["url"]


def test_an_editor_gives_a_verdict_by_rating_id(api, cast, desk):
    response = api.bob.post("/api/v1/verdicts/", {"claim": desk.fresh.pk, "rating": rating(cast.project, "False").pk}, format="json")
    assert response.status_code == 201
    assert response.json()["rating"]["label"] == "False"


def test_a_second_verdict_on_the_same_claim_is_a_409_with_the_first(api, cast, desk):
    response = api.alice.post("/api/v1/verdicts/", {"claim": desk.reviewing.pk, "rating": "False"}, format="json")
    assert response.status_code == 409
    current = response.json()["current"]
    assert (current["reviewer"], current["rating"]["label"]) == ("alice", "Accurate")
    assert Verdict.objects.get(claim=desk.reviewing, reviewer=cast.alice).rating.label == "Accurate"


def test_a_verdict_on_another_projects_claim_is_a_400_and_creates_nothing(api, cast, desk):
    response = api.alice.post("/api/v1/verdicts/", {"claim": desk.foreign.pk, "rating": "False"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"claim": [f"No claim {desk.foreign.pk} in your projects."]}
    assert not Verdict.objects.filter(reviewer=cast.alice, claim=desk.foreign).exists()


def test_a_rating_from_another_projects_scale_is_a_400_and_creates_nothing(api, cast, desk):
    response = api.erin.post("/api/v1/verdicts/", {"claim": desk.fresh.pk, "rating": rating(cast.other, "False").pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"rating": ["That rating is not on this project's scale."]}
    assert not Verdict.objects.filter(claim=desk.fresh).exists()


def test_a_rating_that_is_neither_id_nor_label_is_a_400(api, desk):
    response = api.erin.post("/api/v1/verdicts/", {"claim": desk.fresh.pk, "rating": True}, format="json")
    assert response.status_code == 400
    assert "rating" in response.json()


class TestChange:
    def test_the_reviewer_changes_their_verdict(self, api, cast, desk):
        verdict = Verdict.objects.get(claim=desk.reviewing, reviewer=cast.alice)
        response = api.alice.patch(f"/api/v1/verdicts/{verdict.pk}/", {"version": verdict.version, "rating": "Mostly accurate"}, format="json")
        assert response.status_code == 200, response.content
        data = response.json()
        assert (data["rating"]["label"], data["rationale"], data["version"]) == ("Mostly accurate", "Matches the flood map.", 2)

    def test_nobody_else_may_change_it_not_even_an_editor(self, api, cast, desk):
        verdict = Verdict.objects.get(claim=desk.reviewing, reviewer=cast.alice)
        for client in (api.erin, api.bob, api.dora):
            response = client.patch(f"/api/v1/verdicts/{verdict.pk}/", {"version": verdict.version, "rating": "False"}, format="json")
            assert response.status_code == 403
        assert Verdict.objects.get(pk=verdict.pk).rating.label == "Accurate"

    def test_an_outsider_gets_404(self, api, cast, desk):
        verdict = Verdict.objects.get(claim=desk.reviewing, reviewer=cast.alice)
        assert api.carol.patch(f"/api/v1/verdicts/{verdict.pk}/", {"version": 1, "rating": "False"}, format="json").status_code == 404

    def test_a_stale_version_is_a_409_with_the_current_verdict(self, api, cast, desk):
        verdict = Verdict.objects.get(claim=desk.reviewing, reviewer=cast.alice)
        url = f"/api/v1/verdicts/{verdict.pk}/"
        assert api.alice.patch(url, {"version": 1, "rationale": "First tab"}, format="json").status_code == 200
        response = api.alice.patch(url, {"version": 1, "rationale": "Second tab"}, format="json")
        assert response.status_code == 409
        assert response.json()["current"]["rationale"] == "First tab"
        assert response.json()["current"]["version"] == 2

    def test_a_foreign_rating_is_a_400_and_changes_nothing(self, api, cast, desk):
        verdict = Verdict.objects.get(claim=desk.reviewing, reviewer=cast.alice)
        response = api.alice.patch(f"/api/v1/verdicts/{verdict.pk}/", {"version": 1, "rating": rating(cast.other, "False").pk}, format="json")
        assert response.status_code == 400
        verdict.refresh_from_db()
        assert (verdict.rating.label, verdict.version) == ("Accurate", 1)

    def test_version_is_required_and_something_must_change(self, api, cast, desk):
        verdict = Verdict.objects.get(claim=desk.reviewing, reviewer=cast.alice)
        url = f"/api/v1/verdicts/{verdict.pk}/"
        assert "version" in api.alice.patch(url, {"rating": "False"}, format="json").json()
        assert api.alice.patch(url, {"version": 1}, format="json").status_code == 400


def test_reviewers_see_each_others_verdicts(api, cast, desk):
    assert len(ids(api.erin.get("/api/v1/verdicts/", {"claim": desk.published.pk}))) == 2
