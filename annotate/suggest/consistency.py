"""Pure: five checks of an article against itself, each with its arithmetic and two places.

1. count_vs_list   a stated count that differs from the items listed after it
2. implied_base    a rate beside a total implies a third figure (403,000 at 1.3 per 1,000 → ≈310 million)
3. parts_exceed    parts that exceed their whole; percentages of one whole that sum past 100
4. restated        the same quantity given differently in two places
5. dates           a date or age that contradicts the publication date or another date

Each finding is an `Inconsistency` with `places`: (start, end) code-point ranges in the
body, the first being where the claim would go.
"""

import datetime
import re
from dataclasses import dataclass

from annotate.suggest.text import WEEKDAYS, Quantity, describe_number, singular, words_to_number, WORD_NUMBER


@dataclass(frozen=True)
class Inconsistency:
    check: str
    title: str  # one line: "8 named of the 9 stated"
    arithmetic: str  # the sum spelled out
    places: tuple  # ((start, end), (start, end)) in the body
    score: float = 0.9


def _clip(sentence, q):
    return (q.start, q.end)


# --- 1. count vs list ----------------------------------------------------------------

LIST_MARKER = re.compile(r"\b(?:including|includes|include|namely|among them|they are|they were|these are|those are|:)\s*,?\s*", re.IGNORECASE)
NEXT_LIST = re.compile(r"^(?:They|These|Those|The \w+)\s+(?:are|were|include|included)\s*:?\s*", re.IGNORECASE)


def _list_items(text):
    """'A, B, C and D.' → ['A', 'B', 'C', 'D'] (an Oxford comma or '&' too); [] when it is no list."""
    text = re.split(r"[.;!?](?:\s|$)|\s[—–]\s|\(", text, maxsplit=1)[0]
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+", text) if p.strip()]
    if len(parts) < 2:
        return []
    # Items of a list of names are short; a clause after the list ends it.
    items = []
    for p in parts:
        if len(p.split()) > 7 or (items and items[0][:1].isupper() and not p[:1].isupper() and not p[:1].isdigit()):
            break
        items.append(p)
    return items if len(items) >= 2 else []


def count_vs_list(sents, qs_by_sentence):
    out = []
    for i, s in enumerate(sents):
        for q in qs_by_sentence[i]:
            if q.kind != "count" or not q.unit or q.value < 2 or q.value > 40 or not float(q.value).is_integer():
                continue
            rel = q.end - s.start
            marker = LIST_MARKER.search(s.text, rel)
            tail_start = None
            if marker and not re.search(r"\bsuch as\b", s.text[rel:marker.start()]):
                # The marker belongs to this count only if no other count stands between them.
                if any(o.kind == "count" and q.end <= o.start < s.start + marker.start() for o in qs_by_sentence[i]):
                    continue
                tail_start = s.start + marker.end()
                tail = s.text[marker.end():]
            elif i + 1 < len(sents) and (m := NEXT_LIST.match(sents[i + 1].text)):
                tail_start = sents[i + 1].start + m.end()
                tail = sents[i + 1].text[m.end():]
            if tail_start is None:
                continue
            items = _list_items(tail)
            if not items or len(items) == int(q.value):
                continue
            if len(items) > q.value and re.search(r"\b(?:at least|more than|over)\s*$", s.text[:q.start - s.start], re.IGNORECASE):
                continue
            end = tail_start + tail.find(items[-1]) + len(items[-1])
            named = len(items)
            out.append(Inconsistency(
                "count_vs_list",
                f"{named} named of the {int(q.value)} stated",
                f"“{q.surface} {q.unit}s” is followed by a list of {named}: " + "; ".join(items)
                + (" — “including” may mean the list is partial" if "includ" in s.text[rel:].lower() else ""),
                ((q.start, q.end), (tail_start, end)),
            ))
    return out


# --- 2. rate beside a total --------------------------------------------------------------


def implied_base(sents, qs_by_sentence):
    out = []
    for i, s in enumerate(sents):
        window = list(qs_by_sentence[i])
        rates = [q for q in window if q.kind == "rate" and q.per]
        if not rates:
            continue
        # The total stands in the same sentence, or in the one before.
        totals = [q for q in window if q.kind == "count" and q.value >= 100 and q.unit]
        if not totals and i > 0:
            totals = [q for q in qs_by_sentence[i - 1] if q.kind == "count" and q.value >= 100 and q.unit]
        for rate in rates:
            for total in totals[:1]:
                if not rate.value:
                    continue
                base = total.value / (rate.value / rate.per)
                rate_text = f"{describe_number(rate.value)} per {describe_number(rate.per)}" if not rate.unit.startswith("in ") else f"{describe_number(rate.value)} in {describe_number(rate.per)}"
                out.append(Inconsistency(
                    "implied_base",
                    f"Implied base ≈ {describe_number(base)}",
                    f"{total.surface} at {rate_text} implies {total.surface} ÷ {describe_number(rate.value)} × {describe_number(rate.per)} "
                    f"≈ {describe_number(base)} — check that this is the population it refers to",
                    ((total.start, total.end), (rate.start, rate.end)),
                    score=0.8,
                ))
    return out


# --- 3. parts exceeding the whole ----------------------------------------------------

WHOLE = re.compile(r"\b(?:of|out of|among)\s+(?:the|its|their|these|those|all)?\s*$", re.IGNORECASE)
CHANGE = re.compile(r"\b(?:by|up|down|rose|fell|risen|fallen|increase[sd]?|decrease[sd]?|grew|growth|dropped|cut|from|to|inflation|interest|rate|than|higher|lower)\s+(?:\w+\s+)?$", re.IGNORECASE)


def parts_exceed(sents, qs_by_sentence):
    out = []
    for i, s in enumerate(sents):
        qs = qs_by_sentence[i]
        for j, whole in enumerate(qs):
            if whole.kind != "count" or not WHOLE.search(s.text[:whole.start - s.start]):
                continue
            parts = [q for q in qs[j + 1:] if q.kind == "count" and q.unit in ("", whole.unit) or q.kind == "count" and "of them" in s.text[q.end - s.start:q.end - s.start + 10]]
            if i + 1 < len(sents) and re.match(r"^(?:Of (?:those|them|these)|\d|[A-Z][a-z]+ (?:of them|were|had))", sents[i + 1].text):
                parts += [q for q in qs_by_sentence[i + 1] if q.kind == "count" and q.unit in ("", whole.unit, "other")]
            parts = [p for p in parts if p.unit or p.extra.get("words") or p.value != whole.value]
            if len(parts) < 1:
                continue
            total = sum(p.value for p in parts)
            if total > whole.value and (len(parts) >= 2 or parts[0].value > whole.value):
                out.append(Inconsistency(
                    "parts_exceed",
                    f"Parts add up to {describe_number(total)}, more than the {describe_number(whole.value)} stated",
                    " + ".join(p.surface for p in parts) + f" = {describe_number(total)} > {whole.surface}",
                    ((whole.start, whole.end), (parts[0].start, parts[-1].end)),
                ))
    # Percentages of one whole: shares in one sentence (not changes), summing past 100.
    for i, s in enumerate(sents):
        shares = [q for q in qs_by_sentence[i] if q.kind == "percent" and not CHANGE.search(s.text[:q.start - s.start][-30:])]
        if len(shares) >= 2:
            total = sum(q.value for q in shares)
            if total > 100.5:
                out.append(Inconsistency(
                    "parts_exceed",
                    f"Shares add up to {describe_number(total)}%",
                    " + ".join(q.surface for q in shares) + f" = {describe_number(total)}%, more than 100%",
                    ((shares[0].start, shares[0].end), (shares[-1].start, shares[-1].end)),
                ))
    return out


# --- 4. the same quantity given differently ---------------------------------------------

STOP = set(
    "a an the of in on at to for by with from and or but is are was were be been has have had that this these those it its "
    "their his her they he she we our said says than as about around nearly some more less over under up down also after "
    "before new last year years per cent percent".split()
)


def _context(text, start, end):
    before = re.findall(r"[A-Za-z][a-z’'-]+", text[max(0, start - 40):start])[-3:]
    after = re.findall(r"[A-Za-z][a-z’'-]+", text[end:end + 40])[:3]
    return {singular(w.lower()) for w in before + after if w.lower() not in STOP}


def restated(sents, qs_by_sentence, body):
    out = []
    seen = []
    for i, s in enumerate(sents):
        for q in qs_by_sentence[i]:
            if q.kind not in ("amount", "count", "age") or (q.kind == "count" and (not q.unit or q.value < 10)):
                continue
            key = (q.kind, q.unit if q.kind != "age" else q.extra.get("name", ""))
            if q.kind == "age" and not key[1]:
                continue
            ctx = _context(body, q.start, q.end)
            for p, pctx, pkey, pi in seen:
                if pkey != key or pi == i or p.value == q.value:
                    continue
                low, high = sorted((p.value, q.value))
                if (p.approximate or q.approximate) and high <= low * 1.1:
                    continue  # "about 400,000" and "403,000" agree
                if q.kind != "age":
                    shared = ctx & pctx
                    if len(shared) < 2:
                        continue
                what = f"{key[1]}’s age" if q.kind == "age" else (f"{key[1]}s" if key[1] else "the amount")
                out.append(Inconsistency(
                    "restated",
                    f"The same {'age' if q.kind == 'age' else 'figure'} given as {p.surface} and as {q.surface}",
                    f"{what}: {p.surface} in one place, {q.surface} in another (difference {describe_number(high - low)})",
                    ((p.start, p.end), (q.start, q.end)),
                    score=0.75,
                ))
                break
            seen.append((q, ctx, key, i))
    return out


# --- 5. dates and ages -------------------------------------------------------------------

AGO = re.compile(r"\b(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s+years?\s+(?P<rel>ago|earlier|later|after|before|since)\b", re.IGNORECASE)
BORN = re.compile(r"\bborn\s+(?:in|on)?\s*(?:[0-3]?\d\s+[A-Z][a-z]+\s+)?(?P<y>1[89]\d\d|20\d\d)\b")
PAST_TENSE = re.compile(r"\b(?:was|were|had|did|said|announced|voted|opened|closed|died|signed|found|began|ended|took place|happened|\w+ed)\b", re.IGNORECASE)
FUTURE = re.compile(r"\b(?:will|would|is due|are due|is expected|scheduled|planned|plans|next)\b", re.IGNORECASE)


def dates(sents, qs_by_sentence, published_on=None):
    out = []
    years_all = []
    for i, s in enumerate(sents):
        qs = qs_by_sentence[i]
        for q in qs:
            # A weekday that does not fit its date.
            if q.kind == "date" and q.extra.get("weekday") and WEEKDAYS[q.extra["weekday"]] != q.date.weekday():
                real = q.date.strftime("%A")
                out.append(Inconsistency(
                    "dates", f"{q.date:%-d %B %Y} was a {real}, not a {q.extra['weekday'].title()}",
                    f"the calendar puts {q.date:%-d %B %Y} on a {real}", ((q.start, q.end), (q.start, q.end)),
                ))
            # A past event dated after the article was published.
            if published_on and q.kind in ("date", "year") and PAST_TENSE.search(s.text) and not FUTURE.search(s.text):
                later = q.date > published_on if q.kind == "date" else q.date.year > published_on.year
                if later:
                    out.append(Inconsistency(
                        "dates", f"{q.surface} is after the publication date ({published_on:%-d %B %Y})",
                        f"told in the past tense, but {q.surface} comes after {published_on:%-d %B %Y}",
                        ((q.start, q.end), (q.start, q.end)),
                    ))
            if q.kind in ("year", "date"):
                years_all.append((q, i))
        # "N years ago/after/since" against a year in the same sentence and the publication date.
        for m in AGO.finditer(s.text):
            n = int(m.group("n")) if m.group("n").isdigit() else words_to_number(m.group("n"))
            if not n:
                continue
            here = (s.start + m.start(), s.start + m.end())
            years = [q for q in qs if q.kind in ("year", "date") and not (here[0] <= q.start < here[1])]
            rel = m.group("rel").lower()
            if rel in ("ago", "since") and published_on and years:
                y = min(years, key=lambda q: abs(q.start - here[0]))
                if abs((published_on.year - y.date.year) - n) > 1:
                    out.append(Inconsistency(
                        "dates", f"{y.surface} was {published_on.year - y.date.year} years before publication, not {n}",
                        f"{published_on.year} − {y.date.year} = {published_on.year - y.date.year}, the text says “{m.group()}”",
                        (here, (y.start, y.end)),
                    ))
            elif rel in ("after", "later", "before", "earlier") and len(years) >= 2:
                a, b = years[0], years[1]
                gap = abs(b.date.year - a.date.year)
                if abs(gap - n) > 1 and gap:
                    out.append(Inconsistency(
                        "dates", f"{a.surface} and {b.surface} are {gap} years apart, not {n}",
                        f"{max(a.date.year, b.date.year)} − {min(a.date.year, b.date.year)} = {gap}, the text says “{m.group()}”",
                        (here, (a.start, b.end)),
                    ))
        # Born in YEAR and an age in the same or next sentence, against the publication year.
        born = BORN.search(s.text)
        if born and published_on:
            ages = [q for q in qs if q.kind == "age"] + ([q for q in qs_by_sentence[i + 1] if q.kind == "age"] if i + 1 < len(sents) else [])
            year = int(born.group("y"))
            for age in ages[:1]:
                expected = published_on.year - year
                if not (expected - 1 <= age.value <= expected):
                    out.append(Inconsistency(
                        "dates", f"Born in {year}, so {expected - 1} or {expected} at publication, not {int(age.value)}",
                        f"{published_on.year} − {year} = {expected}; the text gives the age as {age.surface}",
                        ((age.start, age.end), (s.start + born.start("y"), s.start + born.end("y"))),
                    ))
    return out


def check_all(sents, qs_by_sentence, body, published_on=None):
    found = [
        *count_vs_list(sents, qs_by_sentence),
        *implied_base(sents, qs_by_sentence),
        *parts_exceed(sents, qs_by_sentence),
        *restated(sents, qs_by_sentence, body),
        *dates(sents, qs_by_sentence, published_on),
    ]
    found.sort(key=lambda f: (f.places[0], f.check))
    return found
