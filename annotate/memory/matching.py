"""Pure scoring of "Checked before": does an earlier claim say the same thing as this one?

The database finds candidates and measures two signals (PostgreSQL: pg_trgm word-trigram
similarity and full-text rank; SQLite: rapidfuzz and word overlap, `text_signals`); this
module blends them with two more that a reviewer can check by eye: the numbers both
claims contain (normalised: "403,000" = "403 thousand", "1.3 per thousand" = 0.0013,
"$50 million" = 50,000,000) and the claimant. A different figure or a negation turns a
near-identical sentence into another claim, so those weigh against a match.

Every score comes with its reasons, in words, shown beside the suggestion.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from annotate.suggest.text import describe_number, quantities

# Weights tuned on the labelled set (tests/memory/pairs.py); see its floor test.
W_TRIGRAM = 0.5
W_FULLTEXT = 0.5
SAME_NUMBERS = 0.15
OTHER_NUMBERS = 0.5  # a factor: another figure is another claim
ONE_SIDED_NUMBERS = -0.05
NEGATION = 0.3  # a factor: the claim denied is another claim
SAME_CLAIMANT = 0.1

NEGATIONS = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|n't)\b|n't\b", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
STOP = frozenset(
    "a an the and or but of to in on at for by with from as is are was were be been being has have had do does did "
    "that this these those it its than then there their they them he she his her we our you your i me my will would "
    "can could should may might must shall said says say about into over under more most less very also just only "
    "per cent percent".split()
)


@dataclass(frozen=True)
class Candidate:
    """An earlier claim and what the database measured against the new one (each 0..1)."""

    id: int
    text: str
    claimant_key: str = ""
    trigram: float = 0.0
    fulltext: float = 0.0
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    reasons: tuple


# Proportions and multiples said in words ("half of", "doubled") count as numbers too.
WORD_FACTORS = {
    "half": 0.5, "halved": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1,
    "double": 2, "doubled": 2, "twice": 2, "twofold": 2, "triple": 3, "tripled": 3, "threefold": 3,
    "quadrupled": 4, "fourfold": 4,
}
WORD_FACTOR = re.compile(r"\b(" + "|".join(WORD_FACTORS) + r")\b", re.IGNORECASE)


# Pure functions of one text, asked again for the same texts: the new claim's once per
# candidate, and a desk's claims come back as candidates of claim after claim (issue 16:
# `quantities` was 7-13 ms of every claim creation's auto-link). Frozensets and bools, so
# a cached answer cannot be changed by a caller.
@lru_cache(maxsize=8192)
def numbers(text):
    """The normalised values of every quantity in `text`, as a set: rates and percentages as
    fractions ("1.3 per thousand" = 0.0013, "20 percent" = "one in five" = 0.2), amounts in
    units ("$50 million" = 50,000,000), and proportions said in words ("half" = 0.5)."""
    values = set()
    for q in quantities(text or ""):
        if q.kind == "rate" and q.per:
            value = q.value / q.per
        elif q.kind == "percent":
            value = q.value / 100
        else:
            value = q.value
        values.add(round(value, 9))
    for m in WORD_FACTOR.finditer(text or ""):
        values.add(round(WORD_FACTORS[m.group(1).lower()], 9))
    return frozenset(values)


@lru_cache(maxsize=8192)
def negated(text):
    return len(NEGATIONS.findall(text or "")) % 2 == 1


def content_words(text):
    return frozenset(w for w in (m.group(0).casefold() for m in WORD.finditer(text or "")) if w not in STOP and len(w) > 1)


def text_signals(new_text, old_text):
    """(trigram-like, full-text-like) without PostgreSQL: rapidfuzz's token-set ratio and the
    share of content words in common (Dice), both 0..1."""
    trigram = fuzz.token_set_ratio(new_text, old_text, processor=str.casefold) / 100
    a, b = content_words(new_text), content_words(old_text)
    overlap = 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0
    return trigram, overlap


def _show(values):
    return ", ".join(describe_number(v) for v in sorted(values)[:4])


def score(new_text, new_claimant_key, candidate):
    """The blended score (0..1) and its reasons, for one candidate."""
    reasons = [f"word trigrams {candidate.trigram:.0%} alike", f"full-text match {candidate.fulltext:.0%}"]
    value = W_TRIGRAM * candidate.trigram + W_FULLTEXT * candidate.fulltext
    mine, theirs = numbers(new_text), numbers(candidate.text)
    if mine and theirs:
        common = mine & theirs
        if common == mine or common == theirs:
            value += SAME_NUMBERS
            reasons.append(f"same numbers: {_show(common)}")
        else:
            value *= OTHER_NUMBERS
            reasons.append(f"different numbers: {_show(mine - theirs)} here, {_show(theirs - mine)} there")
    elif mine or theirs:
        value += ONE_SIDED_NUMBERS
        reasons.append("only one of them gives a number")
    if negated(new_text) != negated(candidate.text):
        value *= NEGATION
        reasons.append("one of them is negated")
    if new_claimant_key and new_claimant_key == candidate.claimant_key:
        value += SAME_CLAIMANT
        reasons.append("same claimant")
    return Scored(candidate, round(min(1.0, max(0.0, value)), 4), tuple(reasons))


# The most `score` can add to the two database signals: both bonuses, no penalty.
MOST_ADDED = SAME_NUMBERS + SAME_CLAIMANT


def could_reach(candidate, threshold):
    """False only when `candidate` cannot score `threshold` whatever its numbers, negation and
    claimant: the bonuses at most add MOST_ADDED, the rest only lowers (a margin for the
    rounding to 4 places). Lets rank() skip parsing the numbers of hopeless candidates."""
    return threshold <= 0 or W_TRIGRAM * candidate.trigram + W_FULLTEXT * candidate.fulltext + MOST_ADDED + 1e-4 >= threshold


def rank(new_text, new_claimant_key, candidates, threshold=0.0, limit=10):
    """Candidates scored, at or above `threshold`, best first (ties: the earlier claim first)."""
    scored = [score(new_text, new_claimant_key, c) for c in candidates if could_reach(c, threshold)]
    scored = [s for s in scored if s.score >= threshold]
    scored.sort(key=lambda s: (-s.score, s.candidate.id))
    return scored[:limit]
