"""Checked before: candidates from the database, scored by `matching`, and the reviewers' decisions.

PostgreSQL shortlists candidates by their rarest words, then measures two signals for
them, all in one query:

1. The new claim's lexemes (its text in the article's text-search configuration,
   unaccented), each with how many search documents are expected to hold it: the
   planner's statistics of `annotate_searchdocument.vector` (`pg_stats`' most common
   elements; a lexeme not among them counts as half the rarest listed) times the rows.
2. Probes, each a small tsquery run against the GIN index of claim documents
   (`searchdoc_claim_vector_gin`), at most `PER_PROBE` earlier claims of the project each:
   all of the `RARE_WORDS` rarest lexemes; every pair of the `PAIR_WORDS` rarest; and each
   lexeme alone among the rarest (at least `RARE_WORDS`, more while together they are
   expected in at most `RARE_ROWS` documents, at most `SINGLE_WORDS`). Rare words (names,
   places, figures, uncommon terms) are what a restatement keeps from the claim it
   repeats; the cap per probe keeps a common pair from crowding out a rare one.
3. The claims found are ranked by `ts_rank` against every lexeme of the new claim and the
   best `CANDIDATES` kept; for those, trigram similarity (pg_trgm) and full-text overlap
   (the share of lexemes in common: the new claim's against the weight-A part of the
   earlier claim's stored search document, which is its text).

So the work is bounded whatever the project's size or how alike its claims are: at most
1 + 15 + 8 probes of a few posting lists and `PER_PROBE` heap rows each, `CANDIDATES`
rows scored (bench/memory.py, BENCHMARKS.md "Desk memory"). A claim that shares no lexeme
with an earlier one cannot reach the suggest threshold anyway (its full-text signal is 0).
SQLite has neither, so rapidfuzz ranks the project's earlier claims in Python.

pg_trgm's similarity is a Jaccard index of trigram sets, lower than rapidfuzz's ratio
for the same pair; its square root puts the two on one scale, so one set of weights and
thresholds serves both databases (tests/memory/test_labelled_set.py measures each).

Only claims created before this one are candidates ("earlier"), and a pair a reviewer
dismissed is never suggested again.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Now
from rapidfuzz import fuzz, process

from annotate import claimrows
from annotate.memory import matching
from annotate.models import Claim, ClaimMatch, HistoryAction, HistoryEntry, MatchDecision, Status

CANDIDATES = 40
SUGGESTIONS = 8
# PostgreSQL's probes (see the module's docstring).
RARE_WORDS = 3
PAIR_WORDS = 6
SINGLE_WORDS = 8
RARE_ROWS = 3000
PER_PROBE = 20
# SQLite: how many of the project's most recent earlier claims rapidfuzz looks at.
PYTHON_POOL = 20_000

# A lexeme as a tsquery operand: quoted, so it is matched as it is (no second normalisation).
_OPERAND = r"'''' || replace(replace(word, '\', '\\'), '''', '''''') || ''''"

_PG_CANDIDATES = """
WITH me AS (
  SELECT c.id, c.text, c.project_id, factmark_ts_config(a.language) AS cfg
    FROM annotate_claim c JOIN annotate_article a ON a.id = c.article_id WHERE c.id = %(id)s
), q AS (
  SELECT me.*, to_tsvector(me.cfg, factmark_unaccent(me.text)) AS vec FROM me
), stats AS MATERIALIZED (
  SELECT e.word, e.freq
    FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(word, freq)
   WHERE s.schemaname = current_schema() AND s.tablename = 'annotate_searchdocument' AND s.attname = 'vector'
     AND e.word IS NOT NULL
), words AS (
  SELECT w.word, coalesce(st.freq, (SELECT min(freq) / 2 FROM stats), 0)
                 * (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'annotate_searchdocument'::regclass) AS rows
    FROM q CROSS JOIN unnest(tsvector_to_array(q.vec)) AS w(word) LEFT JOIN stats st ON st.word = w.word
), ranked_words AS (
  SELECT word, OPERAND AS op, row_number() OVER w AS n, sum(rows) OVER w AS running
    FROM words WINDOW w AS (ORDER BY rows, word)
), probes AS (
  SELECT string_agg(op, ' & ')::tsquery AS query FROM ranked_words WHERE n <= %(rare_words)s
  UNION ALL
  SELECT (a.op || ' & ' || b.op)::tsquery FROM ranked_words a JOIN ranked_words b ON a.n < b.n WHERE b.n <= %(pair_words)s
  UNION ALL
  SELECT op::tsquery FROM ranked_words WHERE n <= %(rare_words)s OR (running <= %(budget)s AND n <= %(single_words)s)
), shortlist AS MATERIALIZED (
  -- At most PER_PROBE rows per probe, so a common probe cannot crowd out a rare one.
  -- "+ 0": the planner must not AND the claim-id index into the bitmap (it would read every claim's entry).
  SELECT f.claim_id, f.vector FROM probes p CROSS JOIN LATERAL (
    SELECT d.claim_id, d.vector FROM annotate_searchdocument d
     WHERE d.vector @@ p.query AND d.kind = 'claim' AND d.project_id + 0 = (SELECT project_id FROM q)
       AND d.claim_id + 0 < (SELECT id FROM q)
     LIMIT %(per_probe)s) f
), tsq AS (
  SELECT string_agg(OPERAND, ' | ')::tsquery AS any_word FROM words
), ids AS (
  SELECT s.claim_id AS id, (array_agg(s.vector))[1] AS vector FROM shortlist s, tsq GROUP BY s.claim_id
   ORDER BY max(ts_rank(s.vector, tsq.any_word)) DESC, s.claim_id LIMIT %(n)s
)
-- The candidate's own lexemes are its stored document's weight-A part (its text, unaccented, in its article's configuration).
SELECT c.id, c.text, c.claimant_key, sqrt(similarity(c.text, q.text)),
       tsvector_to_array(ts_filter(ids.vector, '{a}')), tsvector_to_array(q.vec)
  FROM ids JOIN annotate_claim c ON c.id = ids.id, q
""".replace("OPERAND", _OPERAND)


def _pg_params(claim):
    return {"id": claim.pk, "n": CANDIDATES, "rare_words": RARE_WORDS, "pair_words": PAIR_WORDS, "budget": RARE_ROWS,
            "single_words": SINGLE_WORDS, "per_probe": PER_PROBE}


def _overlap(theirs, mine):
    """Dice coefficient of two lists of distinct lexemes."""
    if not theirs or not mine:
        return 0.0
    return 2 * len(set(theirs) & set(mine)) / (len(theirs) + len(mine))


def candidates(claim):
    """Earlier claims of the project worth scoring against `claim`, with their two signals (one query)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PG_CANDIDATES, _pg_params(claim))
            return [
                matching.Candidate(pk, text, key or "", float(tri), _overlap(theirs, mine))
                for pk, text, key, tri, theirs, mine in cursor.fetchall()
            ]
    pool = list(
        Claim.objects.filter(project_id=claim.project_id, id__lt=claim.pk)
        .order_by("-id")
        .values_list("id", "text", "claimant_key")[:PYTHON_POOL]
    )
    texts = {pk: text for pk, text, _ in pool}
    keys = {pk: key for pk, _, key in pool}
    best = process.extract(claim.text, texts, scorer=fuzz.token_set_ratio, processor=str.casefold, limit=CANDIDATES)
    found = []
    for text, _, pk in best:
        tri, overlap = matching.text_signals(claim.text, text)
        found.append(matching.Candidate(pk, text, keys[pk], tri, overlap))
    return found


@dataclass
class Suggestion:
    claim: Claim
    score: float
    reasons: tuple
    decision: str = ""  # "", "confirmed" or "dismissed"
    automatic: bool = False


def decisions(claim):
    """{earlier claim id: ClaimMatch} for every pair decided from this claim."""
    return {m.earlier_id: m for m in ClaimMatch.objects.filter(claim=claim).order_by()}


def ranked(claim, threshold=None, limit=SUGGESTIONS, decided=None):
    """Scored earlier claims at or above the project's suggest threshold, dismissed pairs left out (two queries)."""
    project = claim.project
    threshold = project.match_suggest if threshold is None else threshold
    decided = decisions(claim) if decided is None else decided
    dismissed = {pk for pk, m in decided.items() if m.decision == MatchDecision.DISMISSED}
    pool = [c for c in candidates(claim) if c.id not in dismissed]
    return matching.rank(claim.text, claim.claimant_key, pool, threshold=threshold, limit=limit)


def _claim_rows(ids):
    return {
        c.pk: c
        for c in Claim.objects.filter(pk__in=ids)
        .select_related("final_rating", "article")
        .only("id", "text", "claimant", "status", "published_at", "created_at", "final_rating__label", "final_rating__value",
              "final_rating__colour", "final_rationale", "article__id", "article__title", "article__published_on", "project_id")
        .order_by()
    }


def checked_before(claim):
    """What the panel shows: suggestions (published first, then by score) and the confirmed links (four queries)."""
    decided = decisions(claim)
    scored = ranked(claim, decided=decided)
    confirmed = [m for m in decided.values() if m.decision == MatchDecision.CONFIRMED]
    rows = _claim_rows({s.candidate.id for s in scored} | {m.earlier_id for m in confirmed})
    suggestions = [
        Suggestion(rows[s.candidate.id], s.score, s.reasons)
        for s in scored
        if s.candidate.id in rows and s.candidate.id not in decided
    ]
    suggestions.sort(key=lambda s: (s.claim.status != Status.PUBLISHED, -s.score, s.claim.pk))
    links = [
        Suggestion(rows[m.earlier_id], m.score, tuple(m.reasons), m.decision, m.automatic)
        for m in sorted(confirmed, key=lambda m: m.earlier_id)
        if m.earlier_id in rows
    ]
    return suggestions, links


def pair_score(claim, earlier):
    """The score and reasons of one pair, whether or not it is among the candidates."""
    for scored in ranked(claim, threshold=0.0, limit=CANDIDATES, decided={}):
        if scored.candidate.id == earlier.pk:
            return scored.score, scored.reasons
    tri, overlap = matching.text_signals(claim.text, earlier.text)
    scored = matching.score(claim.text, claim.claimant_key, matching.Candidate(earlier.pk, earlier.text, earlier.claimant_key, tri, overlap))
    return scored.score, scored.reasons


class NotAMatch(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message
        self.field = "earlier"


def decide(claim, user, earlier_id, decision):
    """Record that `claim` repeats (confirmed) or does not repeat (dismissed) an earlier claim.

    Deciding again changes the decision; each decision is a history entry on the claim.
    """
    if decision not in MatchDecision.values:
        raise NotAMatch("Decide “confirmed” or “dismissed”.")
    earlier = Claim.objects.filter(pk=earlier_id, project_id=claim.project_id).exclude(pk=claim.pk).first()
    if earlier is None:
        raise NotAMatch("That claim is not another claim of this project.")
    score, reasons = pair_score(claim, earlier)
    with transaction.atomic():
        match, _ = ClaimMatch.objects.update_or_create(
            claim=claim, earlier=earlier,
            defaults={"project_id": claim.project_id, "decision": decision, "score": score, "reasons": list(reasons),
                      "automatic": False, "decided_by": user, "decided_at": Now()},
        )
        HistoryEntry.objects.create(
            claim_id=claim.pk, actor=user, action=HistoryAction(f"match_{decision}"),
            changes={"earlier": earlier.pk, "text": earlier.text[:200], "score": score},
        )
        # Exports that list appearances (ClaimReview) read both claims: mark both as changed.
        Claim.objects.filter(Q(pk=claim.pk) | Q(pk=earlier.pk)).update(updated_at=Now())
    return match, earlier


def autolink(claim, user):
    """Link a new claim to earlier ones scoring at or above the project's auto-link threshold."""
    project = claim.project
    links = []
    for scored in ranked(claim, threshold=project.match_autolink, decided={}):
        links.append(ClaimMatch(
            project_id=claim.project_id, claim=claim, earlier_id=scored.candidate.id, decision=MatchDecision.CONFIRMED,
            score=scored.score, reasons=list(scored.reasons), automatic=True, decided_by=None,
        ))
    if links:
        claimrows.insert_links(links, [  # one statement on PostgreSQL
            HistoryEntry(claim_id=claim.pk, actor=None, action=HistoryAction.MATCH_CONFIRMED,
                         changes={"earlier": m.earlier_id, "score": m.score, "automatic": True})
            for m in links
        ])
    return links


def candidate_floor(conn, claim):
    """The lookup's candidate query alone, over a plain psycopg connection (bench/memory.py's floor)."""
    return conn.execute(_PG_CANDIDATES, _pg_params(claim)).fetchall()
