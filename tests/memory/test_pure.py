"""Desk memory's pure parts: numbers, negation, claimant names, language, scores with reasons, search syntax."""

import pytest

from annotate.memory import matching
from annotate.memory.claimants import normalise_claimant
from annotate.memory.language import detect_language, ts_config
from annotate.memory.search import parse, snippet


@pytest.mark.parametrize(
    "a, b",
    [
        ("403,000 people lost their jobs", "403 thousand people lost their jobs"),
        ("1.3 per thousand births", "0.13 percent of births"),
        ("$50 million was spent", "50,000,000 dollars was spent"),
        ("20 percent of children", "one in five children"),
        ("half of all teachers", "50 percent of all teachers"),
    ],
)
def test_numbers_said_differently_normalise_to_the_same_values(a, b):
    assert matching.numbers(a) == matching.numbers(b)
    assert matching.numbers(a)


def test_other_figures_are_other_numbers():
    assert matching.numbers("41 million euros") != matching.numbers("65 million euros")


@pytest.mark.parametrize("text, negated", [
    ("The barrier cost 41 million euros.", False),
    ("The barrier did not cost 41 million euros.", True),
    ("The barrier never cost that much.", True),
    ("It isn't true that the barrier cost 41 million.", True),
    ("No, it is not the case that nothing was spent.", True),  # three negations: still negated
])
def test_negation_by_parity(text, negated):
    assert matching.negated(text) is negated


@pytest.mark.parametrize("name, key", [
    ("  Dr.  Jane   DOE, MP ", "jane doe"),
    ("Mayor José Álvarez", "jose alvarez"),
    ("jose alvarez", "jose alvarez"),
    ("Former Prime Minister Ann Berg", "ann berg"),
    ("The President", "president"),  # a title alone stays
    ("", ""),
])
def test_claimant_names_normalise(name, key):
    assert normalise_claimant(name) == key


def test_language_is_detected_and_mapped_to_a_text_search_configuration():
    assert detect_language("The council said the barrier cost 41 million euros and protects 12,000 homes.") == "en"
    assert detect_language("Le conseil municipal a déclaré que la digue avait coûté 41 millions d'euros.") == "fr"
    assert detect_language("12 345 !!") == ""
    assert ts_config("fr") == "french"
    assert ts_config("xx") == ts_config("") == "simple"


def _scored(new, old, claimant_new="", claimant_old=""):
    tri, overlap = matching.text_signals(new, old)
    return matching.score(new, claimant_new, matching.Candidate(1, old, claimant_old, tri, overlap))


def test_a_rewording_scores_above_the_same_sentence_with_another_figure_or_negated():
    earlier = "The new tidal barrier cost 41 million euros."
    reworded = _scored("Building the tidal barrier came to 41 million euros.", earlier)
    figure = _scored("The new tidal barrier cost 65 million euros.", earlier)
    negated = _scored("The new tidal barrier did not cost 41 million euros.", earlier)
    assert reworded.score > figure.score and reworded.score > negated.score
    assert "same numbers: 41 million" in reworded.reasons
    assert any(r.startswith("different numbers: 65 million here, 41 million there") for r in figure.reasons)
    assert "one of them is negated" in negated.reasons
    assert reworded.reasons[0].startswith("word trigrams") and reworded.reasons[1].startswith("full-text match")


def test_the_same_claimant_adds_to_the_score_and_says_so():
    plain = _scored("Crime fell by a sixth.", "Crime dropped by a sixth.")
    same = _scored("Crime fell by a sixth.", "Crime dropped by a sixth.", "ann berg", "ann berg")
    assert same.score > plain.score and "same claimant" in same.reasons


def test_rank_keeps_the_threshold_and_orders_best_first():
    cands = [matching.Candidate(i, t, "", tri, ft) for i, t, tri, ft in [(1, "a", 0.9, 0.9), (2, "b", 0.2, 0.1), (3, "c", 0.95, 0.95)]]
    ranked = matching.rank("x", "", cands, threshold=0.5)
    assert [s.candidate.id for s in ranked] == [3, 1]


def test_web_search_syntax_is_parsed():
    parsed = parse('"tidal barrier" cost -euros OR homes')
    assert parsed.groups == [(["tidal barrier", "cost"], ["euros"]), (["homes"], [])]


def test_snippets_escape_text_and_mark_terms():
    html = snippet("The <script>alert(1)</script> barrier cost a lot", ["barrier"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>barrier</mark>" in html


@pytest.mark.django_db
def test_saving_a_claim_anywhere_keeps_its_claimant_key(cast):
    from tests.conftest import make_claim

    claim = make_claim(cast.article, "41 million euros", cast.alice, claimant="Mayor Ann  Berg")
    assert claim.claimant_key == "ann berg"
    claim.claimant = "Dr. Ines Vogel"  # as the admin's form does
    claim.save()
    claim.refresh_from_db()
    assert claim.claimant_key == "ines vogel"


def test_candidates_that_cannot_reach_the_threshold_are_left_out_without_changing_the_ranking():
    from tests.memory.pairs import ROWS, pairs

    for i, text, _kind, _match in pairs():
        pool = [matching.Candidate(j, row[0], normalise_claimant(row[1]), *matching.text_signals(text, row[0])) for j, row in enumerate(ROWS)]
        key = normalise_claimant(ROWS[i][1])
        for threshold in (0.0, 0.45, 0.6, 0.8):
            everything = sorted((matching.score(text, key, c) for c in pool), key=lambda s: (-s.score, s.candidate.id))
            assert matching.rank(text, key, pool, threshold=threshold, limit=99) == [s for s in everything if s.score >= threshold]
    # And the bound is tight enough to matter: most of a random pool is never scored.
    assert not matching.can_reach(matching.Candidate(1, "x", "", 0.3, 0.2), 0.6)
