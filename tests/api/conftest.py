"""API fixtures: token clients for the cast, and a desk with claims in every state.

The desk (`desk` fixture), in cast.project:
- `published`: "cost 41 million euros" by alice; verdicts alice False and erin Misleading;
  final verdict False by bob, published; one source.
- `reviewing`: "protects 12,000 homes" by erin; alice's verdict Accurate; in review.
- `fresh`: "ran three years late" by alice; no verdict, open.
And in cast.other (carol's desk, which nobody else may see): `foreign`, published too.
"""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from annotate import services
from tests.conftest import make_article, make_claim, rating


@pytest.fixture(autouse=True)
def _local_throttle_cache(settings):
    """Throttling counters in memory, emptied per test: anonymous requests of one test never
    throttle the next, and query counts are those of the endpoint, not of the cache backend."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-tests"}}
    cache.clear()
    yield
    cache.clear()


def token_client(user):
    from rest_framework.test import APIClient

    from annotate.models import ApiToken

    client = APIClient()
    if user is not None:
        _, key = ApiToken.objects.issue(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api(cast):
    """api.alice, api.bob, … : APIClients authenticated by token; api.anon has no credentials."""
    return SimpleNamespace(
        alice=token_client(cast.alice),
        erin=token_client(cast.erin),
        bob=token_client(cast.bob),
        dora=token_client(cast.dora),
        carol=token_client(cast.carol),
        anon=token_client(None),
    )


@pytest.fixture
def desk(cast):
    project = cast.project
    published = make_claim(cast.article, "cost 41 million euros", cast.alice, claimant="The council")
    services.save_verdict(published, cast.alice, rating(project, "False"), "The budget says 52 million.")
    services.save_verdict(published, cast.erin, rating(project, "Misleading"), "=HYPERLINK(\"http://evil\")")
    services.add_evidence(published, cast.alice, url="https://example.org/budget.pdf", stance="refutes", title="Budget 2025")
    published.refresh_from_db()
    published = services.settle_claim(published, cast.bob, published.version, rating(project, "False"), "The budget says 52 million euros.")
    published = services.publish(published, cast.bob, published.version)

    reviewing = make_claim(cast.article, "protects 12,000 homes", cast.erin)
    services.save_verdict(reviewing, cast.alice, rating(project, "Accurate"), "Matches the flood map.")
    reviewing.refresh_from_db()

    fresh = make_claim(cast.article, "ran three years late", cast.alice)

    foreign_article = make_article(cast.other, body="Other desk article.\n\nThe port moved 9 million containers.", title="Port", user=cast.carol)
    foreign = make_claim(foreign_article, "9 million containers", cast.carol)
    services.save_verdict(foreign, cast.carol, rating(cast.other, "Accurate"), "Port statistics.")
    foreign.refresh_from_db()
    foreign = services.settle_claim(foreign, cast.carol, foreign.version, rating(cast.other, "Accurate"), "Port statistics.")
    foreign = services.publish(foreign, cast.carol, foreign.version)
    return SimpleNamespace(published=published, reviewing=reviewing, fresh=fresh, foreign=foreign, foreign_article=foreign_article)


def results(response):
    """The items of a paginated JSON response."""
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return [item["id"] for item in results(response)]


def streamed(response):
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def bulk_claims(article, count, reviewers=(), final=None, editor=None, sources=0):
    """`count` claims on the article's first word, each with a verdict per reviewer; fast (bulk inserts).

    final: a Rating to settle and publish every claim with (by `editor`).
    sources: how many sources to attach to each claim.
    For volume and query-count tests; behaviour tests go through the services.
    """
    from django.utils import timezone

    from annotate.models import Claim, Evidence, Source, Span, Status, Verdict

    end = article.body.index(" ")
    quote = article.body[:end]
    spans = Span.objects.bulk_create(
        Span(article=article, start=0, end=end, quote=quote, suffix=article.body[end : end + 32]) for _ in range(count)
    )
    now = timezone.now()
    settled = {"final_rating": final, "final_rationale": "Settled.", "approved_by": editor, "approved_at": now, "published_at": now, "status": Status.PUBLISHED} if final else {}
    claims = Claim.objects.bulk_create(
        Claim(project_id=article.project_id, article=article, span=span, text=f"Claim {i}", created_by=reviewers[0] if reviewers else None, **settled)
        for i, span in enumerate(spans)
    )
    scale = list(article.project.ratings.all())
    Verdict.objects.bulk_create(
        Verdict(claim=claim, reviewer=reviewer, rating=scale[(i + j) % len(scale)], rationale=f"Because {i}.")
        for i, claim in enumerate(claims)
        for j, reviewer in enumerate(reviewers)
    )
    if sources:
        made = Source.objects.bulk_create(
            Source(project_id=article.project_id, url=f"https://sources.example/{article.pk}/{i}", title=f"Source {i}") for i in range(sources)
        )
        Evidence.objects.bulk_create(Evidence(claim=claim, source=source, stance="context") for claim in claims for source in made)
    return claims
