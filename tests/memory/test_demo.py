"""The demo of issue 13, end to end: the follow-up article repeats the published claim in
other words; creating it shows the earlier one under Checked before with its verdict,
confirming adds the appearance to the ClaimReview, and search finds both."""

import pytest
from django.core.management import call_command

from annotate import exports, services
from annotate.demo.memory import REPEATED, TITLE
from annotate.memory import search, similar
from annotate.models import Article, Claim, Project, Status

pytestmark = pytest.mark.django_db


def test_the_demo_shows_checked_before_and_the_appearance_flows_out(monkeypatch, tmp_path):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo", stdout=open(tmp_path / "out.txt", "w"))
    call_command("seed_demo", stdout=open(tmp_path / "out2.txt", "w"))  # safe twice
    project = Project.objects.get(slug="demo-desk")
    follow_up = Article.objects.get(project=project, title=TITLE)
    # Once, however often the demo is seeded (the desk's other demos add articles of their own).
    assert Article.objects.filter(project=project, title=TITLE).count() == 1 and not follow_up.claims.exists()
    first = Article.objects.get(project=project, source_url="https://example.org/riverside-courier/flood-barrier-vote")
    published = Claim.objects.get(article=first, status=Status.PUBLISHED)

    reviewer = follow_up.created_by
    start = follow_up.body.index(REPEATED)
    claim = services.add_claim(follow_up, reviewer, start, start + len(REPEATED), REPEATED)
    suggestions, links = similar.checked_before(claim)
    assert links == []  # below the auto-link threshold: the reviewer decides
    assert suggestions[0].claim.pk == published.pk and suggestions[0].claim.final_rating.label == "Misleading"
    assert "same numbers: 10" in suggestions[0].reasons

    similar.decide(claim, reviewer, published.pk, "confirmed")
    [review] = exports.claim_reviews(exports.published_claims(Claim.objects.filter(pk=published.pk)), "https://desk.example.org")
    headlines = [a["headline"] for a in review["itemReviewed"]["appearance"]]
    assert headlines == ["Riverside council says new flood barrier will pay for itself within a decade", TITLE]
    assert review["itemReviewed"]["firstAppearance"]["datePublished"] == "2026-03-14"

    hits, _ = search.search(project, search.Params(q="barrier", kinds=("article",)))
    assert {h.id for h in hits} == {published.article_id, follow_up.pk}
