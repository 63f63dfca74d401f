"""Is the excerpt a reviewer pasted really on the source's page? Pure: str in, a Match out.

The excerpt is searched in the snapshot's text exactly, then after folding the
differences copy-paste introduces (curly and straight quotes, dashes, soft
hyphens, words hyphenated across a line break, runs of whitespace, letter case),
then fuzzily with rapidfuzz's best partial alignment. Offsets always point into
the original snapshot text, so the snapshot view can highlight the match.

>>> verify("the barrier cost 41 million", "Officials said the barrier cost 41 million euros.").state
'found'
>>> m = verify("the barrier cost “41 million”", 'Officials said the Barrier cost "41 million" euros.')
>>> m.state, m.start, m.end
('found', 15, 44)
>>> verify("the barrier cost 14 million euros", "Officials said the barrier cost 41 million euros.").state
'close'
>>> verify("ferries will be free from May", "Officials said the barrier cost 41 million euros.").state
'not_found'
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

FOUND, CLOSE, NOT_FOUND, NO_EXCERPT = "found", "close", "not_found", "no_excerpt"
# rapidfuzz scores 0–100; at or above this the passage is "close": the same sentence with a
# word or figure changed, not a different sentence on the same topic.
CLOSE_SCORE = 85.0
# Excerpts shorter than this are too easy to match by chance, so only an exact (folded) hit counts.
MIN_FUZZY_CHARS = 12

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    }
)  # fmt: skip
# Dropped: a hyphen that breaks a word across lines, a hyphen inside a word ("flood-protection"
# and "flood-\nprotection" both fold to "floodprotection"), soft hyphens and zero-width characters.
# Collapsed to one space: any run of whitespace that is not already a single space.
_SPECIAL = re.compile(
    r"(?P<drop>(?<=\w)-[ \t]*\n\s*(?=\w)|(?<=\w)-(?=\w)|[\u00ad\u200b\u200c\u200d\ufeff])|(?P<space>\s{2,}|[^\S ]|^ )"
)


@dataclass(frozen=True)
class Match:
    state: str
    score: float = 0.0
    start: int | None = None  # in the original text
    end: int | None = None
    passage: str = ""  # text[start:end]


class Offsets:
    """Folded offset -> original offset, stored as runs (a few per paragraph, not one per character)."""

    def __init__(self) -> None:
        self._folded: list[int] = []  # where each run starts in the folded text
        self._original: list[int] = []  # ... and in the original
        self._step: list[int] = []  # 1: the run advances with the original; 0: one character stands for several
        self._length = 0

    def add(self, original: int, length: int, step: int = 1) -> None:
        self._folded.append(self._length)
        self._original.append(original)
        self._step.append(step)
        self._length += length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i: int) -> int:
        run = bisect.bisect_right(self._folded, i) - 1
        return self._original[run] + (i - self._folded[run]) * self._step[run]


def fold(text: str) -> tuple[str, Offsets]:
    """The folded text and where each of its characters came from in ``text``.

    Vectorised: quotes and dashes are mapped by ``str.translate`` (one character for
    one), then a single regex finds what is dropped or collapsed; the runs between are
    case-folded whole. A 2 MB page folds in well under a second.

    >>> folded, where = fold("Re-\\nelection  “now”")
    >>> folded, [where[i] for i in range(len(folded))]
    ('reelection "now"', [0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18])
    """
    text = text.translate(_FOLD)
    out: list[str] = []
    where = Offsets()
    position = 0

    def plain(start: int, stop: int) -> None:
        run = text[start:stop]
        folded = run.casefold()
        if len(folded) == len(run):
            out.append(folded)
            where.add(start, len(folded))
            return
        for i, char in enumerate(run):  # ß -> ss and the like: one original character, several folded
            piece = char.casefold()
            out.append(piece)
            where.add(start + i, len(piece), 1 if len(piece) == 1 else 0)

    for hit in _SPECIAL.finditer(text):
        if hit.start() > position:
            plain(position, hit.start())
        if hit.lastgroup == "space" and out and not out[-1].endswith(" "):
            out.append(" ")
            where.add(hit.start(), 1, 0)
        position = hit.end()
    if position < len(text):
        plain(position, len(text))
    folded = "".join(out)
    if folded.endswith(" "):
        folded = folded[:-1]
        where._length -= 1
    return folded, where


def _span(where: Offsets, text: str, start: int, end: int) -> tuple[int, int]:
    """Folded [start, end) back to original offsets."""
    if end <= start:
        return where[start] if start < len(where) else len(text), where[start] if start < len(where) else len(text)
    return where[start], where[end - 1] + 1


def verify(excerpt: str, text: str) -> Match:
    """Where (and how closely) excerpt occurs in text."""
    if not excerpt.strip():
        return Match(NO_EXCERPT)
    if not text:
        return Match(NOT_FOUND)
    exact = text.find(excerpt)
    if exact >= 0:
        return Match(FOUND, 100.0, exact, exact + len(excerpt), excerpt)
    needle, _ = fold(unicodedata.normalize("NFC", excerpt))
    haystack, where = fold(text)
    hit = haystack.find(needle)
    if hit >= 0:
        start, end = _span(where, text, hit, hit + len(needle))
        return Match(FOUND, 100.0, start, end, text[start:end])
    if len(needle) < MIN_FUZZY_CHARS:
        return Match(NOT_FOUND)
    alignment = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=CLOSE_SCORE)
    if alignment is None:
        best = fuzz.partial_ratio(needle, haystack)
        return Match(NOT_FOUND, round(best, 1))
    start, end = _span(where, text, alignment.dest_start, alignment.dest_end)
    start, end = _whole_words(text, start, end)
    return Match(CLOSE, round(alignment.score, 1), start, end, text[start:end])


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy match to word boundaries so the highlight never cuts a word."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def difference(excerpt: str, passage: str) -> list[tuple[str, str]]:
    """Word-level difference between the excerpt and the passage found: (op, text) with op in
    "same", "excerpt" (only in the excerpt), "page" (only on the page).

    >>> difference("cost 14 million euros", "cost 41 million euros")
    [('same', 'cost'), ('excerpt', '14'), ('page', '41'), ('same', 'million euros')]
    """
    a, b = excerpt.split(), passage.split()
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=[fold(w)[0] for w in a], b=[fold(w)[0] for w in b], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(b[b1:b2])))
            continue
        if a2 > a1:
            out.append(("excerpt", " ".join(a[a1:a2])))
        if b2 > b1:
            out.append(("page", " ".join(b[b1:b2])))
    return out
