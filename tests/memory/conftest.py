"""A desk with memory: two articles in which the second repeats a claim of the first."""

from types import SimpleNamespace

import pytest

from annotate import services
from tests.conftest import make_article, make_claim, rating

SECOND_BODY = (
    "Mayor defends flood spending\n\n"
    "Building the tidal barrier came to 41 million euros, the mayor told the café owners on Friday.\n\n"
    "She added that the harbour ferry carries 2.4 million passengers a year."
)


@pytest.fixture
def memory(cast):
    """cast + `earlier` (published, False, claimant "The Council") in the first article,
    `later` (the same claim in other words, said by the mayor: scored below the auto-link
    threshold) and `ferry` (unrelated, claimant "the COUNCIL") in a second article."""
    project = cast.project
    earlier = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice, claimant="The Council", text="The barrier cost 41 million euros.")
    services.save_verdict(earlier, cast.alice, rating(project, "False"), "The budget papers say 52 million.")
    services.add_evidence(earlier, cast.alice, url="https://example.org/budget-2025.pdf", stance="refutes",
                          title="Budget 2025", excerpt="Flood defence: 52 million euros")
    earlier = services.settle_claim(earlier, cast.bob, earlier.version, rating(project, "False"), "It cost 52 million, not 41.")
    earlier = services.publish(earlier, cast.bob, earlier.version)
    second = make_article(project, body=SECOND_BODY, title="Mayor defends flood spending", user=cast.alice, publisher="Harbour Post")
    later = make_claim(second, "Building the tidal barrier came to 41 million euros", cast.erin, claimant="Mayor Ann Berg")
    ferry = make_claim(second, "the harbour ferry carries 2.4 million passengers a year", cast.erin, claimant="  the COUNCIL ")
    return SimpleNamespace(**vars(cast), earlier=earlier, second=second, later=later, ferry=ferry)
