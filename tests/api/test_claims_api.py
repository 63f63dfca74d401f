"""claims/: read, create from offsets + quote, edit under optimistic locking with role checks."""

import pytest

from annotate.models import Claim, HistoryEntry, Span, Status
from tests.api.conftest import ids, results
from tests.conftest import rating


def test_a_claim_carries_its_span_status_and_final_verdict(api, cast, desk):
    claim = api.alice.get(f"/api/v1/claims/{desk.published.pk}/").json()
    start = cast.article.body.index("cost 41 million euros")
    assert claim["start"] == start
    assert claim["end"] == start + len("cost 41 million euros")
    assert claim["quote"] == "cost 41 million euros"
    assert cast.article.body[claim["start"] : claim["end"]] == claim["quote"]
    assert claim["prefix"].endswith("the barrier ")
    assert claim["status"] == "published"
    assert claim["final_rating"] == {"id": rating(cast.project, "False").pk, "label": "False", "value": 1}
    assert claim["final_rationale"] == "The budget says 52 million euros."
    assert claim["approved_by"] == "bob"
    assert claim["claimant"] == "The council"
    assert claim["created_by"] == "alice"
    assert claim["version"] == desk.published.version
    assert claim["url"] == f"http://testserver/api/v1/claims/{desk.published.pk}/"
    assert claim["published_at"].endswith("+00:00")


def test_an_unsettled_claim_has_no_final_rating(api, desk):
    claim = api.alice.get(f"/api/v1/claims/{desk.fresh.pk}/").json()
    assert (claim["final_rating"], claim["approved_by"], claim["approved_at"], claim["status"]) == (None, None, None, "open")


def test_the_list_is_in_id_order_and_pages_follow_the_cursor(api, desk):
    first = api.alice.get("/api/v1/claims/", {"page_size": 2}).json()
    assert [c["id"] for c in first["results"]] == [desk.published.pk, desk.reviewing.pk]
    second = api.alice.get(first["next"]).json()
    assert [c["id"] for c in second["results"]] == [desk.fresh.pk]
    assert second["next"] is None


class TestCreate:
    def post(self, client, article, quote, **extra):
        start = article.body.index(quote)
        payload = {"article": article.pk, "start": start, "end": start + len(quote), "quote": quote, **extra}
        return client.post("/api/v1/claims/", payload, format="json")

    def test_a_reviewer_creates_a_claim_and_gets_a_short_answer(self, api, cast):
        response = self.post(api.alice, cast.article, "close about 20 times a year", claimant="Engineers")
        assert response.status_code == 201, response.content
        data = response.json()
        claim = Claim.objects.select_related("span").get(pk=data["id"])
        assert data == {
            "id": claim.pk,
            "url": f"http://testserver/api/v1/claims/{claim.pk}/",
            "article": cast.article.pk,
            "start": claim.span.start,
            "end": claim.span.end,
            "quote": "close about 20 times a year",
            "status": "open",
            "version": 1,
            "revision": 1,  # the article revision the offsets refer to
        }
        assert response["Location"] == data["url"]
        assert (claim.created_by, claim.claimant, claim.text) == (cast.alice, "Engineers", "close about 20 times a year")
        assert HistoryEntry.objects.filter(claim=claim, action="claim_created").exists()

    def test_offsets_count_code_points_and_utf16_offsets_are_converted(self, api, cast):
        from tests.conftest import make_article

        article = make_article(cast.project, body="Emoji first 🎉 then the claim: tides rise.", title="Emoji", user=cast.alice)
        quote = "tides rise"
        start = article.body.index(quote)  # code points
        utf16_start = len(article.body[:start].encode("utf-16-le")) // 2
        assert utf16_start == start + 1
        as_utf16 = api.alice.post(
            "/api/v1/claims/",
            {"article": article.pk, "start": utf16_start, "end": utf16_start + len(quote), "quote": quote, "offsets": "utf16"},
            format="json",
        )
        assert as_utf16.status_code == 201, as_utf16.content
        assert (as_utf16.json()["start"], as_utf16.json()["end"]) == (start, start + len(quote))
        wrong_unit = api.alice.post("/api/v1/claims/", {"article": article.pk, "start": utf16_start, "end": utf16_start + len(quote), "quote": quote}, format="json")
        assert wrong_unit.status_code == 400

    def test_a_quote_that_does_not_match_the_text_is_a_400_and_creates_nothing(self, api, cast):
        response = api.alice.post("/api/v1/claims/", {"article": cast.article.pk, "start": 0, "end": 7, "quote": "Seaside"}, format="json")
        assert response.status_code == 400
        assert "quote" in response.json()
        assert not Span.objects.exists()

    @pytest.mark.parametrize("start, end", [(0, 100_000), (10, 5), (-1, 3)])
    def test_offsets_outside_the_text_are_a_400(self, api, cast, start, end):
        response = api.alice.post("/api/v1/claims/", {"article": cast.article.pk, "start": start, "end": end, "quote": "Harbour"}, format="json")
        assert response.status_code == 400
        assert not Claim.objects.exists()

    def test_missing_fields_are_named(self, api, cast):
        response = api.alice.post("/api/v1/claims/", {"article": cast.article.pk}, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"start", "end", "quote"}

    def test_an_outsider_cannot_create_a_claim_on_the_article(self, api, cast):
        response = self.post(api.carol, cast.article, "Harbour city")
        assert response.status_code == 400
        assert response.json() == {"article": [f"No article {cast.article.pk} in your projects."]}
        assert not Claim.objects.exists()


class TestEdit:
    def patch(self, client, claim, **payload):
        return client.patch(f"/api/v1/claims/{claim.pk}/", payload, format="json")

    def test_a_reviewer_edits_the_claim_as_checked(self, api, desk):
        response = self.patch(api.alice, desk.fresh, version=desk.fresh.version, text="The project ran three years late", claimant="Critics")
        assert response.status_code == 200, response.content
        assert (response.json()["text"], response.json()["claimant"], response.json()["version"]) == ("The project ran three years late", "Critics", desk.fresh.version + 1)

    @pytest.mark.parametrize("field, value", [("final_rating", "False"), ("final_rationale", "Because."), ("status", "approved")])
    def test_a_reviewer_may_not_settle_or_move_a_claim(self, api, desk, field, value):
        response = self.patch(api.alice, desk.reviewing, version=desk.reviewing.version, **{field: value})
        assert response.status_code == 403
        desk.reviewing.refresh_from_db()
        assert (desk.reviewing.final_rating_id, desk.reviewing.status) == (None, Status.IN_REVIEW)

    def test_an_editor_settles_and_publishes_in_one_request(self, api, cast, desk):
        response = self.patch(api.bob, desk.reviewing, version=desk.reviewing.version, final_rating="accurate", final_rationale="Flood map agrees.", status="published")
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["final_rating"]["label"] == "Accurate"
        assert (data["status"], data["approved_by"], data["final_rationale"]) == ("published", "bob", "Flood map agrees.")
        assert data["version"] == desk.reviewing.version + 2
        assert data["published_at"] is not None

    def test_the_final_rating_may_be_given_by_id(self, api, cast, desk):
        unverifiable = rating(cast.project, "Unverifiable")
        response = self.patch(api.bob, desk.fresh, version=desk.fresh.version, final_rating=unverifiable.pk, final_rationale="No data.")
        assert response.status_code == 200
        assert response.json()["final_rating"] == {"id": unverifiable.pk, "label": "Unverifiable", "value": None}
        assert response.json()["status"] == "approved"

    def test_an_editor_unpublishes_only_with_a_reason(self, api, desk):
        response = self.patch(api.bob, desk.published, version=desk.published.version, status="approved")
        assert response.status_code == 400 and "reason" in response.json()
        response = self.patch(api.bob, desk.published, version=desk.published.version, status="approved", reason="Source withdrawn.")
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["published_at"]) == ("approved", None)

    def test_a_stale_version_is_a_409_with_the_current_claim_and_changes_nothing(self, api, desk):
        first = self.patch(api.bob, desk.fresh, version=desk.fresh.version, text="Three years late")
        assert first.status_code == 200
        stale = self.patch(api.erin, desk.fresh, version=desk.fresh.version, text="Late by three years")
        assert stale.status_code == 409
        data = stale.json()
        assert "changed" in data["detail"]
        assert data["current"]["text"] == "Three years late"
        assert data["current"]["version"] == desk.fresh.version + 1
        desk.fresh.refresh_from_db()
        assert desk.fresh.text == "Three years late"

    def test_a_stale_version_is_refused_even_when_the_status_would_not_change(self, api, desk):
        response = self.patch(api.bob, desk.published, version=desk.published.version - 1, status="published")
        assert response.status_code == 409

    def test_one_failing_change_undoes_the_others_of_the_request(self, api, desk):
        # Publishing without a final verdict fails after the text edit: nothing is kept.
        response = self.patch(api.bob, desk.fresh, version=desk.fresh.version, text="Edited", status="published")
        assert response.status_code == 400
        assert "status" in response.json()
        desk.fresh.refresh_from_db()
        assert (desk.fresh.text, desk.fresh.version, desk.fresh.status) == ("ran three years late", 1, Status.OPEN)

    def test_a_rating_from_another_projects_scale_is_a_400_and_changes_nothing(self, api, cast, desk):
        foreign = rating(cast.other, "False")
        response = self.patch(api.bob, desk.reviewing, version=desk.reviewing.version, final_rating=foreign.pk, final_rationale="x")
        assert response.status_code == 400
        assert response.json() == {"final_rating": ["That rating is not on this project's scale."]}
        desk.reviewing.refresh_from_db()
        assert desk.reviewing.final_rating_id is None

    def test_an_unknown_rating_label_is_a_400(self, api, desk):
        response = self.patch(api.bob, desk.reviewing, version=desk.reviewing.version, final_rating="Pants on fire", final_rationale="x")
        assert response.status_code == 400
        assert "not on this project's rating scale" in response.json()["final_rating"][0]

    def test_version_is_required(self, api, desk):
        response = self.patch(api.bob, desk.fresh, text="No version")
        assert response.status_code == 400
        assert "version" in response.json()

    def test_an_empty_change_is_a_400(self, api, desk):
        assert self.patch(api.bob, desk.fresh, version=1).status_code == 400

    def test_an_outsider_gets_404(self, api, desk):
        assert self.patch(api.carol, desk.fresh, version=1, text="x").status_code == 404
        desk.fresh.refresh_from_db()
        assert desk.fresh.text == "ran three years late"

    def test_claims_cannot_be_deleted_or_replaced_through_the_api(self, api, desk):
        assert api.alice.delete(f"/api/v1/claims/{desk.fresh.pk}/").status_code == 405
        assert api.alice.put(f"/api/v1/claims/{desk.fresh.pk}/", {"version": 1}, format="json").status_code == 405


def test_the_list_shows_every_claim_of_the_members_projects(api, desk):
    assert ids(api.bob.get("/api/v1/claims/")) == [desk.published.pk, desk.reviewing.pk, desk.fresh.pk]
    assert len(results(api.carol.get("/api/v1/claims/"))) == 1
