"""Claims created while the article is being revised are stored against the text they quote (issue 18, item 2).

The attack run: six API writers created claims while a reviewer saved a revision that
inserted a sentence before them; 33 spans ended up stored for revision 1 on an article
at revision 2, their quotes not matching the text at their offsets. Here six writers
post claims (half say which revision they selected on, half do not) while an editor
stores revisions that each insert a sentence at the top. Creating a claim and storing
a revision take the same row lock on the article, so afterwards every placed span
quotes exactly the current text at its offsets: zero mismatched spans, every
acknowledged claim stored once, every refusal a clear 400/409.

Runs on PostgreSQL, where the requests really overlap (each thread has its own
connection); SQLite serialises writers.
"""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from annotate.models import Article, Claim, Membership, Span
from tests.api.conftest import token_client
from tests.conftest import make_article, make_project, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 6
CLAIMS_EACH = 12
REVISIONS = 8
SENTENCES = [f"Sentence {i:03d} says the barrier cost {i} million euros." for i in range(WRITERS * CLAIMS_EACH)]


@pytest.fixture
def desk(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so claims and revisions cannot overlap")
    editor = make_user("editor")
    writers = [make_user(f"writer{i}") for i in range(WRITERS)]
    project = make_project(slug="race-desk", name="Race desk")
    Membership.objects.create(project=project, user=editor, role="editor")
    for user in writers:
        Membership.objects.create(project=project, user=user, role="reviewer")
    article = make_article(project, body="Race\n\n" + "\n\n".join(SENTENCES), title="Race", user=editor)
    return article, editor, writers


def mismatched_spans(article):
    """Placed spans whose quote is not the article's current text at their offsets, or that name another revision."""
    article = Article.objects.get(pk=article.pk)
    return [
        (span.pk, span.revision, span.quote, article.body[span.start : span.end])
        for span in Span.objects.filter(article=article, orphaned=False)
        if article.body[span.start : span.end] != span.quote or span.revision != article.revision
    ]


def test_claims_created_during_revisions_all_quote_the_text_they_point_at(desk, capsys):
    article, editor, writers = desk
    start = threading.Barrier(WRITERS + 1)
    acknowledged, outcomes, lock = [], Counter(), threading.Lock()

    def writer(n):
        client = token_client(writers[n])
        try:
            start.wait(timeout=10)
            for i in range(CLAIMS_EACH):
                sentence = SENTENCES[n * CLAIMS_EACH + i]
                for _attempt in range(20):
                    seen = client.get(f"/api/v1/articles/{article.pk}/").json()
                    at = seen["body"].index(sentence)
                    payload = {"article": article.pk, "start": at, "end": at + len(sentence), "quote": sentence}
                    if n % 2 == 0:
                        payload["revision"] = seen["revision"]
                    response = client.post("/api/v1/claims/", payload, format="json")
                    with lock:
                        outcomes[response.status_code] += 1
                    if response.status_code == 201:
                        with lock:
                            acknowledged.append((response.json()["id"], sentence))
                        break
                    assert response.status_code in (400, 409), response.content
                    assert "revised" in response.content.decode() or "does not match" in response.content.decode()
        finally:
            connections.close_all()

    def reviser():
        client = token_client(editor)
        try:
            start.wait(timeout=10)
            for k in range(REVISIONS):
                body = client.get(f"/api/v1/articles/{article.pk}/").json()["body"]
                response = client.post(f"/api/v1/articles/{article.pk}/revisions/", {"body": f"Update {k}: a new first sentence.\n\n{body}"}, format="json")
                with lock:
                    outcomes[f"revision {response.status_code}"] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)] + [threading.Thread(target=reviser)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)

    wrong = mismatched_spans(article)
    with capsys.disabled():
        print(f"\nrevision race: {WRITERS} writers x {CLAIMS_EACH} claims, {REVISIONS} revisions: {dict(outcomes)}; "
              f"{len(acknowledged)} claims acknowledged, {len(wrong)} mismatched spans")
    assert outcomes["revision 201"] == REVISIONS
    assert Article.objects.get(pk=article.pk).revision == REVISIONS + 1
    assert wrong == []
    # Every acknowledged claim is stored once, on its own sentence; nothing unacknowledged is.
    assert len(acknowledged) == WRITERS * CLAIMS_EACH
    stored = {c.pk: c.span.quote for c in Claim.objects.filter(article=article).select_related("span")}
    assert stored == dict(acknowledged)
