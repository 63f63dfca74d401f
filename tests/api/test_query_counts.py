"""No N+1: every list answers in the same number of queries for 3 items as for 30.

Token authentication is one query (the token joined with its user); the throttle counters
live in a local memory cache in these tests (see conftest), so what is counted is the
endpoint's own work.
"""

import pytest

from annotate.models import Membership, Project, Source
from tests.api.conftest import bulk_claims, streamed
from tests.conftest import make_article, rating


def _claims(cast, n):
    bulk_claims(cast.article, n, reviewers=[cast.alice, cast.erin], final=rating(cast.project, "False"), editor=cast.bob, sources=2)


def _projects(cast, n):
    for i in range(n - 1):  # plus cast.project
        project = Project.objects.create(slug=f"desk-{i}", name=f"Desk {i}")
        Membership.objects.create(project=project, user=cast.bob, role="editor")


def _articles(cast, n):
    for i in range(n - 1):  # plus cast.article
        make_article(cast.project, body=f"Article number {i}.\n\nIt has text.", title=f"Article {i}")


def _sources(cast, n):
    Source.objects.bulk_create(Source(project=cast.project, url=f"https://sources.example/{i}", title=f"S{i}") for i in range(n))


# (url, data builder, items per unit of count, expected queries, what they are)
CASES = [
    ("/api/v1/projects/", _projects, 1, 3, "token+user; projects with my role; their ratings (prefetch)"),
    ("/api/v1/articles/", _articles, 1, 2, "token+user; articles with project slug (no bodies)"),
    ("/api/v1/claims/", _claims, 1, 3, "token+user; the page of claim ids; their JSON rows (span, final rating, usernames joined)"),
    ("/api/v1/verdicts/", _claims, 2, 3, "token+user; the page of verdict ids; their JSON rows (claim, rating, reviewer joined)"),
    ("/api/v1/sources/", _sources, 1, 3, "token+user; sources with project slug and latest snapshot; their evidence"),
    ("/api/v1/claimreviews/", _claims, 1, 4, "token+user; published claims with project, article, final rating; the scales' ratings; their appearances"),
    ("/api/v1/annotations/", _claims, 1, 6, "token+user; claim rows; their verdicts; their sources; their matches; the collection's total"),
    ("/api/v1/annotations/?cursor=", _claims, 1, 6, "token+user; claim rows; their verdicts; their sources; their matches; the collection's total"),
    ("/api/v1/export/verdicts.csv", _claims, 2, 2, "token+user; verdict rows (one streamed query, or COPY on PostgreSQL)"),
    ("/api/v1/export/verdicts.jsonl", _claims, 2, 2, "token+user; verdict rows (one streamed query, or COPY on PostgreSQL)"),
]


def _items(response):
    if response.streaming:
        lines = streamed(response).strip().splitlines()
        return lines[1:] if response["Content-Type"].startswith("text/csv") else lines  # CSV has a header
    data = response.json()
    if "first" in data:
        return data["first"]["items"]
    return data["items"] if "items" in data else data["results"]


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("url, build, per_count, expected, what", CASES, ids=[c[0] for c in CASES])
def test_a_list_costs_the_same_queries_for_3_and_30_items(api, cast, django_assert_num_queries, count, url, build, per_count, expected, what):
    build(cast, count)
    with django_assert_num_queries(expected, info=what):
        response = api.bob.get(url)
        items = _items(response)
    assert response.status_code == 200
    assert len(items) == per_count * count  # two verdicts per claim


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/api/v1/claims/{claim}/", 2),  # token+user; the claim's JSON row
        ("/api/v1/verdicts/{verdict}/", 2),  # token+user; the verdict's JSON row
        ("/api/v1/claimreviews/{claim}/", 4),  # token+user; the claim with project, article, rating; the scale; its appearances
        ("/api/v1/annotations/{claim}/", 5),  # token+user; the claim row; its verdicts; its sources; its matches
        ("/api/v1/articles/{article}/", 2),  # token+user; the article with its project
    ],
)
def test_a_detail_costs_a_fixed_number_of_queries(api, cast, django_assert_num_queries, path, expected):
    [claim] = bulk_claims(cast.article, 1, reviewers=[cast.alice], final=rating(cast.project, "False"), editor=cast.bob, sources=3)
    url = path.format(claim=claim.pk, verdict=claim.verdicts.get().pk, article=cast.article.pk)
    with django_assert_num_queries(expected):
        assert api.bob.get(url).status_code == 200


def test_creating_a_claim_is_lean(api, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = cast.article.body.index("12,000 homes")
    with CaptureQueriesContext(connection) as captured:
        response = api.alice.post("/api/v1/claims/", {"article": cast.article.pk, "start": start, "end": start + 12, "quote": "12,000 homes"}, format="json")
    assert response.status_code == 201
    # token+user; article (without its body) with membership; then one transaction: the article's
    # revision and the text around the selection under its row lock (claims and revisions
    # serialise: one statement), span, claim and history entry (one INSERT with CTEs on
    # PostgreSQL: 3 statements fewer than before issue 16's work, three INSERTs on SQLite),
    # and desk memory's auto-link candidates (one statement: a WITH query on PostgreSQL).
    statements = [q["sql"].split()[0] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    if connection.vendor == "postgresql":
        assert statements == ["SELECT", "SELECT", "SELECT", "WITH", "WITH"]
    else:
        assert statements == ["SELECT", "SELECT", "SELECT", "INSERT", "INSERT", "INSERT", "SELECT"]
