"""Where a quote sits in an article's text, and where it went after an edit.

Everything here is pure: ``str`` in, frozen dataclasses out, no Django.

Offsets are Python code points, which is what a W3C ``TextPositionSelector``
counts. Browsers count UTF-16 code units instead (an emoji is 2 of them):
the review page converts in the browser (``cpLength`` in static/js/review.js),
and API clients that send ``offsets=utf16`` are converted by
``utf16_to_codepoints`` (called from services), the server's only conversion. No normalisation happens here: "é" written as "e" + U+0301 is two code
points, and CR LF is two. The HTML parser turns CR LF into LF in the DOM, so a
body must be stored with LF line endings or the browser's offsets drift; that is
the importer's job, not this module's.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from annotate.wording import same_wording, widen_edges

CONTEXT = 32
# "exact", "context" and "normalised" put a span on text equal to its quote (after
# the import's normalisation): only these may move a span. "fuzzy" (different
# words) and "elsewhere" (the same words in another sentence that was already in
# the text) are candidates a person has to confirm: the claim's words must never
# change behind a reviewer's back.
MOVES = ("exact", "context", "normalised")
CANDIDATES = ("fuzzy", "elsewhere")
METHODS = MOVES + CANDIDATES

# Fuzzy matching costs O(window * ceil(quote / 64)) big-int operations. These
# limits keep one call in the low milliseconds on a 130 KB article.
FUZZY_MAX_QUOTE = 2_000
FUZZY_RADIUS = 4_096
FUZZY_WHOLE_TEXT = 16_384
FUZZY_NEAR = 256


class AnchorError(ValueError):
    """An offset or quote that cannot be used; the message is meant for a person."""


@dataclass(frozen=True)
class Position:
    """A non-empty range of code points ``[start, end)``; always ``0 <= start < end``."""

    start: int
    end: int

    def __post_init__(self):
        if not (_is_int(self.start) and _is_int(self.end) and 0 <= self.start < self.end):
            raise AnchorError(
                f"A position needs whole numbers with 0 <= start < end, "
                f"not start={self.start!r}, end={self.end!r}."
            )


@dataclass(frozen=True)
class Quote:
    """The selected text with up to ``CONTEXT`` characters on either side."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Anchor:
    """Where a quote was found, and how sure we are: "exact", "context" or "fuzzy"."""

    position: Position
    method: str

    def __post_init__(self):
        if self.method not in METHODS:
            raise AnchorError(f"Unknown anchoring method {self.method!r}.")

    @property
    def moves(self) -> bool:
        """True when the text at ``position`` equals the quote, so the span may go there."""
        return self.method in MOVES


@dataclass(frozen=True)
class Segment:
    """A piece of text ``[start, end)`` and the keys of the spans covering it."""

    start: int
    end: int
    keys: tuple = ()


# --- Selections --------------------------------------------------------------


def select(body: str, start: int, end: int, context: int = CONTEXT) -> Quote:
    """Quote ``body[start:end]`` with its surrounding context.

    >>> select("The sky is blue today.", 11, 15, context=4)
    Quote(exact='blue', prefix=' is ', suffix=' tod')

    Raises ``AnchorError`` for offsets outside the body, an empty or reversed
    range, or a selection of nothing but whitespace.
    """
    _check_range(body, start, end)
    return Quote(
        exact=body[start:end],
        prefix=body[max(0, start - context) : start],
        suffix=body[end : end + context],
    )


def matches(body: str, position: Position, exact: str) -> bool:
    """Whether ``exact`` is the text of ``body`` at ``position``.

    >>> matches("The sky is blue.", Position(11, 15), "blue")
    True
    """
    return position.end <= len(body) and body[position.start : position.end] == exact


def check_selection(body: str, start: int, end: int, exact: str) -> Quote:
    """Check a selection made in the browser and return its ``Quote``.

    The offsets must already be code points (see ``utf16_to_codepoints``).

    >>> check_selection("The sky is blue.", 11, 15, "blue").exact
    'blue'
    >>> check_selection("The sky is blue.", 11, 15, "red")
    Traceback (most recent call last):
    AnchorError: The quoted text does not match the article at 11–15: ...
    """
    quote = select(body, start, end)
    if quote.exact == exact:
        return quote
    message = (
        f"The quoted text does not match the article at {start}–{end}: "
        f"the selection says {_preview(exact)} but the article has {_preview(quote.exact)}."
    )
    # Two likely causes are worth naming, as each points at a different bug.
    elsewhere = body.find(exact) if exact else -1
    if elsewhere >= 0 and _utf16_range_matches(body, start, end, exact):
        message += " The offsets look like UTF-16 units; convert them with utf16_to_codepoints."
    elif elsewhere >= 0:
        message += (
            f" That text appears at {elsewhere}; the article may have changed since the page was loaded."
        )
    raise AnchorError(message)


# --- The UTF-16 boundary -----------------------------------------------------


def utf16_to_codepoints(text: str, offset: int) -> int:
    """Turn a browser's UTF-16 offset into a code point offset.

    >>> utf16_to_codepoints("a😀b", 3)
    2

    An offset between the two halves of a surrogate pair, or outside the text,
    raises ``AnchorError``.
    """
    if not _is_int(offset):
        raise AnchorError(f"A UTF-16 offset must be a whole number, not {offset!r}.")
    if text.isascii():
        if 0 <= offset <= len(text):
            return offset
        raise AnchorError(_outside_utf16(offset, len(text)))
    # One C-level encode and decode beat a Python loop by two orders of
    # magnitude on long articles.
    units = text.encode("utf-16-le", "surrogatepass")
    total = len(units) // 2
    if not 0 <= offset <= total:
        raise AnchorError(_outside_utf16(offset, total))
    cut = 2 * offset
    if 0 < offset < total:
        before = int.from_bytes(units[cut - 2 : cut], "little")
        after = int.from_bytes(units[cut : cut + 2], "little")
        if 0xD800 <= before <= 0xDBFF and 0xDC00 <= after <= 0xDFFF:
            char = units[cut - 2 : cut + 2].decode("utf-16-le")
            raise AnchorError(f"The UTF-16 offset {offset} falls between the two halves of {char!r}.")
    return len(units[:cut].decode("utf-16-le", "surrogatepass"))


def codepoints_to_utf16(text: str, offset: int) -> int:
    """Turn a code point offset into the UTF-16 offset a browser expects.

    >>> codepoints_to_utf16("a😀b", 2)
    3
    """
    if not _is_int(offset):
        raise AnchorError(f"An offset must be a whole number, not {offset!r}.")
    if not 0 <= offset <= len(text):
        raise AnchorError(
            f"The offset {offset} is outside the text, which has {_count(len(text), 'character')}."
        )
    if text.isascii():
        return offset
    return len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2


# --- Re-anchoring ------------------------------------------------------------


def reanchor(
    new_body: str, quote: Quote, hint: int | None = None, max_errors: int | None = None
) -> Anchor | None:
    """Find ``quote`` in a revised text; ``None`` means the span is orphaned.

    1. One exact occurrence: method "exact".
    2. Several: the one whose surroundings agree most with ``quote.prefix`` and
       ``quote.suffix``, then the one nearest ``hint`` (the old start offset),
       then the first: method "context".
    3. None: the closest approximate match with at most ``max_errors`` edits
       (default ``max(1, len(exact) // 4)``): method "fuzzy".

    >>> reanchor("Yes, the sky is blue.", Quote("sky is blue"))
    Anchor(position=Position(start=9, end=20), method='exact')
    >>> reanchor("The sky is bleu.", Quote("sky is blue")).method
    'fuzzy'

    Cost: the exact search is C-speed ``str.find``. The fuzzy step runs Myers'
    bit-vector algorithm over a window of W characters: ``hint`` ±
    ``FUZZY_RADIUS`` (first ± ``FUZZY_NEAR``), or the whole text when it has at
    most ``FUZZY_WHOLE_TEXT`` characters or no hint is given. For a quote of m
    characters that is at worst O((W + m) * ceil(m / 64)) word operations, with
    m capped: quotes over ``FUZZY_MAX_QUOTE`` characters are never fuzzy-matched.
    With a hint on a long text: about 5 ms for an orphan of 50 characters.
    """
    return _reanchor(new_body, quote, hint, max_errors, None)


def reanchor_all(
    old_body: str, new_body: str, spans: Iterable[tuple[Hashable, Position, Quote]]
) -> dict[Hashable, Anchor | None]:
    """Re-anchor many spans at once after ``old_body`` became ``new_body``.

    ``spans`` holds ``(key, position_in_old_body, quote)``; the result maps each
    key to its ``Anchor``, or ``None`` when it is orphaned. Only an anchor whose
    ``moves`` is true may carry the span: "fuzzy" (the words changed: 40 became
    14) and "elsewhere" (the span's sentence went, and the same words stand in
    another sentence that was already there) are candidates for a person.

    >>> spans = [("c1", Position(4, 7), Quote("sky"))]
    >>> reanchor_all("The sky.", "Oh, the sky.", spans)
    {'c1': Anchor(position=Position(start=8, end=11), method='exact')}

    A diff over sentences and lines (after trimming the common head and tail)
    maps unchanged stretches to their new offsets, so a span there costs a lookup
    and two comparisons. Only spans in or next to an edit go through
    ``reanchor``, with the fuzzy window narrowed to the edited stretch. Measured:
    1,000 spans on a 130,000-character article with 50 scattered edits, ~30 ms.
    """
    blocks = _equal_blocks(old_body, new_body)
    old_starts = [b[0] for b in blocks]
    new_starts = [b[2] for b in blocks]
    result: dict[Hashable, Anchor | None] = {}
    for key, position, quote in spans:
        i = bisect_right(old_starts, position.start) - 1
        if i >= 0 and position.end <= blocks[i][1]:
            shift = blocks[i][2] - blocks[i][0]
            moved = Position(position.start + shift, position.end + shift)
            # The context must agree too: a diff cannot tell which of two equal
            # neighbours ("the the") was inserted, but the context can.
            if matches(new_body, moved, quote.exact) and _context_agrees(new_body, moved, quote):
                result[key] = Anchor(moved, "exact")
                continue
        hint, low, _ = _map_offset(blocks, old_starts, position.start, len(old_body), len(new_body))
        _, _, high = _map_offset(blocks, old_starts, position.end, len(old_body), len(new_body))
        # What is left of the quote lies in the edited stretch, give or take the
        # quote's own length; outside it the text is unchanged and held no match.
        margin = len(quote.exact) + CONTEXT
        window = (
            max(0, low - margin, hint - FUZZY_RADIUS),
            min(len(new_body), high + margin, hint + len(quote.exact) + FUZZY_RADIUS),
        )
        result[key] = _reanchor_edited(new_body, quote, position.start, hint, window, (blocks, new_starts))
    return result


def _reanchor_edited(body, quote, old_start, hint, window, mapping):
    """Re-anchor a span whose text or context was edited; never onto other words.

    An occurrence of the quote that lies in unchanged text and came from another
    place of the old text is another sentence that said the same ("elsewhere"):
    it is offered, never taken. So is the closest different wording ("fuzzy").
    """
    exact = quote.exact
    if not exact or exact.isspace():
        return None
    ours, others = [], []
    for start in _occurrences(body, exact):
        came_from = _old_offset(mapping, start, start + len(exact))
        (ours if came_from is None or came_from == old_start else others).append(start)
    if ours:
        full = set(s + len(quote.prefix) for s in _occurrences(body, quote.prefix + exact + quote.suffix))
        start = min([s for s in ours if s in full] or ours, key=lambda s: _context_rank(body, quote, s, hint))
        return Anchor(Position(start, start + len(exact)), "exact" if len(ours) == 1 else "context")
    found = _fuzzy(body, exact, hint, None, window)
    if found is not None:
        position = found.position
        came_from = _old_offset(mapping, position.start, position.end)
        if came_from is None or came_from == old_start:
            if same_wording(body[position.start : position.end], exact):
                return Anchor(position, "normalised")
            return Anchor(widen_to_words(body, position, quote), "fuzzy")
    if others:
        start = min(others, key=lambda s: _context_rank(body, quote, s, hint))
        return Anchor(Position(start, start + len(exact)), "elsewhere")
    if found is not None:
        return Anchor(widen_to_words(body, found.position, quote), "fuzzy")
    return None


def widen_to_words(body: str, position: Position, quote: Quote) -> Position:
    """Grow a candidate to whole words where the original selection ended on a word's edge.

    A fuzzy match of "500 new homes" in "5,000 new homes" is "000 new homes";
    the candidate a reviewer is shown must be the whole number.

    >>> body = "They built 5,000 new homes."
    >>> widen_to_words(body, Position(13, 26), Quote("500 new homes", "built ", "."))
    Position(start=11, end=26)
    """
    return Position(*widen_edges(body, position.start, position.end, quote.exact, quote.prefix, quote.suffix))


def _old_offset(mapping, start, end):
    """Where ``[start, end)`` of the new text was in the old one, or None if it is new text."""
    blocks, new_starts = mapping
    i = bisect_right(new_starts, start) - 1
    if i < 0:
        return None
    old_start, old_end, new_start = blocks[i]
    if end <= new_start + old_end - old_start:
        return old_start + start - new_start
    return None


def _reanchor(body, quote, hint, max_errors, window):
    exact = quote.exact
    if not exact or exact.isspace():
        return None
    starts = _occurrences(body, exact)
    if len(starts) == 1:
        return Anchor(Position(starts[0], starts[0] + len(exact)), "exact")
    if starts:
        # Occurrences with their whole context, if any, outrank all others; one
        # C-level search finds them without ranking every short-word match.
        full = [s + len(quote.prefix) for s in _occurrences(body, quote.prefix + exact + quote.suffix)]
        start = min(full or starts, key=lambda s: _context_rank(body, quote, s, hint))
        return Anchor(Position(start, start + len(exact)), "context")
    return _fuzzy(body, exact, hint, max_errors, window)


def _context_agrees(body, position, quote):
    before = position.start - len(quote.prefix)
    return (
        before >= 0
        and body[before : position.start] == quote.prefix
        and body[position.end : position.end + len(quote.suffix)] == quote.suffix
    )


def _occurrences(body, exact):
    found, i = [], body.find(exact)
    while i >= 0:
        found.append(i)
        i = body.find(exact, i + 1)
    return found


def _context_rank(body, quote, start, hint):
    end = start + len(quote.exact)
    before = body[max(0, start - len(quote.prefix)) : start]
    agreement = _common_suffix_len(before, quote.prefix) + _common_prefix_len(
        body[end : end + len(quote.suffix)], quote.suffix
    )
    distance = abs(start - hint) if hint is not None else 0
    return (-agreement, distance, start)


def _fuzzy(body, exact, hint, max_errors, window):
    m = len(exact)
    if m > FUZZY_MAX_QUOTE:
        return None
    k = min(max(1, m // 4) if max_errors is None else max_errors, m - 1)
    if k <= 0:
        return None
    if window is None:
        if hint is None or len(body) <= FUZZY_WHOLE_TEXT:
            window = (0, len(body))
        else:
            window = (max(0, hint - FUZZY_RADIUS), min(len(body), hint + m + FUZZY_RADIUS))
    lo, hi = window
    stages = [(lo, hi)]
    if hint is not None:
        # Edited quotes rarely move far, so a small window around the hint
        # usually settles it; the full window is paid for only by orphans.
        near = (max(lo, hint - FUZZY_NEAR), min(hi, hint + m + FUZZY_NEAR))
        if near != window:
            stages.insert(0, near)
    for a, b in stages:
        if b - a >= m - k:
            found = _closest_match(body, exact, a, b, k, hint)
            if found is not None:
                return found
    return None


def _closest_match(body, exact, lo, hi, k, hint):
    m = len(exact)
    scores = _myers(exact, body[lo:hi], anchored=False)
    best = min(scores)
    if best > k:
        return None
    ends = [lo + j + 1 for j, score in enumerate(scores) if score == best]
    # Ties are usually neighbours of one match; the hint decides between
    # genuinely separate candidates.
    end = min(ends, key=lambda e: abs(e - m - hint)) if hint is not None else ends[0]
    # Myers finds where a match ends; running it backwards from that end, anchored
    # there, finds where the same match starts.
    from_ = max(lo, end - m - k)
    back = _myers(exact[::-1], body[from_:end][::-1], anchored=True)
    fewest = min(back)
    length = min((j + 1 for j, score in enumerate(back) if score == fewest), key=lambda n: abs(n - m))
    position = Position(end - length, end)
    if body[position.start : position.end].isspace():
        return None
    return Anchor(position, "fuzzy")


def _myers(pattern, text, anchored):
    """Edit distances of ``pattern`` against text ending at each position.

    Unanchored: the best match of the pattern ending at ``text[j]`` (it may start
    anywhere). Anchored: the distance to ``text[: j + 1]`` exactly. Myers (1999),
    in Hyyrö's formulation, one Python int as the bit vector.
    """
    m = len(pattern)
    mask = (1 << m) - 1
    top = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score, carry = mask, 0, m, 1 if anchored else 0
    scores = []
    append = scores.append
    get = peq.get
    for char in text:
        eq = get(char, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) ^ pv) | eq) & mask
        ph = (mv | ~(xh | pv)) & mask
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = (ph << 1) | carry
        mh <<= 1
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv & mask
        append(score)
    return scores


# The diff compares sentence-sized chunks: lines alone would leave a one-line
# article as a single chunk, characters would make difflib far too slow. Line
# breaks stick to the chunk before them so blank lines do not become many
# identical items for the diff to pair up.
_CHUNK = re.compile(r"[^\n.!?]*(?:[.!?]+[ \t]*)?[\r\n]*")


def _equal_blocks(old, new):
    """``(old_start, old_end, new_start)`` of stretches the two texts share."""
    head = _common_prefix_len(old, new)
    tail = _common_suffix_len(old[head:], new[head:])
    blocks = [(0, head, 0)]
    old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    if old_mid and new_mid:
        a_offsets, a_chunks = _chunks(old_mid)
        b_offsets, b_chunks = _chunks(new_mid)
        matcher = difflib.SequenceMatcher(None, a_chunks, b_chunks)
        for i, j, size in matcher.get_matching_blocks():
            blocks.append((head + a_offsets[i], head + a_offsets[i + size], head + b_offsets[j]))
    blocks.append((len(old) - tail, len(old), len(new) - tail))
    merged = []
    for block in blocks:
        if block[0] == block[1]:
            continue
        if merged and merged[-1][1] == block[0] and merged[-1][2] - merged[-1][0] == block[2] - block[0]:
            merged[-1] = (merged[-1][0], block[1], merged[-1][2])
        else:
            merged.append(block)
    return merged


def _chunks(text):
    offsets, chunks = [0], []
    for match in _CHUNK.finditer(text):
        if match.end() > match.start():
            chunks.append(match.group())
            offsets.append(match.end())
    return offsets, chunks


def _map_offset(blocks, old_starts, offset, old_length, new_length):
    """Map an old offset to ``(guess, low, high)`` in the new text.

    In an unchanged stretch all three are the exact new offset. In an edited
    stretch, ``low``/``high`` are its new edges and ``guess`` is in proportion
    between them, so spans deep in a long rewrite keep their locality.
    """
    i = bisect_right(old_starts, offset) - 1
    if i >= 0 and offset <= blocks[i][1]:
        new = offset + blocks[i][2] - blocks[i][0]
        return new, new, new
    old_low = blocks[i][1] if i >= 0 else 0
    old_high = blocks[i + 1][0] if i + 1 < len(blocks) else old_length
    low = blocks[i][2] + blocks[i][1] - blocks[i][0] if i >= 0 else 0
    high = blocks[i + 1][2] if i + 1 < len(blocks) else new_length
    # Scale across the edited stretch: right for a uniform change such as new
    # line endings, and no worse than a plain shift for a local one.
    guess = low + (offset - old_low) * (high - low) // max(1, old_high - old_low)
    return guess, low, high


# --- Segments and paragraphs -------------------------------------------------


def segments(length: int, spans: Iterable[tuple[int, int, Hashable]]) -> list[Segment]:
    """Cut ``[0, length)`` into pieces on which the covering spans do not change.

    ``spans`` holds ``(start, end, key)`` and may overlap, nest and share
    boundaries. Keys in a segment are ordered by span start, then longer span
    first, then key. Uncovered text gets ``keys=()``.

    >>> [(s.start, s.end, s.keys) for s in segments(10, [(2, 8, "a"), (4, 6, "b")])]
    [(0, 2, ()), (2, 4, ('a',)), (4, 6, ('a', 'b')), (6, 8, ('a',)), (8, 10, ())]

    A sweep over sorted boundaries: O(k log k) for k spans, plus the size of the
    output (each segment lists its keys).
    """
    items = []
    for start, end, key in spans:
        if not (type(start) is int and type(end) is int and 0 <= start < end <= length):  # _is_int, inlined
            raise AnchorError(
                f"The span {key!r} at {start!r}–{end!r} does not fit in a text "
                f"of {_count(length, 'character')}."
            )
        items.append((start, end, key))
    try:
        items = sorted(items, key=lambda item: (item[0], -item[1], item[2]))
    except TypeError:  # keys that do not compare (mixed types): keep their given order
        items = sorted(items, key=lambda item: (item[0], -item[1]))
    key_of = [item[2] for item in items].__getitem__
    ends = sorted((item[1], rank) for rank, item in enumerate(items))
    points = sorted({0, length, *(item[0] for item in items), *(end for end, _ in ends)})
    active: list[int] = []  # ranks of the spans covering the current point, sorted
    out: list[Segment] = []
    next_start = next_end = 0
    count = len(items)
    for a, b in zip(points, points[1:]):
        while next_end < count and ends[next_end][0] <= a:
            del active[bisect_left(active, ends[next_end][1])]
            next_end += 1
        while next_start < count and items[next_start][0] <= a:
            insort(active, next_start)
            next_start += 1
        covering = tuple(map(key_of, active))
        if out and out[-1].keys == covering:
            out[-1] = Segment(out[-1].start, b, covering)
        else:
            out.append(Segment(a, b, covering))
    return out


_PARAGRAPH_BREAK = re.compile(r"\r?\n(?:[ \t]*\r?\n)+")


def paragraphs(body: str) -> list[Position]:
    """Positions of the paragraphs of ``body``, which blank lines separate.

    Whitespace at either end of a paragraph is left out.

    >>> paragraphs("First one.\\n\\n  Second.\\n")
    [Position(start=0, end=10), Position(start=14, end=21)]
    """
    out = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(body):
        _add_trimmed(out, body, start, match.start())
        start = match.end()
    _add_trimmed(out, body, start, len(body))
    return out


def split_by(pieces: Sequence[Segment], parts: Sequence[Position]) -> list[tuple[Position, list[Segment]]]:
    """Clip segments to each part (e.g. paragraph), for rendering part by part.

    Both lists must be in order and ``parts`` must not overlap.

    >>> segs = segments(9, [(2, 6, "a")])
    >>> [(p.start, [(s.start, s.end, s.keys) for s in ss])
    ...  for p, ss in split_by(segs, [Position(0, 4), Position(5, 9)])]
    [(0, [(0, 2, ()), (2, 4, ('a',))]), (5, [(5, 6, ('a',)), (6, 9, ())])]
    """
    out = []
    i = 0
    for part in parts:
        while i < len(pieces) and pieces[i].end <= part.start:
            i += 1
        clipped = []
        j = i
        while j < len(pieces) and pieces[j].start < part.end:
            piece = pieces[j]
            clipped.append(Segment(max(piece.start, part.start), min(piece.end, part.end), piece.keys))
            j += 1
        out.append((part, clipped))
    return out


# --- Helpers -----------------------------------------------------------------


def _add_trimmed(out, body, start, end):
    piece = body[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        out.append(Position(start + lead, start + lead + len(stripped)))


def _check_range(body, start, end):
    for name, value in (("start", start), ("end", end)):
        if not _is_int(value):
            raise AnchorError(f"The selection {name} must be a whole number, not {value!r}.")
    size = _count(len(body), "character")
    if start < 0:
        raise AnchorError(f"The selection starts at {start}, before the beginning of the article.")
    if start > len(body):
        raise AnchorError(f"The selection starts at {start} but the article has only {size}.")
    if end > len(body):
        raise AnchorError(f"The selection ends at {end} but the article has only {size}.")
    if start == end:
        raise AnchorError(f"The selection is empty: it starts and ends at {start}.")
    if start > end:
        raise AnchorError(f"The selection starts at {start}, after its end at {end}.")
    if body[start:end].isspace():
        raise AnchorError("The selection contains only whitespace; select some words.")


def _utf16_range_matches(body, start, end, exact):
    try:
        start, end = utf16_to_codepoints(body, start), utf16_to_codepoints(body, end)
    except AnchorError:
        return False
    return body[start:end] == exact


def _common_prefix_len(a, b):
    # Binary search on slice equality: O(log n) C-level comparisons, which is
    # much faster than a Python loop over the characters of two long texts.
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix_len(a, b):
    return _common_prefix_len(a[::-1], b[::-1])


def _is_int(value):
    return type(value) is int  # not bool, which is an int to isinstance


def _count(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _outside_utf16(offset, total):
    return f"The UTF-16 offset {offset} is outside the text, which has {_count(total, 'UTF-16 unit')}."


def _preview(text, limit=40):
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
