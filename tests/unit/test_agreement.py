"""Krippendorff's alpha against published reference values; no database."""

import doctest

import pytest

from annotate import agreement
from annotate.agreement import Agreement, alpha, pairable_units

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# 4 coders (columns A–D) × 12 units (rows), with missing values. Published results:
# nominal .743, ordinal .815, interval .849 (ratio .797, not implemented here).
KRIPPENDORFF_2011 = [
    [1, 1, None, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [None, 5, 5, 5],
    [None, None, 1, 1],
    [None, 3, None, None],
]

# Wikipedia, "Krippendorff's alpha", computational example: 3 coders × 15 units
# (given there as coders × units; transposed here). Nominal alpha = 0.691,
# interval 0.811 (the fast-krippendorff package pins 0.691358 and 0.810845).
_WIKIPEDIA_BY_CODER = [
    [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
    [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
    [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
]
WIKIPEDIA = [list(unit) for unit in zip(*_WIKIPEDIA_BY_CODER)]


@pytest.mark.parametrize(
    ("table", "metric", "expected", "places"),
    [
        (KRIPPENDORFF_2011, "nominal", 0.743, 3),
        (KRIPPENDORFF_2011, "ordinal", 0.815, 3),
        (KRIPPENDORFF_2011, "interval", 0.849, 3),
        (WIKIPEDIA, "nominal", 0.691358, 6),
        (WIKIPEDIA, "interval", 0.810845, 6),
    ],
)
def test_it_reproduces_the_published_reference_values(table, metric, expected, places):
    assert round(alpha(table, metric=metric), places) == expected


@pytest.mark.parametrize(
    ("table", "units"),
    [
        (KRIPPENDORFF_2011, 11),  # the last unit has one value only
        (WIKIPEDIA, 12),  # units 1, 2 and 14 have fewer than two values
        ([], 0),
        ([[None, None], [1, None]], 0),
        ([[1, 2], [3, 3, 3], [None, 4, 4]], 3),
    ],
)
def test_it_counts_the_pairable_units(table, units):
    assert pairable_units(table) == units


def test_a_unit_with_one_value_does_not_change_alpha():
    without = [row for row in KRIPPENDORFF_2011 if sum(v is not None for v in row) >= 2]
    assert alpha(without) == alpha(KRIPPENDORFF_2011)


def test_the_order_of_coders_within_a_unit_does_not_matter():
    shuffled = [list(reversed(row)) for row in KRIPPENDORFF_2011]
    assert alpha(shuffled) == pytest.approx(alpha(KRIPPENDORFF_2011))


@pytest.mark.parametrize("metric", agreement.METRICS)
def test_perfect_agreement_with_variation_is_one(metric):
    assert alpha([[1, 1, 1], [2, 2, None], [5, 5, 5]], metric=metric) == 1.0


@pytest.mark.parametrize(
    "table",
    [
        [],  # no data
        [[1, None], [None, 2]],  # nobody rated the same unit
        [[3, 3], [3, 3, 3]],  # no variation: expected disagreement is zero
    ],
)
def test_it_is_undefined_without_pairable_values_or_variation(table):
    assert alpha(table) is None


def test_systematic_disagreement_goes_below_zero():
    assert alpha([[1, 5], [5, 1], [1, 5], [5, 1]]) < 0


def test_ordinal_distances_depend_on_how_often_values_are_used():
    # Same ranks, different spacing: interval alpha changes, ordinal alpha does not.
    table = [[1, 2], [2, 2], [3, 3], [1, 1], [3, 2]]
    stretched = [[{1: 1, 2: 2, 3: 9}[v] for v in row] for row in table]
    assert alpha(table, "ordinal") == pytest.approx(alpha(stretched, "ordinal"))
    assert alpha(table, "interval") != pytest.approx(alpha(stretched, "interval"))


def test_nominal_takes_any_labels():
    assert alpha([["yes", "yes"], ["no", "no"], ["yes", "no"]], metric="nominal") == pytest.approx(
        alpha([[1, 1], [0, 0], [1, 0]], metric="nominal")
    )


def test_it_refuses_an_unknown_metric():
    with pytest.raises(ValueError, match="Unknown metric"):
        alpha([[1, 2]], metric="ratio")


@pytest.mark.parametrize(
    ("table", "enough"),
    [
        (KRIPPENDORFF_2011, True),
        ([[1, 2], [None, 3]], False),  # one pairable unit
        ([[2, 2], [2, 2]], False),  # two units but alpha undefined
    ],
)
def test_agreement_says_whether_there_is_enough_data(table, enough):
    result = agreement.agreement(table)
    assert isinstance(result, Agreement)
    assert result.units == pairable_units(table)
    assert result.enough_data is enough


def test_the_docstring_examples_hold():
    failures, tried = doctest.testmod(agreement)
    assert tried > 0 and failures == 0
