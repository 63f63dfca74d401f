"""Precision at 1 and recall at 5 of "Checked before" on the labelled set (tests/memory/pairs.py).

precision@1: of the later claims whose best suggestion clears the suggest threshold, the
share whose best suggestion is the earlier claim they reword (numbers-changed, negated
and same-topic claims should get none). recall@5: of the rewordings, the share whose
earlier claim is among the first five suggestions.
"""

from annotate.memory import matching
from annotate.memory.claimants import normalise_claimant
from tests.memory.pairs import ROWS, pairs


def metrics(results):
    """results: (earlier index, is a match, [suggested earlier indexes, best first])."""
    shown = [(i, match, got) for i, match, got in results if got]
    hits = sum(1 for i, match, got in shown if match and got[0] == i)
    positives = [(i, got) for i, match, got in results if match]
    found = sum(1 for i, got in positives if i in got[:5])
    return {
        "precision_at_1": hits / len(shown) if shown else 0.0,
        "recall_at_5": found / len(positives) if positives else 0.0,
        "shown": len(shown),
        "pairs": len(results),
    }


def evaluate_pure(threshold=0.5):
    """The Python (SQLite) signals, no database: every earlier claim is a candidate."""
    results = []
    for i, text, _kind, match in pairs():
        key = normalise_claimant(ROWS[i][1])
        pool = []
        for j, row in enumerate(ROWS):
            tri, overlap = matching.text_signals(text, row[0])
            pool.append(matching.Candidate(j, row[0], normalise_claimant(row[1]), tri, overlap))
        got = [s.candidate.id for s in matching.rank(text, key, pool, threshold=threshold, limit=5)]
        results.append((i, match, got))
    return metrics(results)


if __name__ == "__main__":
    for t in (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        print(t, evaluate_pure(t))


class _Rollback(Exception):
    pass


def evaluate_database(project, user, threshold=None, analyze=False):
    """The whole path on the current database (PostgreSQL: pg_trgm and full text; SQLite:
    rapidfuzz): the earlier claims are made claims of one article, then each later claim
    is created in a savepoint, looked up with `similar.ranked`, and rolled back, so every
    later claim sees exactly the earlier ones. `analyze`: PostgreSQL gathers statistics
    first, so the shortlist judges how rare each word is, as on a production database."""
    from django.db import connection, transaction

    from annotate import services
    from annotate.extract import Extracted
    from annotate.memory import similar

    earlier_body = "\n\n".join(row[0] for row in ROWS)
    earlier = services.import_article(project, user, Extracted(title="Earlier claims", body=earlier_body))
    claim_ids = []
    for row in ROWS:
        start = earlier_body.index(row[0])
        claim_ids.append(services.add_claim(earlier, user, start, start + len(row[0]), row[0], claimant=row[1]).pk)
    index_of = {pk: i for i, pk in enumerate(claim_ids)}
    later_rows = list(pairs())
    later_body = "\n\n".join(text for _, text, _, _ in later_rows)
    later = services.import_article(project, user, Extracted(title="Later claims", body=later_body))
    if analyze and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE annotate_searchdocument")
    results = []
    position = 0
    for i, text, _kind, match in later_rows:
        start = later_body.index(text, position)
        position = start + len(text)
        try:
            with transaction.atomic():
                claim = services.add_claim(later, user, start, start + len(text), text, claimant=ROWS[i][1])
                claim.project = project
                got = [index_of[s.candidate.id] for s in similar.ranked(claim, threshold=threshold, limit=5, decided={})]
                raise _Rollback
        except _Rollback:
            pass
        results.append((i, match, got))
    return metrics(results)
