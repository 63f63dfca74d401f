"""Issue 16: the verdict save (review page and API) and the claim panel run a fixed, pinned number of
statements, whatever the article holds, and the reads compiled once give what the ORM gave."""

import pytest
from django.urls import reverse

from annotate import services
from annotate.models import Notification, Verdict
from tests.conftest import HX, make_claim, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(cast):
    return make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)


def _ready_at_two(cast, claim):
    cast.project.required_verdicts = 2
    cast.project.save()
    services.save_verdict(claim, cast.alice, rating(cast.project, "Accurate"), "First.")


def test_saving_a_first_verdict_from_the_review_page_runs_a_fixed_number_of_statements(client, cast, claim, django_assert_num_queries):
    _ready_at_two(cast, claim)
    client.force_login(cast.erin)
    data = {"rating": rating(cast.project, "Mixed").pk, "rationale": "Second.", "version": 0}
    # session, user; the claim with role (no article text), the scale; then in one transaction: her
    # verdict so far, the INSERT (in a savepoint: a second tab's INSERT is a 409), its history entry,
    # the claim's verdicts counted, the editors and their notification; then the refreshed panel:
    # the claim with the text, verdicts, evidence, comments, history, and the paragraph's spans.
    # 16 statements and 4 SAVEPOINT/RELEASE (the test's own transaction makes the service's a savepoint).
    with django_assert_num_queries(20):
        response = client.post(reverse("verdict-save", args=[claim.pk]), data, headers=HX)
    assert response.status_code == 200
    assert Verdict.objects.get(claim=claim, reviewer=cast.erin).rating.label == "Mixed"
    assert Notification.objects.filter(claim=claim, user=cast.bob, kind="ready").count() == 1
    html = response.content.decode()
    assert f'id="claim-row-{claim.pk}"' in html and "hx-swap-oob" in html


def test_a_settled_claims_panel_shows_its_final_rating_and_approver_without_another_query(client, cast, claim, django_assert_num_queries):
    from annotate.models import Claim

    services.save_verdict(claim, cast.alice, rating(cast.project, "Accurate"))
    Claim.objects.filter(pk=claim.pk).update(final_rating=rating(cast.project, "Misleading"), approved_by=cast.bob)
    client.force_login(cast.bob)
    with django_assert_num_queries(8):  # as tests/views/test_claim_detail.py pins it
        html = client.get(reverse("claim-detail", args=[claim.pk]), headers=HX).content.decode()
    assert "Misleading" in html and "approved by bob" in html


def test_a_huge_claim_id_is_a_404_not_a_server_error(client, cast):
    client.force_login(cast.alice)
    assert client.get(f"/claims/{2**70}/", headers=HX).status_code == 404
    from tests.api.conftest import token_client

    api = token_client(cast.alice)
    assert api.post("/api/v1/verdicts/", {"claim": 2**70, "rating": 1}, format="json").status_code == 400
    assert api.post("/api/v1/verdicts/", {"claim": 2**70, "rating": 2**70}, format="json").status_code == 400
