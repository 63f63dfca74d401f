"""Two editors save the same claim at the same moment: exactly one wins, the other gets 409.

Runs on PostgreSQL (CI's main run), where the two requests really overlap: each thread has
its own connection, a barrier releases both PATCHes together, and the row lock taken by the
first UPDATE makes the second re-check `version` after the first commits. SQLite serialises
writers, so there is nothing to race there.
"""

import threading

import pytest
from django.db import connection, connections

from annotate.models import Claim, HistoryEntry
from tests.api.conftest import token_client
from tests.conftest import make_claim, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


@pytest.fixture
def two_editors(cast):
    from annotate.models import Membership

    second = make_user("eve")
    Membership.objects.create(project=cast.project, user=second, role="editor")
    return cast.bob, second


def race(clients, url, payloads):
    """PATCH from every client at once; return the responses."""
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def run(i):
        try:
            barrier.wait(timeout=10)
            responses[i] = clients[i].patch(url, payloads[i], format="json")
        finally:
            connections.close_all()  # this thread's connection; the test database is dropped later

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return responses


def test_two_editors_saving_the_same_claim_at_once_one_wins_and_one_gets_409(cast, two_editors):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so the requests cannot overlap")
    clients = [token_client(editor) for editor in two_editors]
    for round_ in range(ROUNDS):
        claim = make_claim(cast.article, "protects 12,000 homes", cast.alice)
        url = f"/api/v1/claims/{claim.pk}/"
        texts = [f"Round {round_}: text by bob", f"Round {round_}: text by eve"]
        responses = race(clients, url, [{"version": claim.version, "text": text} for text in texts])

        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 409], [r.content for r in responses]
        winner = next(r for r in responses if r.status_code == 200).json()
        loser = next(r for r in responses if r.status_code == 409).json()
        # The loser sees the winner's state; the database holds exactly the winner's edit.
        assert loser["current"]["text"] == winner["text"]
        assert loser["current"]["version"] == claim.version + 1
        stored = Claim.objects.get(pk=claim.pk)
        assert (stored.text, stored.version) == (winner["text"], claim.version + 1)
        assert HistoryEntry.objects.filter(claim=claim, action="claim_edited").count() == 1
