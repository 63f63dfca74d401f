"""Pure (no Django): suggestions for one article text.

`analyse(body, published_on, model)` → every sentence worth checking (score, reasons)
and every inconsistency of the article with itself (arithmetic, two places), as plain
dicts in the API's shape, in article order. Offsets are code points into `body`.

  text.py          sentences (sentencex) and quantities (our rules + number-parser)
  checkworthy.py   the rules, their weights and reasons
  consistency.py   the five checks
  learn.py         the desk's model: features, training, (de)serialisation, blending
"""

import hashlib

from annotate.suggest import checkworthy, consistency
from annotate.suggest.text import quantities, sentences

RULES_ONLY = "rules"


def suggestion_key(kind, quote, extra=""):
    """Stable across revisions: a dismissed sentence stays dismissed while its words stay."""
    normal = " ".join(quote.split()).lower()
    return hashlib.sha256(f"{kind}\x00{normal}\x00{extra}".encode()).hexdigest()[:24]


def analyse(body, published_on=None, model=None, threshold=checkworthy.THRESHOLD, language="en"):
    """(check-worthy items, inconsistency items, every scored sentence) for `body`.

    `model` is a learn.DeskModel or None; with one, each sentence's score is the blend of
    the rules and the model, and `scored_by` names the model's version.
    """
    sents = sentences(body, language)
    qs = [quantities(s.text, s.start) for s in sents]
    scored = []
    for s, found in zip(sents, qs):
        relative = [q.__class__(q.start - s.start, q.end - s.start, *_rest(q)) for q in found]
        scored.append(checkworthy.score_sentence(s.text, relative))
    blended = [r.score for r in scored]
    scored_by = RULES_ONLY
    if model is not None:
        probabilities = model.predict([s.text for s in sents], [r.features for r in scored])
        blended = [model.blend(r.score, p) for r, p in zip(scored, probabilities)]
        scored_by = model.label
    worthy = []
    all_sentences = []
    for s, r, score in zip(sents, scored, blended):
        all_sentences.append({"start": s.start, "end": s.end, "quote": s.text, "score": round(score, 3), "features": r.features})
        if score >= threshold:
            worthy.append({
                "kind": "check-worthy",
                "key": suggestion_key("check-worthy", s.text),
                "start": s.start,
                "end": s.end,
                "quote": s.text,
                "score": round(score, 3),
                "reasons": list(r.reasons),
                "detail": {"rule_score": r.score, "scored_by": scored_by},
            })
    problems = []
    for f in consistency.check_all(sents, qs, body, published_on):
        (a, b), (c, d) = f.places
        quote = body[a:b]
        problems.append({
            "kind": "inconsistency",
            "key": suggestion_key("inconsistency", f"{body[a:b]}\x00{body[c:d]}", f.check),
            "start": a,
            "end": b,
            "quote": quote,
            "score": f.score,
            "reasons": [f.title],
            "detail": {
                "check": f.check,
                "title": f.title,
                "arithmetic": f.arithmetic,
                "places": [{"start": a, "end": b, "quote": body[a:b]}, {"start": c, "end": d, "quote": body[c:d]}],
                "sentence": _sentence_around(sents, a, b),
            },
        })
    return worthy, problems, all_sentences


def _rest(q):
    return (q.surface, q.value, q.kind, q.unit, q.per, q.approximate, q.date, q.extra)


def _sentence_around(sents, start, end):
    """The sentence(s) holding [start, end): what "make a claim" of an inconsistency quotes."""
    covering = [s for s in sents if s.start < max(end, start + 1) and s.end > start]
    if not covering:
        return {"start": start, "end": end}
    return {"start": covering[0].start, "end": covering[-1].end}
