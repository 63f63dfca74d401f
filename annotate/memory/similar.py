"""Checked before: candidates from the database, scored by `matching`, and the reviewers' decisions.

PostgreSQL finds the 40 nearest earlier claims by word trigrams (pg_trgm's distance
<->, walked nearest-first in a GiST gist_trgm_ops index, so 100,000 claims are not all
scored) and measures two signals for them in the same query: trigram similarity and
full-text overlap (the share of stemmed, unaccented lexemes in common, in the article's
text-search configuration). SQLite has neither, so rapidfuzz ranks the project's
earlier claims in Python.

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

from annotate import claimrows, prepared
from annotate.memory import matching
from annotate.models import Claim, ClaimMatch, HistoryAction, HistoryEntry, MatchDecision, Status

CANDIDATES = 40
SUGGESTIONS = 8
# SQLite: how many of the project's most recent earlier claims rapidfuzz looks at.
PYTHON_POOL = 20_000

_PG_CANDIDATES = """
WITH me AS (
  SELECT c.id, c.text, c.project_id, factmark_ts_config(a.language) AS cfg
    FROM annotate_claim c JOIN annotate_article a ON a.id = c.article_id WHERE c.id = %(id)s
), q AS (
  SELECT me.*, to_tsvector(me.cfg, factmark_unaccent(me.text)) AS vec FROM me
), ids AS (
  SELECT c.id FROM annotate_claim c
   WHERE c.project_id = (SELECT project_id FROM q) AND c.id < (SELECT id FROM q)
   ORDER BY c.text <-> (SELECT text FROM q) LIMIT %(n)s
)
SELECT c.id, c.text, c.claimant_key, sqrt(similarity(c.text, q.text)),
       (SELECT count(*) FROM (SELECT unnest(tsvector_to_array(to_tsvector(q.cfg, factmark_unaccent(c.text))))
                              INTERSECT SELECT unnest(tsvector_to_array(q.vec))) common)::float,
       array_length(tsvector_to_array(to_tsvector(q.cfg, factmark_unaccent(c.text))), 1),
       array_length(tsvector_to_array(q.vec), 1)
  FROM ids JOIN annotate_claim c ON c.id = ids.id, q
"""


def _dice(common, a, b):
    return 2 * common / (a + b) if a and b else 0.0


def candidates(claim):
    """Earlier claims of the project worth scoring against `claim`, with their two signals (one query)."""
    if connection.vendor == "postgresql":
        # Planned once per connection (annotate/prepared.py): planning cost more than running it.
        with prepared.cursor() as cursor:
            cursor.execute(_PG_CANDIDATES, {"id": claim.pk, "n": CANDIDATES})
            return [
                matching.Candidate(pk, text, key or "", float(tri), _dice(common, a or 0, b or 0))
                for pk, text, key, tri, common, a, b in cursor.fetchall()
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
