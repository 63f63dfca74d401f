"""Inter-reviewer agreement: Krippendorff's alpha over a units × coders table.

Pure Python, no Django. A *unit* is one claim; its row holds the value each coder
(reviewer) gave it, with ``None`` where a coder gave none or gave a rating outside
the order (Unverifiable). Only units with at least two values are *pairable*: the
others carry no information about agreement and are left out.

The computation follows Krippendorff, "Computing Krippendorff's Alpha-Reliability"
(2011): build the coincidence matrix of the values within units, then

    alpha = 1 - (n - 1) * sum(o_ck * d_ck) / sum(n_c * n_k * d_ck)

with ``d_ck`` the squared difference function of the metric (nominal, ordinal,
interval). 1 is perfect agreement, 0 what chance would give, below 0 systematic
disagreement.

>>> table = [
...     [1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3],
...     [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1],
...     [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, 3, None, None],
... ]
>>> round(alpha(table, metric="ordinal"), 3), pairable_units(table)
(0.815, 11)
"""

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Hashable, Iterable, Sequence

METRICS = ("nominal", "ordinal", "interval")

# Fewer pairable units than this and the queue says "not enough data": one unit
# alone gives alpha 0 or 1 whatever the reviewers' habits.
MIN_UNITS = 2


@dataclass(frozen=True)
class Agreement:
    """Alpha (None when undefined) and how many pairable units it rests on."""

    alpha: float | None
    units: int

    @property
    def enough_data(self) -> bool:
        return self.alpha is not None and self.units >= MIN_UNITS


def _pairable(units: Iterable[Sequence[Hashable | None]]) -> list[list[Hashable]]:
    rows = []
    for row in units:
        values = [v for v in row if v is not None]
        if len(values) >= 2:
            rows.append(values)
    return rows


def pairable_units(units: Iterable[Sequence[Hashable | None]]) -> int:
    """How many units have at least two values (the units alpha rests on).

    >>> pairable_units([[1, 2], [3, None], [None, None], [4, 4, 4]])
    2
    """
    return len(_pairable(units))


def _coincidences(rows: list[list[Hashable]]) -> Counter:
    """o_ck: each ordered pair of values within a unit, weighted 1 / (m_u - 1)."""
    o: Counter = Counter()
    for values in rows:
        weight = 1.0 / (len(values) - 1)
        for i, j in combinations(range(len(values)), 2):
            a, b = values[i], values[j]
            o[(a, b)] += weight
            o[(b, a)] += weight
    return o


def _distance(metric: str, n_c: dict):
    """The squared difference function d(c, k) of `metric`, given the value totals n_c."""
    if metric == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if metric == "interval":
        return lambda c, k: float(c - k) ** 2
    # Ordinal: the distance between two ranks counts the values coded between them,
    # so a rarely used step of the scale weighs less than a common one.
    order = sorted(n_c)
    cumulative = {}
    running = 0.0
    for value in order:
        cumulative[value] = running
        running += n_c[value]

    def ordinal(c, k):
        if c == k:
            return 0.0
        lo, hi = (c, k) if c < k else (k, c)
        # sum of n_g for lo <= g <= hi, minus half of n_lo and n_hi
        between = cumulative[hi] + n_c[hi] - cumulative[lo]
        return (between - (n_c[lo] + n_c[hi]) / 2.0) ** 2

    return ordinal


def alpha(units: Iterable[Sequence[Hashable | None]], metric: str = "ordinal") -> float | None:
    """Krippendorff's alpha of a units × coders table; ``None`` marks a missing value.

    Returns ``None`` when alpha is undefined: no pairable unit, or no variation at
    all (every value the same, so expected disagreement is zero). Ordinal and
    interval metrics need values that order (numbers); nominal takes any hashable.

    >>> alpha([[1, 1], [2, 2], [3, 3]])
    1.0
    >>> alpha([[1, 1], [1, 1]]) is None
    True
    """
    if metric not in METRICS:
        raise ValueError(f"Unknown metric {metric!r}; use one of {', '.join(METRICS)}.")
    rows = _pairable(units)
    if not rows:
        return None
    return alpha_from_coincidences(_coincidences(rows), metric)


def alpha_from_coincidences(o, metric: str = "ordinal") -> float | None:
    """Alpha from a coincidence matrix ``{(c, k): o_ck}`` already summed over the units.

    The dashboard lets the database build the matrix (one GROUP BY over the verdicts),
    so the verdicts themselves never reach Python; this is the last, tiny step.

    >>> alpha_from_coincidences({(1, 1): 2.0, (2, 2): 2.0, (3, 3): 2.0})
    1.0
    """
    if metric not in METRICS:
        raise ValueError(f"Unknown metric {metric!r}; use one of {', '.join(METRICS)}.")
    o = {key: float(count) for key, count in o.items() if count}
    if not o:
        return None
    n_c: dict = Counter()
    for (c, _k), count in o.items():
        n_c[c] += count
    n = sum(n_c.values())
    delta = _distance(metric, n_c)
    observed = sum(count * delta(c, k) for (c, k), count in o.items())
    values = list(n_c)
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in values for k in values)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def agreement(units: Iterable[Sequence[Hashable | None]], metric: str = "ordinal") -> Agreement:
    """Alpha together with the number of pairable units it rests on.

    >>> agreement([[1, 2], [2, 2], [3, None]], metric="interval").units
    2
    """
    units = list(units)
    return Agreement(alpha=alpha(units, metric), units=pairable_units(units))
