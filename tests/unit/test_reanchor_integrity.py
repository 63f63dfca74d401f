"""Re-anchoring never changes a claim's words (issue 18, item 1). No database.

Each row is a revision that once moved a span onto other words (or onto another
sentence) without telling anyone. Now a span moves only onto text equal to its
quote; anything else is a candidate ("fuzzy": other words, "elsewhere": the same
words in another sentence that was already in the text) or an orphan.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.anchoring import Position, reanchor_all, select
from annotate.wording import describe_change, same_wording

PROPERTIES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])

OLD = (
    "Budget day in Harbour city\n\n"
    "The minister said tax will fall by 40 percent next year.\n\n"
    "The council will build 500 new homes on the old docks.\n\n"
    "Inflation rose by 1.3 percent in March, the bank said.\n\n"
    "The mayor will attend the opening, said Anna Smith.\n\n"
    "Critics say the barrier ran three years late."
)


def _span(body, quote, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(quote, start + 1)
    return Position(start, start + len(quote)), select(body, start, start + len(quote))


def _one(old, new, quote, occurrence=0):
    position, q = _span(old, quote, occurrence)
    return reanchor_all(old, new, [("k", position, q)])["k"]


CASES = [
    # (id, quote, edit, method, candidate text, kinds)
    ("40->14", "tax will fall by 40 percent", ("40 percent", "14 percent"), "fuzzy", "tax will fall by 14 percent", ("number",)),
    ("500->5,000", "500 new homes", ("500 new", "5,000 new"), "fuzzy", "5,000 new homes", ("number",)),
    ("1.3->13", "rose by 1.3 percent", ("1.3 percent", "13 percent"), "fuzzy", "rose by 13 percent", ("number",)),
    ("negation", "The mayor will attend the opening", ("will attend", "will not attend"), "fuzzy",
     "The mayor will not attend the opening", ("negation",)),
    ("name", "said Anna Smith", ("Anna Smith", "Anna Smyth"), "fuzzy", "said Anna Smyth", ("name",)),
    ("deleted-sentence", "tax will fall by 40 percent",
     ("The minister said tax will fall by 40 percent next year.\n\n", ""), None, None, None),
    # The claim's sentence went; a sentence further on already said the same words.
    ("deleted-sentence-duplicated-elsewhere", "three years late",
     ("Critics say the barrier ran three years late.", "Critics are quiet."), "elsewhere", "three years late", None),
    # Whitespace only: equal after the import's normalisation, so it moves.
    ("whitespace-only", "tax will fall by 40 percent", ("will fall", "will  fall"), "normalised", "tax will  fall by 40 percent", None),
    ("shifted-by-an-insert", "500 new homes", ("Budget day", "Update: budget day"), "exact", "500 new homes", None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_a_revision_moves_a_span_only_onto_its_own_words(case):
    _, quote, (before, after), method, candidate, kinds = case
    # The last sentence's words stand once more at the very end, for the "elsewhere" row.
    old = OLD + " Its critics say it ran three years late."
    new = old.replace(before, after, 1)
    assert new != old
    anchor = _one(old, new, quote)
    if method is None:
        assert anchor is None
        return
    assert anchor.method == method
    found = new[anchor.position.start : anchor.position.end]
    assert found == candidate
    if anchor.moves:
        assert same_wording(found, quote)
    else:
        assert not same_wording(found, quote) or method == "elsewhere"
    if kinds:
        assert describe_change(quote, found) == kinds


def test_a_sentence_duplicated_elsewhere_by_the_revision_leaves_the_span_in_its_own_place():
    old = OLD
    new = OLD + "\n\nRepeated: the minister said tax will fall by 40 percent next year."
    anchor = _one(old, new, "tax will fall by 40 percent")
    assert anchor.method == "exact" and anchor.position == _span(old, "tax will fall by 40 percent")[0]


def test_the_second_of_two_equal_sentences_stays_on_the_second_when_the_first_is_deleted():
    old = "A. The tax will fall by 40 percent.\n\nB. Later: The tax will fall by 40 percent."
    new = "A.\n\nB. Later: The tax will fall by 40 percent."
    # The first span's sentence went: the second sentence is not its own, so it is offered, not taken.
    first = _one(old, new, "The tax will fall by 40 percent", 0)
    second = _one(old, new, "The tax will fall by 40 percent", 1)
    assert first.method == "elsewhere" and not first.moves
    assert second.moves and new[second.position.start : second.position.end] == "The tax will fall by 40 percent"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("by 40 percent", "by 14 percent", ("number",)),
        ("the mayor denies it", "the mayor does not deny it", ("negation", "wording")),
        ("said Anna Smith", "said Jane Smith", ("name",)),
        ("prices rose sharply", "prices rose slightly", ("wording",)),
        ("500 new homes", "5,000 new homes", ("number",)),
    ],
)
def test_it_names_what_changed_between_a_quote_and_its_candidate(old, new, expected):
    assert describe_change(old, new) == expected


WORDS = ["tax", "will", "fall", "by", "40", "14", "not", "percent", "Smith", "homes", "500", "5,000", "1.3", "13", "the", "."]


@st.composite
def texts(draw):
    sentences = draw(st.lists(st.lists(st.sampled_from(WORDS), min_size=2, max_size=8), min_size=1, max_size=6))
    return "\n\n".join(" ".join(s) for s in sentences)


@st.composite
def revisions(draw):
    """An old text, spans in it, and a revision: sentences edited, deleted, duplicated or added."""
    old = draw(texts())
    sentences = old.split("\n\n")
    new = list(sentences)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["edit", "delete", "duplicate", "insert"]))
        i = draw(st.integers(0, len(new) - 1)) if new else 0
        if kind == "edit" and new:
            words = new[i].split(" ")
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
            new[i] = " ".join(words)
        elif kind == "delete" and len(new) > 1:
            del new[i]
        elif kind == "duplicate" and new:
            new.insert(draw(st.integers(0, len(new))), new[i])
        else:
            new.insert(i, draw(texts()))
    spans = []
    for key in range(draw(st.integers(1, 5))):
        start = draw(st.integers(0, len(old) - 1))
        end = draw(st.integers(start + 1, min(len(old), start + 40)))
        if not old[start:end].isspace():
            spans.append((key, Position(start, end), select(old, start, end)))
    return old, "\n\n".join(new), spans


@PROPERTIES
@given(revisions())
def test_a_moved_span_always_quotes_exactly_its_original_words(case):
    old, new, spans = case
    anchors = reanchor_all(old, new, spans)
    for key, _, quote in spans:
        anchor = anchors[key]
        if anchor is None:
            continue
        found = new[anchor.position.start : anchor.position.end]
        if anchor.moves:
            assert same_wording(found, quote.exact), (quote.exact, found, anchor)
            if anchor.method != "normalised":
                assert found == quote.exact
        else:
            assert anchor.method in ("fuzzy", "elsewhere")


def test_the_examples_in_the_docstrings_hold():
    import doctest

    from annotate import services, wording

    for module in (wording, services.integrity):
        failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert tried > 0 and failures == 0, module.__name__
