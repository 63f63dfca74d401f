"""Small statistics and formatting helpers shared by the benchmark modules."""

from __future__ import annotations

import math
import statistics


def percentile(values, p):
    """Nearest-rank percentile: the value below which p % of the samples fall.

    >>> percentile([1, 2, 3, 4], 50), percentile(list(range(1, 101)), 99)
    (2, 99)
    """
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values):
    return statistics.median(values) if values else math.nan


def ms(seconds):
    """Seconds as a short millisecond figure.

    >>> ms(0.01234), ms(1.5), ms(0.00031)
    ('12.3 ms', '1500 ms', '0.31 ms')
    """
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    value = seconds * 1000
    if value >= 100:
        return f"{value:.0f} ms"
    if value >= 1:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def mb(kilobytes):
    return "–" if kilobytes is None else f"{kilobytes / 1024:.0f} MB"
