"""The search page and claimant pages, and the API: search, similar, matches (both ways of permission)."""

import pytest
from django.urls import reverse

from annotate.models import ClaimMatch, HistoryEntry
from tests.api.conftest import token_client
from tests.conftest import HX, make_article, make_claim

pytestmark = pytest.mark.django_db


def test_the_search_page_works_as_a_page_and_as_a_fragment(client, memory):
    client.force_login(memory.alice)
    url = reverse("search", args=[memory.project.slug])
    page = client.get(url, {"q": "barrier"})
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and "<mark>" in html
    assert reverse("claim-detail", args=[memory.later.pk]) in html and reverse("claim-detail", args=[memory.earlier.pk]) in html
    fragment = client.get(url, {"q": "ferry", "kind": "claim"}, headers=HX).content.decode()
    assert "<html" not in fragment and 'id="search-results"' in fragment and reverse("claim-detail", args=[memory.ferry.pk]) in fragment
    assert client.get(url).status_code == 200  # the empty form


@pytest.mark.parametrize("params, message", [
    ({"q": "x", "date_from": "yesterday"}, "“From” must be a date"),
    ({"q": "x", "date_from": "2026-02-01", "date_to": "2026-01-01"}, "“From” must be on or before “To”."),
    ({"q": "x", "kind": "verdict"}, "Kind must be claim, article or source."),
    ({"q": "x", "page": "0"}, "Pages start at 1."),
    ({"q": "x", "article": "999999"}, "That article is not in this project."),
    ({"q": "x", "rating": "999999"}, "That rating is not on this project"),
])
def test_bad_search_input_gets_a_clear_error(client, memory, params, message):
    client.force_login(memory.alice)
    response = client.get(reverse("search", args=[memory.project.slug]), params)
    assert response.status_code == 400 and message in response.content.decode()
    api = token_client(memory.alice).get("/api/v1/search/", {"project": memory.project.slug, **params})
    assert api.status_code == 400 and message in api.content.decode()


def test_another_projects_article_is_not_a_search_filter(client, memory):
    foreign = make_article(memory.other, body="Elsewhere the barrier is cheap.", title="Elsewhere")
    client.force_login(memory.alice)
    response = client.get(reverse("search", args=[memory.project.slug]), {"q": "barrier", "article": foreign.pk})
    assert response.status_code == 400


@pytest.mark.parametrize("extra", [0, 30])
def test_the_search_page_costs_a_fixed_number_of_queries(client, memory, django_assert_num_queries, extra):
    from django.db import connection

    body = "\n\n".join(f"Barrier gate {i} needs repair." for i in range(extra)) or "Nothing."
    article = make_article(memory.project, body=body, title="Gates", user=memory.alice)
    for i in range(extra):
        make_claim(article, f"Barrier gate {i} needs repair", memory.alice)
    client.force_login(memory.alice)
    # session, user, the project with the role, its ratings; PostgreSQL: the configurations,
    # the ranked page of ids, their headlines; SQLite: one query per kind.
    expected = 7
    with django_assert_num_queries(expected):
        assert client.get(reverse("search", args=[memory.project.slug]), {"q": "barrier"}).status_code == 200


def test_claimant_pages_group_the_spellings_and_tally_the_verdicts(client, memory):
    client.force_login(memory.alice)
    listing = client.get(reverse("claimants", args=[memory.project.slug])).content.decode()
    assert reverse("claimant", args=[memory.project.slug, "council"]) in listing
    assert reverse("claimant", args=[memory.project.slug, "ann berg"]) in listing
    page = client.get(reverse("claimant", args=[memory.project.slug, "council"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Also written as: the COUNCIL, The Council" in html or "Also written as:   the COUNCIL , The Council" in html
    assert reverse("claim-detail", args=[memory.earlier.pk]) in html and reverse("claim-detail", args=[memory.ferry.pk]) in html
    assert '<bdi class="rating-label">False</bdi></span></th><td>1</td>' in html
    assert "Not settled yet</th><td>1</td>" in html
    assert client.get(reverse("claimant", args=[memory.project.slug, "nobody"])).status_code == 404
    client.force_login(memory.carol)
    assert client.get(reverse("claimant", args=[memory.project.slug, "council"])).status_code == 404


def test_api_search(memory):
    api = token_client(memory.alice)
    body = api.get("/api/v1/search/", {"project": memory.project.slug, "q": "barrier", "kind": "claim"}).json()
    assert {r["id"] for r in body["results"]} == {memory.earlier.pk, memory.later.pk}
    assert all(r["kind"] == "claim" and "<mark>" in r["snippet"] for r in body["results"]) and body["page"] == 1
    assert api.get("/api/v1/search/", {"project": memory.project.slug}).status_code == 400
    assert api.get("/api/v1/search/", {"q": "barrier"}).status_code == 400
    assert token_client(memory.carol).get("/api/v1/search/", {"project": memory.project.slug, "q": "barrier"}).status_code == 404
    assert token_client(None).get("/api/v1/search/", {"project": memory.project.slug, "q": "barrier"}).status_code == 401


def test_api_similar_and_matches(memory):
    api = token_client(memory.erin)
    similar = api.get(f"/api/v1/claims/{memory.later.pk}/similar/").json()
    assert similar[0]["claim"]["id"] == memory.earlier.pk and similar[0]["claim"]["rating"] == "False"
    assert similar[0]["score"] >= 0.6 and any(r.startswith("same numbers") for r in similar[0]["reasons"])
    assert api.get(f"/api/v1/claims/{memory.later.pk}/matches/").json() == []
    response = api.post(f"/api/v1/claims/{memory.later.pk}/matches/", {"earlier": memory.earlier.pk, "decision": "confirmed"}, format="json")
    assert response.status_code == 200 and response.json()["decision"] == "confirmed" and response.json()["decided_by"] == "erin"
    [match] = api.get(f"/api/v1/claims/{memory.later.pk}/matches/?decision=confirmed").json()
    assert match["earlier"]["id"] == memory.earlier.pk
    assert api.get(f"/api/v1/claims/{memory.later.pk}/similar/").json() == []  # decided: no longer a suggestion
    assert HistoryEntry.objects.filter(claim=memory.later, action="match_confirmed", actor=memory.erin).exists()
    # Bad input: 400, nothing changed.
    for data in ({"earlier": memory.later.pk, "decision": "confirmed"}, {"earlier": memory.earlier.pk, "decision": "perhaps"}, {}):
        assert api.post(f"/api/v1/claims/{memory.later.pk}/matches/", data, format="json").status_code == 400
    assert ClaimMatch.objects.count() == 1
    # Outsiders: 404, nothing changed.
    carol = token_client(memory.carol)
    assert carol.get(f"/api/v1/claims/{memory.later.pk}/similar/").status_code == 404
    assert carol.post(f"/api/v1/claims/{memory.later.pk}/matches/", {"earlier": memory.earlier.pk, "decision": "dismissed"}, format="json").status_code == 404
    assert ClaimMatch.objects.get().decision == "confirmed"


@pytest.mark.parametrize("extra", [0, 30])
def test_api_similar_and_search_cost_fixed_queries(memory, django_assert_num_queries, extra, settings):
    # Throttle counters in memory, as in tests/api: the count is the endpoint's own.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "memory-tests"}}

    body = "\n\n".join(f"Barrier gate {i} cost {i + 2} million euros." for i in range(extra)) or "Nothing."
    article = make_article(memory.project, body=body, title="Gates", user=memory.alice)
    for i in range(extra):
        make_claim(article, f"Barrier gate {i} cost {i + 2} million euros", memory.alice)
    later = make_claim(memory.second, "the mayor told the café owners", memory.erin, text="The barrier cost 41 million euros, the mayor said.")
    api = token_client(memory.erin)
    # token+user; the claim with the user's role; its decisions; the candidates; the shown claims.
    with django_assert_num_queries(5):
        assert api.get(f"/api/v1/claims/{later.pk}/similar/").status_code == 200
    # token+user; the project with the role; its ratings; PostgreSQL: configurations, ranked ids,
    # headlines; SQLite: one query per kind.
    with django_assert_num_queries(6):
        assert api.get("/api/v1/search/", {"project": memory.project.slug, "q": "barrier"}).status_code == 200
