"""Pure: sentences with exact code-point offsets, and the quantities in them.

Sentences come from `sentencex` (a rule-based segmenter for some 300 languages, no
model, nothing downloaded): it returns pieces whose concatenation is the text, so the
offsets are running sums. Paragraph breaks and whitespace between sentences are
dropped; each Sentence is trimmed to its words.

Quantities are found by our own regular expressions (digits with separators, scale
words, currencies, percentages, rates "per thousand" / "one in five", dates, ages,
counts in words). Number words are converted by `number-parser`, called only on the
short runs of number words the expression found (calling it on a whole article costs
about 50 µs a word; on the runs it is a cached dictionary look-up). `quantulum3` was
tried and left out: its shipped unit classifier does not load with scikit-learn 1.9,
it reads "$50 million" as "$50 milli", and it costs ~0.2 ms a word (4 s for 20,000).
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

from number_parser import parse_number
from sentencex import segment


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int


def sentences(body, language="en"):
    """Every sentence of `body` as (index, start, end, text, paragraph number), in order."""
    out = []
    position = 0
    paragraph = 0
    for piece in segment(language, body):
        length = len(piece)
        stripped = piece.strip()
        if "\n\n" in piece or "\n" in piece and not stripped:
            paragraph += piece.count("\n\n") or 1
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            start = position + lead
            end = start + len(stripped)
            # A piece may hold a paragraph break inside it (a heading without a full stop): split there.
            for part in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", body[start:end]):
                text = part.group().strip()
                if not text:
                    continue
                s = start + part.start() + (len(part.group()) - len(part.group().lstrip()))
                if out and part.start() > 0:
                    paragraph += 1
                out.append(Sentence(len(out), s, s + len(text), text, paragraph))
        position += length
    return out


# --- numbers --------------------------------------------------------------------------

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000, "tn": 1_000_000_000_000}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec")]
    )
    for m in names
}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
CURRENCY = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "usd": "USD", "eur": "EUR", "gbp": "GBP",
            "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP", "pound": "GBP"}

_WORD = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
_SCALE = "|".join(SCALES)
# "nine", "twenty-three", "three hundred and forty", "a dozen", "dozens" is vague and left out.
WORD_NUMBER = re.compile(
    rf"\b(?:(?:{_WORD})(?:[- ](?:{_WORD}))?(?:\s+(?:and\s+)?(?:{_SCALE}|{_WORD})(?:[- ](?:{_WORD}))?)*|an?\s+(?:dozen|hundred|thousand|million|billion))\b",
    re.IGNORECASE,
)
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMBER = re.compile(
    rf"(?P<cur>US\$|[$€£¥₹])?\s?(?P<num>{DIGITS})(?:\s?(?P<scale>{_SCALE}|bn|mn|tn|[kmb]\b))?"
    rf"(?:\s?(?P<pct>%|per\s?cent\b|percent\b))?",
    re.IGNORECASE,
)
PERCENT_AFTER = re.compile(r"\s?(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)
CURRENCY_AFTER = re.compile(r"\s*(?P<c>dollars?|euros?|pounds?|usd|eur|gbp)\b", re.IGNORECASE)
APPROX = re.compile(r"\b(?:about|around|roughly|nearly|almost|some|approximately|more than|over|under|less than|fewer than|at least|up to|close to|an estimated|estimated)\s*$", re.IGNORECASE)
# "per thousand", "for every thousand", "per 1,000", "per 100,000 people", "a thousand"
RATE_BASE = re.compile(
    rf"\s*(?:[a-z]+\s+){{0,5}}?(?:per|for every|for each|in every|out of every|of every)\s+(?P<base>{DIGITS}|{_SCALE}|hundred thousand)\b",
    re.IGNORECASE,
)
ONE_IN = re.compile(rf"\b(?P<a>one|two|three|four|\d+)\s+(?:in|out of)\s+(?P<b>{_WORD}|\d+(?:,\d{{3}})*)\b(?!\s*(?:{_SCALE}|%))", re.IGNORECASE)
YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d|2100)\b")
DATE_DMY = re.compile(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<m>[A-Za-z]{3,9})\.?,?\s+(?P<y>1[6-9]\d\d|20\d\d)\b")
DATE_MDY = re.compile(r"\b(?P<m>[A-Za-z]{3,9})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>1[6-9]\d\d|20\d\d)\b")
WEEKDAY_BEFORE = re.compile(r"\b(?P<w>monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+(?:the\s+)?$", re.IGNORECASE)
AGE = re.compile(r"\b(?:aged\s+(?P<a>\d{1,3})\b|(?P<b>\d{1,3})[- ]years?[- ]old\b|(?P<c>[A-Z][a-z]+),\s+(?P<d>\d{1,3}),)")


@dataclass(frozen=True)
class Quantity:
    """A number in the text: `kind` is count, amount, percent, rate, year, date or age."""

    start: int
    end: int
    surface: str
    value: float
    kind: str
    unit: str = ""  # currency code, the counted noun, or the rate's base as text
    per: float = 0.0  # a rate's base: 1,000 for "per thousand", 5 for "one in five"
    approximate: bool = False
    date: datetime.date | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@lru_cache(maxsize=4096)
def words_to_number(words):
    """'nine' → 9, 'twenty-three' → 23, 'a dozen' → 12; None when it is not a number."""
    w = " ".join(words.lower().replace("-", " ").split())
    if w in ("a dozen", "an dozen"):
        return 12
    if w.startswith(("a ", "an ")):
        w = "one " + w.split(" ", 1)[1]
    value = parse_number(w)
    return int(value) if value is not None else None


def _scale(text):
    text = (text or "").lower().strip()
    return SCALES.get(text) or SHORT_SCALES.get(text) or 1


def _base(text):
    text = text.lower().replace(",", "")
    if text == "hundred thousand":
        return 100_000
    return float(text) if text[0].isdigit() else SCALES[text]


STOP_NOUN = {"of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "for", "per", "by", "from", "with", "than", "as",
             "is", "are", "was", "were", "had", "have", "has", "more", "less", "percent", "cent"}
NOUN_AFTER = re.compile(r"^\s*(?:[-–]?\s*)?((?:[A-Za-z][\w'-]*\s+){0,2}?)([a-z][a-z'-]+)")


def counted_noun(text, end):
    """The noun a count counts: '403,000 people living' → 'people'; skips up to two modifiers."""
    m = re.match(r"\s*((?:[A-Za-z][\w’'-]*\s+){0,3})", text[end:end + 80])
    words = re.findall(r"[A-Za-z][\w’'-]*", text[end:end + 80])[:4]
    for w in words:
        lw = w.lower()
        if lw in STOP_NOUN:
            break
        if lw.endswith("s") or lw in ("people", "staff", "police", "children", "men", "women", "cattle", "personnel"):
            return singular(lw)
    return singular(words[0].lower()) if words and words[0].lower() not in STOP_NOUN else ""


def singular(word):
    if word in ("people", "staff", "police", "personnel", "cattle"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def quantities(text, offset=0):
    """Every quantity in `text` (a sentence or a whole body), offsets shifted by `offset`."""
    found = []
    taken = []

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    def add(q):
        taken.append((q.start - offset, q.end - offset))
        found.append(q)

    # Dates first: "4 December 2026" is a date, not the count 4 and the year 2026.
    for pattern in (DATE_DMY, DATE_MDY):
        for m in pattern.finditer(text):
            month = MONTHS.get(m.group("m").lower())
            if not month or not free(m.start(), m.end()):
                continue
            try:
                day = datetime.date(int(m.group("y")), month, int(m.group("d")))
            except ValueError:
                continue
            wd = WEEKDAY_BEFORE.search(text[max(0, m.start() - 16):m.start()])
            extra = {"weekday": wd.group("w").lower()} if wd else {}
            start = m.start() - (len(wd.group()) if wd else 0)
            add(Quantity(offset + start, offset + m.end(), text[start:m.end()], day.year, "date", date=day, extra=extra))
    for m in AGE.finditer(text):
        value = m.group("a") or m.group("b") or m.group("d")
        if not free(m.start(), m.end()):
            continue
        extra = {"name": m.group("c")} if m.group("c") else {}
        s, e = (m.start("d"), m.end("d")) if m.group("d") else (m.start(), m.end())
        add(Quantity(offset + s, offset + e, text[s:e], float(value), "age", extra=extra))
    for m in ONE_IN.finditer(text):
        a = words_to_number(m.group("a")) if not m.group("a").isdigit() else int(m.group("a"))
        b = m.group("b")
        b = words_to_number(b) if not b[0].isdigit() else float(b.replace(",", ""))
        if a and b and b > a and free(m.start(), m.end()):
            add(Quantity(offset + m.start(), offset + m.end(), m.group(), float(a), "rate", unit=f"in {m.group('b')}", per=float(b)))
    for m in NUMBER.finditer(text):
        s = m.start("cur") if m.group("cur") else m.start("num")
        e = m.end()
        if not free(s, e) or (s > 0 and (text[s - 1].isalnum() or text[s - 1] in "-/.")):
            continue
        raw = m.group("num").replace(",", "")
        number = float(raw) * _scale(m.group("scale"))
        before = text[max(0, s - 30):s]
        approximate = bool(APPROX.search(before))
        if m.group("pct"):
            add(Quantity(offset + s, offset + e, text[s:e].strip(), number, "percent", approximate=approximate))
            continue
        currency = CURRENCY.get((m.group("cur") or "").upper()) or CURRENCY.get(m.group("cur") or "")
        after = CURRENCY_AFTER.match(text, e)
        if not currency and after:
            currency = CURRENCY[after.group("c").lower()]
            e = after.end()
        if currency:
            add(Quantity(offset + s, offset + e, text[s:e].strip(), number, "amount", unit=currency, approximate=approximate))
            continue
        rate = RATE_BASE.match(text, e)
        if rate:
            add(Quantity(offset + s, offset + rate.end(), text[s:rate.end()], number, "rate", unit=rate.group("base"),
                         per=_base(rate.group("base")), approximate=approximate))
            continue
        if YEAR.fullmatch(m.group("num")) and not m.group("scale") and not _looks_counted(text, e):
            add(Quantity(offset + s, offset + e, m.group("num"), number, "year", date=datetime.date(int(raw), 1, 1)))
            continue
        add(Quantity(offset + s, offset + e, text[s:e].strip(), number, "count", unit=counted_noun(text, e), approximate=approximate))
    for m in WORD_NUMBER.finditer(text):
        s, e = m.start(), m.end()
        if not free(s, e):
            continue
        surface = m.group()
        # "one" alone is mostly a pronoun ("one of them", "no one"): only counted when a noun follows.
        value = words_to_number(surface)
        if value is None:
            continue
        low = surface.lower()
        noun = counted_noun(text, e)
        if low in ("one", "a hundred") and not noun:
            continue
        if re.search(r"\bat\s+$", text[max(0, s - 4):s], re.IGNORECASE):
            continue  # "at six": a time of day
        if low == "one" and re.match(r"\s+(?:of|another|day|way|thing|side|hand)\b", text[e:]):
            continue
        number = float(value) * _scale(re.match(r"\s*(\w+)", text[e:]).group(1) if re.match(rf"\s*(?:{_SCALE})\b", text[e:]) else "")
        rate = RATE_BASE.match(text, e)
        if rate:
            add(Quantity(offset + s, offset + rate.end(), text[s:rate.end()], number, "rate", unit=rate.group("base"), per=_base(rate.group("base"))))
            continue
        pct = PERCENT_AFTER.match(text, e)
        if pct:
            add(Quantity(offset + s, offset + pct.end(), text[s:pct.end()], number, "percent"))
            continue
        before = text[max(0, s - 30):s]
        add(Quantity(offset + s, offset + e, surface, number, "count", unit=noun, approximate=bool(APPROX.search(before)), extra={"words": True}))
    found.sort(key=lambda q: (q.start, q.end))
    return found


def _looks_counted(text, end):
    """'2018 people' is a count; '2018 report' or 'in 2018.' is a year."""
    return bool(re.match(r"\s+(?:people|persons|residents|homes|houses|jobs|victims|cases|deaths|staff|workers|votes|members|students|children)\b", text[end:end + 20]))


def describe_number(value):
    """310000000 → '310 million'; 8.0 → '8'; 0.25 → '0.25'."""
    for name, size in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if abs(value) >= size:
            v = value / size
            return f"{v:.3g} {name}" if v < 1000 else f"{v:,.0f} {name}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3g}"
