"""Claim creation's hot path (issue 16): the quote checked on a slice of the locked row's text,
the three rows in one statement, and API tokens from the shared cache with immediate revocation."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings as hsettings, strategies as st

from annotate import anchoring
from annotate.claimrows import window_quote
from annotate.models import ApiToken, Claim, HistoryEntry, Span
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


# --- the slice decides as the whole text does --------------------------------------------------


def _whole(body, start, end, quote):
    try:
        return anchoring.check_selection(body, start, end, quote)
    except anchoring.AnchorError:
        return None


def _slice(body, start, end, quote):
    lo = max(0, start - anchoring.CONTEXT)
    return window_quote(body[lo:end + anchoring.CONTEXT], lo, start, end, quote)


TEXT = st.text(alphabet=st.sampled_from(list("ab c\n😀é\u00a0.")), max_size=120)


@hsettings(max_examples=400, deadline=None, database=None)
@given(body=TEXT, start=st.integers(0, 130), length=st.integers(1, 60), shift=st.integers(-3, 3), wrong=st.booleans())
def test_the_slice_check_agrees_with_the_whole_text(body, start, length, shift, wrong):
    end = start + length
    quote = body[start + shift:end + shift] if shift and start + shift >= 0 else body[start:end]
    if wrong:
        quote = quote + "x"
    assert _slice(body, start, end, quote) == _whole(body, start, end, quote)


@pytest.mark.parametrize("start,end", [(0, 5), (5, 9), (40, 44), (44, 48), (46, 50)])
def test_edges_of_the_text(start, end):
    body = "Alpha beta gamma delta epsilon zeta eta theta iota"
    assert len(body) == 50
    assert _slice(body, start, end, body[start:end]) == _whole(body, start, end, body[start:end])


# --- the API path ------------------------------------------------------------------------------


def _post(client, article, start, end, quote, **extra):
    return client.post("/api/v1/claims/", {"article": article.pk, "start": start, "end": end, "quote": quote, **extra},
                       format="json")


def test_the_api_never_fetches_the_article_body_to_create_a_claim(api, cast):
    start = cast.article.body.index("12,000 homes")
    with CaptureQueriesContext(connection) as captured:
        response = _post(api.alice, cast.article, start, start + 12, "12,000 homes")
    assert response.status_code == 201
    reads = [q["sql"] for q in captured.captured_queries if "annotate_article" in q["sql"]]
    assert reads and not any('"annotate_article"."body"' in sql or "body FROM" in sql for sql in reads), reads
    claim = Claim.objects.select_related("span").get(pk=response.json()["id"])
    span = claim.span
    assert (span.start, span.end, span.quote, span.revision) == (start, start + 12, "12,000 homes", cast.article.revision)
    expected = anchoring.select(cast.article.body, start, start + 12)
    assert (span.prefix, span.suffix) == (expected.prefix, expected.suffix)
    entry = HistoryEntry.objects.get(claim=claim)
    assert entry.action == "claim_created" and entry.actor == cast.alice
    assert entry.changes == {"quote": "12,000 homes", "start": start, "end": start + 12}
    assert claim.created_at is not None and span.created_at is not None and entry.created_at is not None


@pytest.mark.parametrize("case", ["other text", "past the end", "whitespace", "moved", "far past the end"])
def test_a_refused_selection_gets_the_whole_texts_message_and_saves_nothing(api, cast, case):
    body = cast.article.body
    at = body.index("12,000 homes")
    start, end, quote = {
        "other text": (at, at + 12, "12,000 house"),
        "past the end": (len(body) - 3, len(body) + 4, body[-3:] + "more"),
        "whitespace": (body.index("\n\n"), body.index("\n\n") + 2, "\n\n"),
        "moved": (at + 1, at + 13, "12,000 homes"),
        "far past the end": (2**40, 2**40 + 5, "homes"),
    }[case]
    try:
        anchoring.check_selection(body, start, end, quote)
    except anchoring.AnchorError as exc:
        expected = str(exc)
    spans = Span.objects.count()
    response = _post(api.alice, cast.article, start, end, quote)
    assert response.status_code == 400
    assert expected in json.dumps(response.json(), ensure_ascii=False)
    assert Span.objects.count() == spans


def test_utf16_offsets_still_work(api, cast):
    body = cast.article.body
    start = body.index("12,000 homes")
    units = len(body[:start].encode("utf-16-le")) // 2
    response = _post(api.alice, cast.article, units, units + 12, "12,000 homes", offsets="utf16")
    assert response.status_code == 201 and response.json()["start"] == start


# --- tokens from the cache ---------------------------------------------------------------------


@pytest.fixture
def token_cache(settings):
    settings.FACTMARK_TOKEN_CACHE = True


def _token_queries(captured):
    return [q for q in captured.captured_queries if "annotate_apitoken" in q["sql"]]


def test_a_cached_token_costs_no_query(api, cast, token_cache):
    assert api.bob.get("/api/v1/projects/").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert api.bob.get("/api/v1/projects/").status_code == 200
    assert _token_queries(captured) == []


def test_a_revoked_token_is_refused_at_once(client, api, cast, token_cache):
    assert api.bob.get("/api/v1/projects/").status_code == 200  # now cached
    client.force_login(cast.bob)
    assert client.post("/profile/token/revoke/").status_code in (200, 302)
    assert not ApiToken.objects.filter(user=cast.bob).exists()
    assert api.bob.get("/api/v1/projects/").status_code == 401


def test_a_replaced_or_deleted_token_and_a_switched_off_user_are_refused_at_once(cast, token_cache):
    first, second = token_client(cast.bob), token_client(cast.erin)
    assert first.get("/api/v1/projects/").status_code == 200
    assert second.get("/api/v1/projects/").status_code == 200
    ApiToken.objects.filter(user=cast.bob).delete()  # as the admin's bulk delete does
    assert first.get("/api/v1/projects/").status_code == 401
    cast.erin.is_active = False
    cast.erin.save()
    assert second.get("/api/v1/projects/").status_code == 401
    cast.erin.is_active = True
    cast.erin.save()
    assert second.get("/api/v1/projects/").status_code == 200


def test_an_expiry_set_later_applies_at_once(api, cast, token_cache):
    from datetime import timedelta

    from django.utils import timezone

    assert api.bob.get("/api/v1/projects/").status_code == 200
    token = ApiToken.objects.get(user=cast.bob)
    token.expires = timezone.now() - timedelta(seconds=1)
    token.save()
    assert api.bob.get("/api/v1/projects/").status_code == 401


# --- desk memory's ranking skips only hopeless candidates --------------------------------------


@hsettings(max_examples=300, deadline=None, database=None)
@given(
    tri=st.floats(0, 1), ft=st.floats(0, 1), threshold=st.floats(0, 1),
    new=st.sampled_from(["It cost 41 million euros", "It did not cost 41 million", "Rents rose", "Half of 2018"]),
    old=st.sampled_from(["It cost 41 million euros", "It cost 52 million euros", "Rents did not rise", "rents rose in 2018"]),
    same=st.booleans(),
)
def test_skipping_candidates_that_cannot_reach_the_threshold_changes_no_ranking(tri, ft, threshold, new, old, same):
    from annotate.memory import matching

    candidate = matching.Candidate(1, old, "the council" if same else "", tri, ft)
    scored = matching.score(new, "the council", candidate)
    if scored.score >= threshold:
        assert matching.can_reach(candidate, threshold)
    assert [s.candidate.id for s in matching.rank(new, "the council", [candidate], threshold=threshold)] == (
        [1] if scored.score >= threshold else [])


# --- the kept connection's health check --------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_healthy_kept_connection_is_reused_without_a_query_and_an_ended_one_is_replaced():
    import psycopg
    from django.conf import settings as dj

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's backend")
    connection.ensure_connection()
    connection.health_check_enabled, connection.health_check_done = True, False
    pid = connection.connection.info.backend_pid
    connection.close_if_health_check_failed()
    assert connection.connection is not None and connection.connection.info.backend_pid == pid  # kept
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, dbname=db["NAME"], user=db["USER"],
                         password=db["PASSWORD"], autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
    import time

    deadline = time.monotonic() + 5
    while connection._looks_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:  # a new connection, not an error
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
    assert dj.DATABASES["default"]["CONN_HEALTH_CHECKS"]


def test_automatic_links_are_written_with_their_history_in_the_claims_transaction(cast):
    from annotate import services
    from annotate.models import ClaimMatch
    from tests.conftest import make_article, make_claim

    project = cast.project
    project.match_autolink = project.match_suggest = 0.5
    project.save()
    first = make_article(project, body="Ferry news\n\nThe barrier cost 41 million euros, said the council.", title="One", user=cast.alice)
    earlier = [make_claim(first, "The barrier cost 41 million euros", cast.alice, claimant="The council")]
    second = make_article(project, body="More ferry news\n\nThe barrier cost 41 million euros, the council said.", title="Two", user=cast.alice)
    earlier.append(make_claim(second, "The barrier cost 41 million euros", cast.alice, claimant="The council"))
    third = make_article(project, body="Again\n\nThe barrier cost 41 million euros, said the council again.", title="Three", user=cast.alice)
    start = third.body.index("The barrier")
    claim = services.add_claim(third, cast.alice, start, start + 33, "The barrier cost 41 million euros", claimant="The council")
    links = ClaimMatch.objects.filter(claim=claim).order_by("earlier_id")
    assert [m.earlier_id for m in links] == [c.pk for c in earlier]
    assert all(m.automatic and m.decision == "confirmed" and m.decided_at is not None for m in links)
    entries = HistoryEntry.objects.filter(claim=claim, action="match_confirmed").order_by("id")
    assert [e.changes["earlier"] for e in entries] == [c.pk for c in earlier]
    assert all(e.changes["automatic"] and e.actor is None and e.created_at is not None for e in entries)
