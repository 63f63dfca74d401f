"""Issue 16: a verdict saved through the API runs a fixed, pinned number of statements
(throttle counters in a local memory cache here, see conftest: the endpoint's own work)."""

import pytest

from annotate import services
from annotate.models import Notification
from tests.conftest import make_claim, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(cast):
    return make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)


def test_saving_a_verdict_through_the_api_runs_a_fixed_number_of_statements(api, cast, claim, django_assert_num_queries):
    cast.project.required_verdicts = 2
    cast.project.save()
    services.save_verdict(claim, cast.alice, rating(cast.project, "Accurate"), "First.")
    data = {"claim": claim.pk, "rating": rating(cast.project, "Mixed").pk}
    # token+user; the claim with role; the rating on the scale; in one transaction (a savepoint here):
    # her verdict so far, the INSERT in its savepoint, its history entry, the claim's verdicts counted,
    # the editors and their notification; the verdict's JSON row.
    with django_assert_num_queries(14):
        response = api.erin.post("/api/v1/verdicts/", data, format="json")
    assert response.status_code == 201
    assert response.json()["rating"]["label"] == "Mixed"
    assert Notification.objects.filter(claim=claim, user=cast.bob, kind="ready").count() == 1
