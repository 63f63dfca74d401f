"""Excerpt verification (annotate/verify.py): exact, folded, fuzzy; offsets into the original text. No database."""

import doctest

import pytest

from annotate import verify
from annotate.verify import CLOSE, FOUND, NO_EXCERPT, NOT_FOUND

PAGE = (
    "The audit office said the barrier cost 41 million euros, four million more than planned.\n\n"
    "Work finished in 2023, three years after the date first announced by the council’s “flagship” plan.\n\n"
    "Engineers said the flood-\nprotection gates had closed nine times during the first winter."
)


def test_the_doctests_hold():
    assert doctest.testmod(verify).failed == 0


@pytest.mark.parametrize(
    ("excerpt", "state", "passage"),
    [
        pytest.param("the barrier cost 41 million euros", FOUND, "the barrier cost 41 million euros", id="exact"),
        pytest.param("the   barrier cost\n41 million euros", FOUND, "the barrier cost 41 million euros", id="whitespace"),
        pytest.param("THE BARRIER COST 41 MILLION EUROS", FOUND, "the barrier cost 41 million euros", id="case"),
        pytest.param("the council's \"flagship\" plan", FOUND, "the council’s “flagship” plan", id="straight-quotes-vs-curly"),
        pytest.param("the flood-protection gates", FOUND, "the flood-\nprotection gates", id="hyphenation-at-line-break"),
        pytest.param("the flood\u00adprotection gates", FOUND, "the flood-\nprotection gates", id="soft-hyphen-in-the-excerpt"),
        pytest.param("in 2023 \u2013 three years after the date", CLOSE, "in 2023, three years after the date", id="dash-where-the-page-has-a-comma"),
        pytest.param("the barrier cost 14 million euros", CLOSE, "the barrier cost 41 million euros", id="digits-swapped"),
        pytest.param("the gates had closed ten times during the first winter", CLOSE, "gates had closed nine times during the first winter", id="word-changed"),
        pytest.param("ferries will be free for pensioners from May", NOT_FOUND, "", id="absent"),
        pytest.param("41 euros", NOT_FOUND, "", id="too-short-for-fuzzy"),
        pytest.param("   ", NO_EXCERPT, "", id="empty"),
    ],
)
def test_an_excerpt_is_found_close_or_not_found(excerpt, state, passage):
    match = verify.verify(excerpt, PAGE)
    assert match.state == state, match
    if state in (FOUND, CLOSE):
        # The offsets point into the original page text: what the snapshot view highlights.
        assert PAGE[match.start : match.end] == match.passage
        assert passage in match.passage or match.passage in passage


def test_a_soft_hyphen_in_the_page_is_ignored():
    page = "Engineers said the flood\u00adprotection gates closed."
    match = verify.verify("the floodprotection gates closed", page)
    assert (match.state, match.passage) == (FOUND, "the flood\u00adprotection gates closed")


def test_a_close_match_reports_its_difference_word_by_word():
    match = verify.verify("the barrier cost 14 million euros", PAGE)
    assert verify.difference("the barrier cost 14 million euros", match.passage) == [
        ("same", "the barrier cost"), ("excerpt", "14"), ("page", "41"), ("same", "million euros"),
    ]


def test_nothing_is_found_in_an_empty_snapshot():
    assert verify.verify("the barrier cost 41 million euros", "").state == NOT_FOUND
