"""Concurrent reviewers on PostgreSQL, against a live (threaded) server over HTTP.

Eight reviewers write at once to the same article through the API and the review page's
htmx endpoint: claims, verdicts, and edits of the same claim with the version each one
read. Afterwards every acknowledged write is in the database exactly once, nothing
unacknowledged is, and the optimistic lock lost no update: a claim's final version is
1 + the number of edits that were answered 200.
"""

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from annotate.models import ApiToken

from annotate.models import Claim, HistoryEntry, Membership, Span, Verdict
from tests.conftest import make_article, make_claim, make_project, make_user, rating

WRITERS = 8
WRITES_EACH = 25
SENTENCES = [f"Sentence {i:03d} says the barrier cost {i} million euros." for i in range((WRITERS + 1) * WRITES_EACH)]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested against PostgreSQL; SQLite serialises writers by design")
    reviewers = [make_user(f"reviewer{i}") for i in range(WRITERS)]
    project = make_project(slug="busy-desk", name="Busy desk")
    for user in reviewers:
        Membership.objects.create(project=project, user=user, role="reviewer")
    article = make_article(project, body="\n\n".join(SENTENCES), title="Busy", user=reviewers[0])
    tokens = [ApiToken.objects.issue(user)[1] for user in reviewers]
    return project, article, reviewers, tokens


def _session(token):
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    return session


def _select(article, sentence):
    start = article.body.index(sentence)
    return {"article": article.pk, "start": start, "end": start + len(sentence), "quote": sentence}


def test_concurrent_claims_and_verdicts_are_all_kept_exactly_once(desk, live_server, capsys):
    project, article, reviewers, tokens = desk
    shared = [make_claim(article, SENTENCES[i], reviewers[0]) for i in range(WRITES_EACH)]  # verdict targets
    false = rating(project, "False").pk
    before_claims = Claim.objects.count()
    acknowledged = {"claims": [], "verdicts": []}
    refused = Counter()
    lock = threading.Lock()

    def writer(n):
        session = _session(tokens[n])
        for i in range(WRITES_EACH):
            if i % 2 == 0:  # a new claim on this writer's own sentence
                sentence = SENTENCES[WRITES_EACH + n * WRITES_EACH + i]
                response = session.post(f"{live_server.url}/api/v1/claims/", json=_select(article, sentence), timeout=60)
                kind, expected = "claims", (n, sentence)
            else:  # a verdict on a claim every writer is rating at the same moment
                claim = shared[i]
                response = session.post(f"{live_server.url}/api/v1/verdicts/", json={"claim": claim.pk, "rating": false, "rationale": f"w{n}"}, timeout=60)
                kind, expected = "verdicts", (n, claim.pk)
            with lock:
                if response.status_code == 201:
                    acknowledged[kind].append((expected, response.json()["id"]))
                else:
                    refused[(kind, response.status_code)] += 1

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))

    total = len(acknowledged["claims"]) + len(acknowledged["verdicts"])
    with capsys.disabled():
        print(f"\nconcurrency: {WRITERS} writers × {WRITES_EACH} writes = {WRITERS * WRITES_EACH}; acknowledged {total}; refused {dict(refused)}")
    assert not refused, f"writes refused or failed: {dict(refused)}"

    # Every acknowledged claim is there once, on the right text, by the right reviewer.
    claim_ids = [pk for _, pk in acknowledged["claims"]]
    assert len(claim_ids) == len(set(claim_ids)) == WRITERS * ((WRITES_EACH + 1) // 2)
    stored = {c.pk: c for c in Claim.objects.filter(pk__in=claim_ids).select_related("span", "created_by")}
    for (n, sentence), pk in acknowledged["claims"]:
        assert stored[pk].span.quote == sentence and stored[pk].created_by == reviewers[n]
    assert Claim.objects.count() == before_claims + len(claim_ids)
    assert Span.objects.filter(article=article).count() == Claim.objects.filter(article=article).count()

    # Every acknowledged verdict is there once; one per reviewer per claim.
    verdict_ids = [pk for _, pk in acknowledged["verdicts"]]
    assert len(verdict_ids) == len(set(verdict_ids)) == WRITERS * (WRITES_EACH // 2)
    stored = {v.pk: v for v in Verdict.objects.filter(pk__in=verdict_ids)}
    for (n, claim_id), pk in acknowledged["verdicts"]:
        assert stored[pk].claim_id == claim_id and stored[pk].reviewer_id == reviewers[n].pk and stored[pk].rationale == f"w{n}"
    assert Verdict.objects.count() == len(verdict_ids)
    pairs = Counter(Verdict.objects.values_list("claim_id", "reviewer_id"))
    assert max(pairs.values()) == 1


def test_the_same_first_verdict_sent_eight_times_at_once_is_stored_once(desk, live_server):
    project, article, reviewers, tokens = desk
    claim = make_claim(article, SENTENCES[0], reviewers[0])
    barrier = threading.Barrier(WRITERS)

    def send(n):
        session = _session(tokens[1])  # the same reviewer in eight tabs
        barrier.wait()
        return session.post(f"{live_server.url}/api/v1/verdicts/", json={"claim": claim.pk, "rating": "Mixed", "rationale": f"tab {n}"}, timeout=60)

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = Counter(r.status_code for r in pool.map(send, range(WRITERS)))
    assert statuses == {201: 1, 409: WRITERS - 1}
    assert Verdict.objects.filter(claim=claim, reviewer=reviewers[1]).count() == 1
    assert HistoryEntry.objects.filter(claim=claim, action="verdict_created").count() == 1


def test_concurrent_edits_of_one_claim_lose_no_update(desk, live_server, capsys):
    project, article, reviewers, tokens = desk
    claim = make_claim(article, SENTENCES[1], reviewers[0])
    url = f"{live_server.url}/api/v1/claims/{claim.pk}/"
    outcomes = Counter()
    saved_texts = []
    lock = threading.Lock()

    def editor(n):
        session = _session(tokens[n])
        for i in range(WRITES_EACH):
            version = session.get(url, timeout=60).json()["version"]
            text = f"writer {n} edit {i}"
            response = session.patch(url, json={"version": version, "text": text}, timeout=60)
            with lock:
                outcomes[response.status_code] += 1
                if response.status_code == 200:
                    assert response.json()["version"] == version + 1
                    saved_texts.append(text)

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(editor, range(WRITERS)))

    with capsys.disabled():
        print(f"\nlost-update check: {WRITERS} editors × {WRITES_EACH} edits: {dict(outcomes)}")
    assert set(outcomes) <= {200, 409}, dict(outcomes)
    assert outcomes[200] >= 1
    claim.refresh_from_db()
    assert claim.version == 1 + outcomes[200]
    assert claim.text in saved_texts
    # Each accepted edit left exactly one history entry; a refused one left none.
    assert HistoryEntry.objects.filter(claim=claim, action="claim_edited").count() == outcomes[200]


def test_concurrent_edits_of_one_verdict_lose_no_update(desk, live_server):
    project, article, reviewers, tokens = desk
    from annotate import services

    claim = make_claim(article, SENTENCES[2], reviewers[0])
    verdict = services.save_verdict(claim, reviewers[3], rating(project, "False"), "first")
    url = f"{live_server.url}/api/v1/verdicts/{verdict.pk}/"
    outcomes = Counter()
    lock = threading.Lock()

    def tab(n):
        session = _session(tokens[3])  # one reviewer, eight tabs
        for i in range(WRITES_EACH // 2):
            version = session.get(url, timeout=60).json()["version"]
            response = session.patch(url, json={"version": version, "rationale": f"tab {n} edit {i}"}, timeout=60)
            with lock:
                outcomes[response.status_code] += 1

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(tab, range(WRITERS)))
    assert set(outcomes) <= {200, 409}, dict(outcomes)
    verdict.refresh_from_db()
    assert verdict.version == 1 + outcomes[200]
    assert HistoryEntry.objects.filter(verdict=verdict, action="verdict_changed").count() == outcomes[200]


def _page_session(live_server, user):
    """A browser-like session: logged in through the form, with the CSRF token the page gives htmx."""
    session = requests.Session()
    login = session.get(f"{live_server.url}/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    response = session.post(f"{live_server.url}/login/", data={"username": user.username, "password": "pw-for-tests-only",
                            "csrfmiddlewaretoken": token}, headers={"Referer": f"{live_server.url}/login/"}, timeout=60)
    assert response.status_code == 200 and "_auth" not in response.url
    session.headers.update({"X-CSRFToken": session.cookies["csrftoken"], "HX-Request": "true", "Referer": live_server.url + "/"})
    return session


def test_concurrent_claims_through_the_htmx_endpoint_are_all_kept(desk, live_server):
    project, article, reviewers, tokens = desk
    sessions = [_page_session(live_server, user) for user in reviewers]
    acknowledged = []
    lock = threading.Lock()

    def writer(n):
        for i in range(WRITES_EACH // 5):
            sentence = SENTENCES[n * WRITES_EACH + i]
            data = _select(article, sentence)
            response = sessions[n].post(f"{live_server.url}/articles/{article.pk}/claims/", data=data, timeout=60)
            with lock:
                if response.status_code == 200:
                    acknowledged.append((n, sentence, response.headers.get("HX-Push-Url")))
                else:
                    acknowledged.append((n, sentence, f"status {response.status_code}"))

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))
    failures = [a for a in acknowledged if not (a[2] or "").startswith("/claims/")]
    assert not failures, failures[:5]
    ids = [int(url.split("/")[2]) for _, _, url in acknowledged]
    assert len(ids) == len(set(ids)) == WRITERS * (WRITES_EACH // 5)
    stored = {c.pk: c for c in Claim.objects.filter(pk__in=ids).select_related("span")}
    for (n, sentence, url), pk in zip(acknowledged, ids):
        assert stored[pk].span.quote == sentence and stored[pk].created_by_id == reviewers[n].pk


def _version(html, form):
    """The version a form in the claim panel was rendered with (what the browser would post back)."""
    return int(re.search(rf'name="version" value="(\d+)"[^>]*id="{form}_version"', html).group(1))


@pytest.mark.parametrize("form, path, data", [
    ("edit", "edit", lambda n, i: {"text": f"tab {n} edit {i}"}),
    ("verdict", "verdict", lambda n, i: {"rating": None, "rationale": f"tab {n} edit {i}"}),
], ids=["claim-edit", "verdict-save"])
def test_concurrent_page_edits_with_the_version_each_tab_read_lose_no_update(desk, live_server, form, path, data):
    """The htmx forms: eight tabs of one reviewer read the panel, then post with the version they saw."""
    from annotate import services

    project, article, reviewers, tokens = desk
    claim = make_claim(article, SENTENCES[3], reviewers[2])
    false = rating(project, "False")
    verdict = services.save_verdict(claim, reviewers[2], false, "first")
    sessions = [_page_session(live_server, reviewers[2]) for _ in range(WRITERS)]
    panel = f"{live_server.url}/claims/{claim.pk}/"
    outcomes = Counter()
    lock = threading.Lock()

    def tab(n):
        for i in range(WRITES_EACH // 5):
            version = _version(sessions[n].get(panel, timeout=60).text, form)
            payload = {**data(n, i), "version": version}
            if form == "verdict":
                payload["rating"] = false.pk
            response = sessions[n].post(f"{panel}{path}/", data=payload, timeout=60)
            with lock:
                outcomes[response.status_code] += 1

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(tab, range(WRITERS)))
    assert set(outcomes) <= {200, 409}, dict(outcomes)
    target = Claim.objects.get(pk=claim.pk) if form == "edit" else Verdict.objects.get(pk=verdict.pk)
    assert target.version == 1 + outcomes[200], dict(outcomes)
