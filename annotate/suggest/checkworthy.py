"""Pure: how worth checking a sentence is, by transparent rules, with the reasons in words.

Each rule adds or takes away weight; the score is the sum on a 0–1 scale. The same rule
hits are the "rule features" the desk's model learns from (annotate/suggest/learn.py),
so the model can only shift what the rules already say, never hide why.
"""

import re
from dataclasses import dataclass

from annotate.suggest.text import quantities

THRESHOLD = 0.4  # a sentence at or above this is suggested


class Lexicon:
    """Words and phrases; single words are a set look-up on the sentence's tokens (a
    20,000-word article has ~1,400 sentences × 7 lexicons: one regex each was 0.25 s)."""

    def __init__(self, items):
        self.singles = set()
        rest = []
        for item in items:
            if re.fullmatch(r"[a-z]+", item):
                self.singles.add(item)
            elif re.fullmatch(r"[a-z]+\?", item):  # "increased?" → increase, increased
                self.singles |= {item[:-2], item[:-1]}
            else:
                rest.append(item)
        self.complex = re.compile(r"\b(?:" + "|".join(rest) + r")\b", re.IGNORECASE) if rest else None

    def search(self, text, tokens=None):
        tokens = TOKEN.findall(text.lower()) if tokens is None else tokens
        for token in tokens:
            if token in self.singles:
                return token
        if self.complex is not None and (m := self.complex.search(text)):
            return m.group()
        return ""


TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _words(*items):
    return Lexicon(items)


COMPARE = _words(
    r"more than", r"less than", r"fewer than", r"higher than", r"lower than", r"compared (?:with|to)", r"than", r"doubled", r"tripled",
    r"halved", r"rose", r"risen", r"fell", r"fallen", r"increased?", r"decreased?", r"grew", r"dropped", r"declined?", r"up from",
    r"down from", r"twice", r"outnumber\w*", r"surged?", r"plunged?", r"jumped", r"times as",
)
SUPERLATIVE = _words(
    r"first", r"record", r"largest", r"biggest", r"highest", r"lowest", r"smallest", r"worst", r"best", r"(?<!at )most", r"(?<!at )least", r"only",
    r"fastest", r"slowest", r"oldest", r"youngest", r"longest", r"shortest", r"deadliest", r"never before", r"unprecedented", r"ever",
    r"top", r"leading",
)
ATTRIBUTION = _words(
    r"said", r"says", r"according to", r"told", r"announced", r"claimed", r"claims", r"stated", r"reported", r"found", r"finds",
    r"estimated?", r"estimates", r"wrote", r"admitted", r"confirmed", r"revealed", r"showed", r"shows", r"published", r"testified",
    r"insisted", r"argued", r"denied", r"acknowledged", r"noted", r"claim", r"denies", r"deny", r"denied", r"explained", r"warned", r"added", r"accused", r"promised",
    r"pledged", r"agreed", r"voted", r"signed",
)
CAUSE = _words(
    r"because", r"caused?", r"causes", r"led to", r"leads to", r"due to", r"as a result", r"resulted in", r"results in", r"blamed",
    r"thanks to", r"driven by", r"responsible for", r"contributed to", r"fueled", r"fuelled", r"linked to", r"triggered", r"prevented",
    r"so that", r"in order to",
)
OPINION = _words(
    r"i think", r"we think", r"i believe", r"we believe", r"in my view", r"in our view", r"should", r"ought to", r"must", r"arguably",
    r"perhaps", r"hopefully", r"unfortunately", r"of course", r"seems?", r"appears to", r"wonderful", r"terrible", r"beautiful",
    r"shameful", r"outrageous", r"ridiculous", r"unchecked", r"odious", r"far-left", r"far-right",
)
PREDICTION = _words(
    r"will", r"would", r"could", r"might", r"expected to", r"is set to", r"are set to", r"plans? to", r"forecasts?",
    r"likely", r"going to", r"next year", r"next month", r"next week", r"hopes? to", r"aims? to",
)
FEELING = _words(
    r"feel", r"feels", r"felt", r"happy", r"sad", r"proud", r"thrilled", r"devastated", r"worried", r"excited", r"love", r"loved",
    r"hate", r"hated", r"afraid", r"scared", r"angry", r"delighted", r"hope", r"hoped", r"glad", r"upset", r"heartbroken", r"grateful",
    r"amazing", r"wonderful", r"fears?", r"disappointed",
)
PAST_FACT = re.compile(r"\b(?:was|were|had|has been|have been|did)\b|\b[a-z]{3,}ed\b", re.IGNORECASE)
# A name or body: two capitalised words in a row, or an acronym, not only at the start of the sentence.
NAMED = re.compile(r"(?<!^)(?<![.!?“\"]\s)\b(?:[A-Z][a-z’'\-]+(?:\s+(?:of|for|and|the)?\s*[A-Z][a-z’'\-]+)+|[A-Z]{2,6}s?)\b")
QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
VERB_HINT = re.compile(r"\b(?:is|are|was|were|has|have|had|be|been|will|said|says|\w+ed|\w+s)\b", re.IGNORECASE)

# (feature name, weight, reason shown to the reviewer)
RULES = {
    "statistic": (0.4, "states a statistic or amount"),
    "percent_or_rate": (0.1, "gives a percentage or rate"),
    "compares": (0.15, "compares or ranks"),
    "superlative": (0.25, "a superlative or “first/record”"),
    "attributed": (0.2, "attributes a statement to a named person or body"),
    "cause": (0.15, "asserts a cause"),
    "dated": (0.15, "a date-bound fact"),
    "named": (0.05, "names a person or organisation"),
    "past_event": (0.1, "reports something a named person or body did"),
    "question": (-0.45, "a question"),
    "opinion": (-0.2, "reads as opinion"),
    "prediction": (-0.2, "a prediction"),
    "feeling": (-0.25, "a quote of feelings"),
    "short": (-0.3, "too short to check"),
    "heading": (-0.35, "a heading, not a sentence"),
}
BASE = 0.1
DURATIONS = {"year", "month", "week", "day", "hour", "minute", "time"}
FEATURES = tuple(RULES)


@dataclass(frozen=True)
class Scored:
    score: float
    reasons: tuple  # human-readable, the positive ones first
    features: dict  # feature name -> 0/1, for the model


def _first(pattern, text, tokens=None):
    if isinstance(pattern, Lexicon):
        return pattern.search(text, tokens)
    m = pattern.search(text)
    return m.group().strip() if m else ""


def score_sentence(text, found=None):
    """Score one sentence; `found` are its quantities if already extracted (relative offsets)."""
    found = quantities(text) if found is None else found
    words = text.split()
    stats = [
        q for q in found
        if q.kind in ("count", "amount", "percent", "rate")
        and not (q.kind == "count" and q.extra.get("words") and q.value < 2)
    ]
    dates = [q for q in found if q.kind in ("date", "year")]
    outside_quotes = QUOTED.sub(" ", text)
    tokens = TOKEN.findall(text.lower())
    outside_tokens = TOKEN.findall(outside_quotes.lower()) if outside_quotes != text else tokens
    hit = {}
    why = {}

    def mark(name, detail=""):
        hit[name] = 1
        why[name] = detail

    if stats:
        mark("statistic", "; ".join(q.surface for q in stats[:3]))
    if any(q.kind in ("percent", "rate") for q in found):
        mark("percent_or_rate")
    if (m := _first(COMPARE, text, tokens)):
        mark("compares", m)
    if (m := _first(SUPERLATIVE, text, tokens)):
        mark("superlative", m)
    named = NAMED.findall(text)
    if (m := _first(ATTRIBUTION, text, tokens)) and (named or re.search(r"\b(?:he|she|they|officials?|police|ministry|council|mayor|minister|government|critics|report|study|survey|data|figures|analysis|trust|union|federation|association|institute|agency|office|company|department|authority|court|prosecutors|researchers)\b", text, re.IGNORECASE)):
        mark("attributed", named[0] if named else m)
    if (m := _first(CAUSE, text, tokens)):
        mark("cause", m)
    if dates and PAST_FACT.search(text):
        mark("dated", dates[0].surface)
    if named:
        mark("named", named[0])
        if PAST_FACT.search(outside_quotes) and "attributed" not in hit:
            mark("past_event")
    stripped = text.rstrip("”\"’' )")
    if stripped.endswith("?"):
        mark("question")
    if (m := _first(OPINION, outside_quotes, outside_tokens)):
        mark("opinion", m)
    if (m := _first(PREDICTION, text, tokens)) and "attributed" not in hit:
        mark("prediction", m)
    if (m := _first(FEELING, text, tokens)):
        mark("feeling", m)
    if len(words) < 6:
        mark("short")
    if not re.search(r"[.!?…:;”\"’)]$", text.strip()) and len(words) < 16:
        mark("heading")

    total = BASE + sum(RULES[name][0] for name in hit)
    total = max(0.0, min(1.0, total))
    reasons = []
    for name in sorted(hit, key=lambda n: -RULES[n][0]):
        if name == "named" and "attributed" in hit:
            continue
        label = RULES[name][1]
        detail = why[name]
        reasons.append(f"{label} ({detail})" if detail else label)
    return Scored(round(total, 3), tuple(reasons), {name: hit.get(name, 0) for name in FEATURES})
