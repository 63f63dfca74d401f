"""annotate.anchoring: offsets, quotes, re-anchoring and segments. No database."""

import doctest
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotate import anchoring
from annotate.wording import same_wording
from annotate.anchoring import (
    CONTEXT,
    Anchor,
    AnchorError,
    Position,
    Quote,
    Segment,
    check_selection,
    codepoints_to_utf16,
    matches,
    paragraphs,
    reanchor,
    reanchor_all,
    segments,
    select,
    split_by,
    utf16_to_codepoints,
)

PROPERTIES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])

EMOJI = "\U0001f600"  # 😀, two UTF-16 units
FLAG = "\U0001f1eb\U0001f1f7"  # 🇫🇷, two code points, four UTF-16 units
E_ACUTE = "e\u0301"  # é as e + combining acute accent: two code points

SKY = "The sky is blue. The sea is blue too. Grass is green."


def test_the_examples_in_the_docstrings_hold():
    flags = doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL
    assert doctest.testmod(anchoring, optionflags=flags).failed == 0


# --- select / matches / check_selection -----------------------------------------


@pytest.mark.parametrize(
    "body, start, end, expected",
    [
        (SKY, 4, 7, Quote("sky", "The ", " is blue. The sea is blue too. G")),
        ("abc", 0, 3, Quote("abc", "", "")),
        ("x" * 40 + "MID" + "y" * 40, 40, 43, Quote("MID", "x" * CONTEXT, "y" * CONTEXT)),
        ("one\r\ntwo", 3, 8, Quote("\r\ntwo", "one", "")),
        (f"a{EMOJI}b", 1, 2, Quote(EMOJI, "a", "b")),
        (f"caf{E_ACUTE} noir", 0, 5, Quote(f"caf{E_ACUTE}", "", " noir")),
        (f"caf{E_ACUTE}", 3, 4, Quote("e", "caf", "\u0301")),
    ],
    ids=[
        "plain",
        "whole-text",
        "context-is-capped",
        "crlf-counts-two",
        "emoji-counts-one",
        "combining-mark",
        "half-a-cluster",
    ],
)
def test_it_quotes_a_selection_with_its_context(body, start, end, expected):
    assert select(body, start, end) == expected


def test_it_rejects_a_selection_past_the_end():
    with pytest.raises(
        AnchorError, match="The selection ends at 900 but the article has only 850 characters."
    ):
        select("x" * 850, 10, 900)


@pytest.mark.parametrize(
    "start, end, message",
    [
        (-1, 3, "starts at -1, before the beginning"),
        (60, 70, "starts at 60 but the article has only 53 characters"),
        (0, 54, "ends at 54 but the article has only 53 characters"),
        (5, 5, "is empty"),
        (9, 4, "starts at 9, after its end at 4"),
        (3, 4, "only whitespace"),
        ("3", 5, "must be a whole number"),
        (3, True, "must be a whole number"),
    ],
    ids=[
        "negative-start",
        "start-past-the-end",
        "end-past-the-end",
        "empty",
        "reversed",
        "whitespace-only",
        "text-offset",
        "bool-offset",
    ],
)
def test_it_rejects_a_selection_it_cannot_quote(start, end, message):
    with pytest.raises(AnchorError, match=message):
        select(SKY, start, end)
    with pytest.raises(AnchorError, match=message):
        check_selection(SKY, start, end, "sky")


@pytest.mark.parametrize(
    "body, position, exact, expected",
    [
        (SKY, Position(4, 7), "sky", True),
        (SKY, Position(4, 7), "sea", False),
        (SKY, Position(50, 60), "green.", False),
        (f"a{EMOJI}b", Position(1, 3), f"{EMOJI}b", True),
        (f"caf{E_ACUTE}", Position(3, 5), "\u00e9", False),
    ],
    ids=["same-text", "other-text", "past-the-end", "emoji", "precomposed-is-not-decomposed"],
)
def test_it_tells_whether_a_quote_matches_at_a_position(body, position, exact, expected):
    assert matches(body, position, exact) is expected


@pytest.mark.parametrize(
    "body, start, end, exact",
    [
        (SKY, 4, 7, "sky"),
        ("one\r\ntwo", 0, 8, "one\r\ntwo"),
        (f"I {EMOJI} it", 2, 3, EMOJI),
        (f"caf{E_ACUTE} noir", 0, 5, f"caf{E_ACUTE}"),
    ],
    ids=["plain", "crlf", "emoji", "combining-mark"],
)
def test_it_accepts_a_selection_whose_quote_matches(body, start, end, exact):
    quote = check_selection(body, start, end, exact)
    assert quote == select(body, start, end)


@pytest.mark.parametrize(
    "body, start, end, exact, message",
    [
        (SKY, 4, 7, "sea", "the selection says 'sea' but the article has 'sky'"),
        (f"caf{E_ACUTE}", 0, 5, "caf\u00e9", "does not match"),
        ("one\r\ntwo", 0, 8, "one\ntwo", "does not match"),
        (f"{EMOJI} sky and more", 3, 6, "sky", "look like UTF-16 units"),
        (SKY, 0, 3, "sea", "appears at 21; the article may have changed"),
    ],
    ids=["other-text", "precomposed-quote", "lf-quote-for-crlf-text", "utf16-offsets", "stale-offsets"],
)
def test_it_rejects_a_quote_that_does_not_match_the_body(body, start, end, exact, message):
    with pytest.raises(AnchorError, match=message):
        check_selection(body, start, end, exact)


# --- the UTF-16 boundary -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, utf16, codepoints",
    [
        ("plain ascii", 6, 6),
        (f"a{EMOJI}b", 0, 0),
        (f"a{EMOJI}b", 1, 1),
        (f"a{EMOJI}b", 3, 2),
        (f"a{EMOJI}b", 4, 3),
        (f"{EMOJI}{EMOJI}x", 4, 2),
        (f"{FLAG}!", 4, 2),
        (f"caf{E_ACUTE}!", 5, 5),
        ("中文 text", 2, 2),
        ("", 0, 0),
    ],
    ids=[
        "ascii",
        "start",
        "before-emoji",
        "after-emoji",
        "end",
        "two-emoji",
        "flag",
        "combining-mark",
        "cjk",
        "empty",
    ],
)
def test_it_converts_offsets_between_utf16_and_code_points(text, utf16, codepoints):
    assert utf16_to_codepoints(text, utf16) == codepoints
    assert codepoints_to_utf16(text, codepoints) == utf16


@pytest.mark.parametrize(
    "text, offset, message",
    [
        (f"a{EMOJI}b", 2, "falls between the two halves"),
        (f"{FLAG}", 1, "falls between the two halves"),
        (f"{FLAG}", 3, "falls between the two halves"),
        (f"a{EMOJI}b", 5, "outside the text, which has 4 UTF-16 units"),
        ("abc", 4, "outside the text, which has 3 UTF-16 units"),
        ("abc", -1, "outside the text"),
        ("abc", 1.0, "whole number"),
    ],
    ids=[
        "inside-emoji",
        "inside-first-flag-letter",
        "inside-second-flag-letter",
        "past-the-end",
        "past-the-end-ascii",
        "negative",
        "float",
    ],
)
def test_it_rejects_a_utf16_offset_that_is_not_a_character_boundary(text, offset, message):
    with pytest.raises(AnchorError, match=message):
        utf16_to_codepoints(text, offset)


@pytest.mark.parametrize("offset", [-1, 4], ids=["negative", "past-the-end"])
def test_it_rejects_a_code_point_offset_outside_the_text(offset):
    with pytest.raises(AnchorError, match="outside the text"):
        codepoints_to_utf16(f"a{EMOJI}b", offset)


@PROPERTIES
@given(text=st.text(), data=st.data())
def test_utf16_offsets_round_trip_through_code_points(text, data):
    offset = data.draw(st.integers(0, len(text)))
    utf16 = codepoints_to_utf16(text, offset)
    assert utf16 == len(text[:offset].encode("utf-16-le")) // 2
    assert utf16_to_codepoints(text, utf16) == offset


@PROPERTIES
@given(
    text=st.text(alphabet=st.sampled_from(["a", "é", "\u0301", EMOJI, "\U00010348", "\n"])), data=st.data()
)
def test_every_utf16_offset_is_a_boundary_or_rejected(text, data):
    units = len(text.encode("utf-16-le")) // 2
    offset = data.draw(st.integers(0, units))
    boundaries = {codepoints_to_utf16(text, i): i for i in range(len(text) + 1)}
    if offset in boundaries:
        assert utf16_to_codepoints(text, offset) == boundaries[offset]
    else:
        with pytest.raises(AnchorError, match="between the two halves"):
            utf16_to_codepoints(text, offset)


# --- reanchor ----------------------------------------------------------------------

CLAIM = "the barrier cost 41 million euros"
ARTICLE = (
    "Harbour city opens new tidal barrier\n\n"
    f"The council said {CLAIM} and protects 12,000 homes.\n\n"
    "Critics claim the project ran three years late."
)
CLAIM_AT = ARTICLE.index(CLAIM)
CLAIM_QUOTE = select(ARTICLE, CLAIM_AT, CLAIM_AT + len(CLAIM))


def _at(body, text, method):
    start = body.index(text)
    return Anchor(Position(start, start + len(text)), method)


MOVED = (
    ARTICLE.replace(f"The council said {CLAIM} and protects 12,000 homes.\n\n", "")
    + f"\n\nThe council said {CLAIM}."
)


@pytest.mark.parametrize(
    "new_body, found, method",
    [
        (ARTICLE, CLAIM, "exact"),
        ("UPDATE: corrected.\n\n" + ARTICLE, CLAIM, "exact"),
        (ARTICLE.replace("Critics", "Some critics"), CLAIM, "exact"),
        (ARTICLE.replace("The council said", "Officials told us"), CLAIM, "exact"),
        (ARTICLE.replace("41 million", "41.5 million"), "the barrier cost 41.5 million euros", "fuzzy"),
        (ARTICLE.replace("barrier cost", "barier cost"), "the barier cost 41 million euros", "fuzzy"),
        (ARTICLE.replace(CLAIM, f"{CLAIM} in total"), CLAIM, "exact"),
        (ARTICLE.replace(f"{CLAIM} and ", ""), None, None),
        (ARTICLE.replace(CLAIM, "nobody knows what the flood wall cost"), None, None),
        (ARTICLE.replace("\n", "\r\n"), CLAIM, "exact"),
        (f"{EMOJI} " + ARTICLE, CLAIM, "exact"),
        (MOVED, CLAIM, "exact"),
    ],
    ids=[
        "unchanged",
        "edit-before-shifts-it",
        "edit-after-keeps-it",
        "edit-in-its-context",
        "edit-inside",
        "typo-inside",
        "text-added-right-after",
        "quote-deleted-is-orphaned",
        "quote-rewritten-is-orphaned",
        "crlf-line-endings",
        "emoji-before-shifts-by-one",
        "moved-to-another-paragraph",
    ],
)
def test_it_reanchors_a_quote_after_an_edit(new_body, found, method):
    expected = _at(new_body, found, method) if found else None
    assert reanchor(new_body, CLAIM_QUOTE, hint=CLAIM_AT) == expected


def test_it_fixes_a_small_typo_with_a_fuzzy_match():
    old = "Unemployment fell to 4.2 percent in Febuary, the lowest in a decade."
    quote = select(old, 0, old.index(","))
    new = old.replace("Febuary", "February")
    anchor = reanchor(new, quote, hint=0)
    assert anchor == Anchor(Position(0, new.index(",")), "fuzzy")


@pytest.mark.parametrize(
    "quote, hint, expected_start",
    [
        (Quote("blue", "The sky is ", ". The sea"), None, 11),
        (Quote("blue", "The sea is ", " too."), None, 28),
        (Quote("blue", "", " too."), 0, 28),
        (Quote("blue"), 30, 28),
        (Quote("blue"), 2, 11),
        (Quote("blue"), None, 11),
    ],
    ids=[
        "prefix-picks-the-first",
        "prefix-picks-the-second",
        "suffix-beats-the-hint",
        "hint-breaks-a-tie",
        "hint-breaks-a-tie-the-other-way",
        "first-without-a-hint",
    ],
)
def test_it_chooses_between_repeated_quotes_by_context_then_by_the_hint(quote, hint, expected_start):
    assert reanchor(SKY, quote, hint=hint) == Anchor(Position(expected_start, expected_start + 4), "context")


@pytest.mark.parametrize(
    "quote, max_errors",
    [
        (Quote("the barrier cost 99 billion dollars"), None),
        (Quote("the barier cost 41 million euros"), 0),
        (Quote("x"), None),
        (Quote("   "), None),
        (Quote(""), None),
        (Quote("q" * (anchoring.FUZZY_MAX_QUOTE + 1)), None),
    ],
    ids=[
        "too-many-errors",
        "no-errors-allowed",
        "one-character",
        "whitespace-only",
        "empty",
        "too-long-for-fuzzy",
    ],
)
def test_it_leaves_a_quote_orphaned_when_nothing_is_close_enough(quote, max_errors):
    assert reanchor(ARTICLE, quote, hint=CLAIM_AT, max_errors=max_errors) is None


def test_it_allows_more_errors_when_asked():
    quote = Quote("the barrier cost 99 billion dollars")
    anchor = reanchor(ARTICLE, quote, hint=CLAIM_AT, max_errors=15)
    assert anchor is not None and anchor.method == "fuzzy"
    assert anchor.position.start == CLAIM_AT


def test_it_searches_a_long_article_near_the_hint():
    filler = "".join(f"Sentence number {i} says nothing much. " for i in range(3000))
    body = filler + ARTICLE.replace("barrier cost", "barier cost") + filler
    typo_at = len(filler) + CLAIM_AT
    assert reanchor(body, CLAIM_QUOTE, hint=typo_at - 100).position.start == typo_at
    assert reanchor(body, CLAIM_QUOTE, hint=0) is None  # too far from the hint to look


# --- reanchor_all ------------------------------------------------------------------


def _spans(body, *texts):
    out = []
    for key, text in enumerate(texts):
        start = body.index(text)
        out.append((key, Position(start, start + len(text)), select(body, start, start + len(text))))
    return out


@pytest.mark.parametrize(
    "new_body, expected_methods",
    [
        (ARTICLE, ["exact", "exact", "exact"]),
        ("Breaking.\n\n" + ARTICLE, ["exact", "exact", "exact"]),
        (ARTICLE + "\n\nMore later.", ["exact", "exact", "exact"]),
        (ARTICLE.replace("41 million", "41.5 million"), ["exact", "fuzzy", "exact"]),
        (
            ARTICLE.replace(f"The council said {CLAIM} and protects 12,000 homes.\n\n", ""),
            ["exact", None, "exact"],
        ),
        (ARTICLE.replace("Harbour", "Harbor"), ["fuzzy", "exact", "exact"]),
    ],
    ids=[
        "unchanged",
        "edit-before",
        "edit-after",
        "edit-inside-one",
        "paragraph-deleted",
        "edit-inside-first",
    ],
)
def test_it_reanchors_many_spans_at_once(new_body, expected_methods):
    spans = _spans(ARTICLE, "Harbour city opens", CLAIM, "three years late")
    anchors = reanchor_all(ARTICLE, new_body, spans)
    assert [a.method if a else None for a in anchors.values()] == expected_methods
    for key, _, quote in spans:
        if anchors[key] is not None and anchors[key].method == "exact":
            assert matches(new_body, anchors[key].position, quote.exact)


def test_it_keeps_each_of_several_repeated_quotes_in_place():
    old = "Prices rose. Wages rose. Rents rose. Taxes rose."
    spans = [
        (f"rose-{i}", Position(s, s + 4), select(old, s, s + 4)) for i, s in enumerate(_all(old, "rose"))
    ]
    new = "Sadly, prices rose. Wages hardly rose. Rents rose. Taxes rose!"
    anchors = reanchor_all(old, new, spans)
    assert [a.position.start for a in anchors.values()] == list(_all(new, "rose"))


def test_a_span_whose_stored_position_is_stale_is_offered_its_quote_not_moved_to_it():
    # The quote stands in text that did not change, at another place than the span's:
    # that is someone else's sentence, so it is a candidate ("elsewhere"), not a move.
    spans = [("c", Position(0, len(CLAIM)), CLAIM_QUOTE)]
    (anchor,) = reanchor_all(ARTICLE, ARTICLE, spans).values()
    assert anchor == _at(ARTICLE, CLAIM, "elsewhere") and not anchor.moves


def test_it_orphans_or_finds_spans_when_the_whole_text_is_replaced():
    spans = _spans(ARTICLE, "Harbour city opens", CLAIM)
    new = "A different story. It says the barrier cost 41 million euros."
    assert reanchor_all(ARTICLE, new, spans) == {0: None, 1: _at(new, CLAIM, "exact")}
    assert reanchor_all(ARTICLE, new, []) == {}


def test_reanchoring_a_thousand_spans_on_a_long_article_keeps_nearly_all_exact():
    rng = random.Random(4)
    words = ARTICLE.split()
    paragraphs_ = [" ".join(rng.choice(words) for _ in range(rng.randint(30, 120))) + "." for _ in range(300)]
    old = "\n\n".join(paragraphs_)
    spans = []
    for key in range(1000):
        start = rng.randrange(len(old) - 200)
        end = start + rng.randint(5, 150)
        if not old[start:end].isspace():
            spans.append((key, Position(start, end), select(old, start, end)))
    new = old
    for _ in range(20):
        at = rng.randrange(len(new) - 100)
        new = new[:at] + rng.choice(["", " a few more words", "X"]) + new[at + rng.randint(0, 40) :]
    anchors = reanchor_all(old, new, spans)
    assert len(old) > 120_000 and len(anchors) == len(spans)
    assert sum(a is not None and a.method == "exact" for a in anchors.values()) > 900


def _all(text, word):
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + 1)


ALPHABET = "abcdefghijklmnopqrstuvwxyz  ..\n" + EMOJI + E_ACUTE


def _edited(draw, text):
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        end = start if kind == "insert" else draw(st.integers(start, min(len(text), start + 12)))
        new = "" if kind == "delete" else draw(st.text(ALPHABET, max_size=12))
        text = text[:start] + new + text[end:]
    return text


@st.composite
def edits_away_from_a_span(draw):
    """An old text, a span in it, and a new text edited only outside the span and its context."""
    text = draw(st.text(ALPHABET, min_size=1, max_size=300))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 60)))
    assume(not text[start:end].isspace())
    low, high = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    before, after = _edited(draw, text[:low]), _edited(draw, text[high:])
    new = before + text[low:high] + after
    return text, Position(start, end), new, len(before) + start - low


@PROPERTIES
@given(edits_away_from_a_span())
def test_edits_away_from_a_span_never_lose_it(case):
    old, position, new, moved_to = case
    quote = select(old, position.start, position.end)
    # Only a text that repeats the quote with its whole context is truly ambiguous.
    assume(len(list(_all(new, quote.prefix + quote.exact + quote.suffix))) == 1)
    expected = Position(moved_to, moved_to + len(quote.exact))
    anchor = reanchor(new, quote, hint=position.start)
    assert anchor.position == expected and anchor.method in ("exact", "context")
    assert reanchor_all(old, new, [("k", position, quote)])["k"].position == expected


def _edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        diagonal, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (x != y))
    return row[-1]


@PROPERTIES
@given(st.text(ALPHABET, min_size=4, max_size=200), st.data())
def test_every_anchor_points_at_the_quote_or_within_the_error_budget(text, data):
    spans = []
    for key in range(data.draw(st.integers(1, 5))):
        start = data.draw(st.integers(0, len(text) - 4))
        end = data.draw(st.integers(start + 4, min(len(text), start + 80)))
        if not text[start:end].isspace():
            spans.append((key, Position(start, end), select(text, start, end)))
    new = _edited(data.draw, text)
    together = reanchor_all(text, new, spans)
    for key, position, quote in spans:
        for anchor in (together[key], reanchor(new, quote, hint=position.start)):
            if anchor is None:
                continue
            found = new[anchor.position.start : anchor.position.end]
            if anchor.method == "fuzzy":
                if anchor is together[key]:
                    assert not anchor.moves  # a candidate with other words, widened to whole words
                else:
                    assert quote.exact not in new
                    assert _edit_distance(found, quote.exact) <= max(1, len(quote.exact) // 4)
            elif anchor.method == "normalised":
                assert same_wording(found, quote.exact)
            else:
                assert found == quote.exact


# --- segments and paragraphs --------------------------------------------------------


@pytest.mark.parametrize(
    "length, spans, expected",
    [
        (5, [], [(0, 5, ())]),
        (0, [], []),
        (10, [(0, 10, "a")], [(0, 10, ("a",))]),
        (
            10,
            [(2, 8, "outer"), (4, 6, "inner")],
            [(0, 2, ()), (2, 4, ("outer",)), (4, 6, ("outer", "inner")), (6, 8, ("outer",)), (8, 10, ())],
        ),
        (
            10,
            [(5, 9, "b"), (1, 6, "a")],
            [(0, 1, ()), (1, 5, ("a",)), (5, 6, ("a", "b")), (6, 9, ("b",)), (9, 10, ())],
        ),
        (10, [(0, 4, "a"), (4, 8, "b")], [(0, 4, ("a",)), (4, 8, ("b",)), (8, 10, ())]),
        (10, [(2, 4, "z"), (2, 4, "a")], [(0, 2, ()), (2, 4, ("a", "z")), (4, 10, ())]),
        (
            10,
            [(2, 4, "short"), (2, 8, "long")],
            [(0, 2, ()), (2, 4, ("long", "short")), (4, 8, ("long",)), (8, 10, ())],
        ),
        (10, [(0, 4, "a"), (4, 8, "a")], [(0, 8, ("a",)), (8, 10, ())]),
        (10, [(1, 3, 2), (1, 3, "x")], [(0, 1, ()), (1, 3, (2, "x")), (3, 10, ())]),
    ],
    ids=[
        "no-spans",
        "empty-text",
        "whole-text",
        "nested",
        "overlapping",
        "sharing-a-boundary",
        "same-range-by-key",
        "same-start-longer-first",
        "same-key-merged",
        "keys-that-do-not-compare",
    ],
)
def test_it_cuts_a_text_into_segments_for_overlapping_spans(length, spans, expected):
    assert [(s.start, s.end, s.keys) for s in segments(length, spans)] == expected


@pytest.mark.parametrize(
    "spans",
    [[(3, 3, "a")], [(4, 2, "a")], [(-1, 2, "a")], [(5, 11, "a")]],
    ids=["empty", "reversed", "negative", "past-the-end"],
)
def test_it_rejects_a_span_that_does_not_fit(spans):
    with pytest.raises(AnchorError, match="does not fit in a text of 10 characters"):
        segments(10, spans)


@st.composite
def spans_over_a_text(draw):
    text = draw(st.text(ALPHABET, min_size=1, max_size=120))
    spans = []
    for key in range(draw(st.integers(0, 25))):
        start = draw(st.integers(0, len(text) - 1))
        spans.append((start, draw(st.integers(start + 1, len(text))), key))
    return text, spans


@PROPERTIES
@given(spans_over_a_text())
def test_segments_cover_the_text_exactly_with_the_spans_over_each(case):
    text, spans = case
    result = segments(len(text), spans)
    assert "".join(text[s.start : s.end] for s in result) == text
    assert [s.start for s in result[1:]] == [s.end for s in result[:-1]]
    assert result[0].start == 0 and result[-1].end == len(text)
    for segment in result:
        assert segment.start < segment.end
        covering = sorted((s, -e, k) for s, e, k in spans if s <= segment.start and segment.end <= e)
        assert segment.keys == tuple(k for _, _, k in covering)
        assert not any(
            s < segment.end and segment.start < e and not (s <= segment.start and segment.end <= e)
            for s, e, _ in spans
        )
    assert all(a.keys != b.keys for a, b in zip(result, result[1:]))


@pytest.mark.parametrize(
    "body, expected",
    [
        ("One paragraph.", ["One paragraph."]),
        ("First.\n\nSecond.", ["First.", "Second."]),
        ("First.\nstill first.\n\n\n\nSecond.", ["First.\nstill first.", "Second."]),
        ("First.\n  \t\nSecond.", ["First.", "Second."]),
        ("First.\r\n\r\nSecond.\r\n", ["First.", "Second."]),
        ("\n\n  Indented.  \n\n\n", ["Indented."]),
        (f"{EMOJI} one.\n\ncaf{E_ACUTE}.", [f"{EMOJI} one.", f"caf{E_ACUTE}."]),
        ("", []),
        ("\n\n \n", []),
    ],
    ids=[
        "one",
        "two",
        "several-blank-lines",
        "blank-line-with-spaces",
        "crlf",
        "surrounding-whitespace",
        "astral-and-combining",
        "empty",
        "blank-only",
    ],
)
def test_it_finds_paragraphs_between_blank_lines(body, expected):
    found = paragraphs(body)
    assert [body[p.start : p.end] for p in found] == expected


def test_it_splits_segments_paragraph_by_paragraph():
    body = "Alpha beta.\n\nGamma delta."
    parts = paragraphs(body)
    pieces = segments(len(body), [(6, 18, "x"), (14, 19, "y")])
    assert [(p.start, [(s.start, s.end, s.keys) for s in ss]) for p, ss in split_by(pieces, parts)] == [
        (0, [(0, 6, ()), (6, 11, ("x",))]),
        (13, [(13, 14, ("x",)), (14, 18, ("x", "y")), (18, 19, ("y",)), (19, 25, ())]),
    ]


def test_segments_and_anchors_are_values():
    assert Segment(0, 2, ("a",)) == Segment(0, 2, ("a",))
    with pytest.raises(AttributeError):
        Position(0, 1).start = 3
    with pytest.raises(AnchorError):
        Position(2, 2)
    with pytest.raises(AnchorError):
        Anchor(Position(0, 1), "guess")
