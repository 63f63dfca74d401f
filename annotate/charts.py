"""Bar charts as data: one `Chart` gives the SVG geometry, the table and the CSV rows.

Pure Python, no Django. The SVG is drawn by a template (`annotate/_chart.html`) from
`Chart.svg()`; the table view and the CSV come from `Chart.rows()`. All three read the
same formatted strings (`Chart.fmt`), so the numbers drawn, tabulated and downloaded
cannot differ: each bar carries its value as `data-value`, the string its table cell shows.

Why not pygal: it writes a <style> and a <script> element into every SVG and takes its
colours from that stylesheet; the strict CSP (no inline style or script) blocks both.
Here colours are `fill` attributes and everything else is in the app's stylesheet.

>>> chart = Chart("demo", "Claims", "Claims per week", "Week", "Claims", ["W1", "W2"],
...               [Series("n", "Claims", "#0969da")], [[3], [None]])
>>> chart.rows()
[['W1', '3'], ['W2', '']]
>>> [bar.value for bar in chart.svg().bars]
['3']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 28, 92
MAX_X_LABELS = 16
LABEL_CHARS = 20

# Series that are not ratings: colour-blind-safe and distinct from the default scale's greens and reds.
PALETTE = ("#0969da", "#8250df", "#bf3989", "#1b7c83", "#6e7781")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    category: str
    series: str
    value: str  # exactly what the table shows


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    rotate: float = 0.0
    column: str = ""  # the table column a drawn number belongs to
    category: str = ""


@dataclass(frozen=True)
class Svg:
    width: int
    height: int
    bars: list[Bar]
    grid: list[tuple[float, str]]  # (y, tick label)
    x_labels: list[Text]
    notes: list[Text]
    zero_y: float
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    x_axis_label: Text
    y_axis_label: Text
    empty: bool


def nice_step(span: float, ticks: int = 5, integer: bool = False) -> float:
    """A 1, 2 or 5 × 10^k step giving about `ticks` intervals over `span`.

    >>> nice_step(47), nice_step(0.8), nice_step(3, integer=True)
    (10, 0.2, 1)
    """
    raw = span / ticks if span > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            step = factor * magnitude
            break
    if integer:
        step = max(1, round(step))
    return round(step, 10) if not isinstance(step, int) else step


@dataclass
class Chart:
    slug: str
    title: str
    description: str  # what the chart counts and how the filters apply
    x_label: str
    y_label: str
    categories: list[str]
    series: list[Series]
    values: list[list[float | int | None]]  # values[category][series]
    decimals: int = 0
    bar_colours: list[str] | None = None  # one colour per category (a single series coloured by rating)
    extra: list[tuple[str, list]] = field(default_factory=list)  # more table columns, drawn above the bars
    y_min: float | None = None
    y_max: float | None = None
    empty_text: str = "Nothing in this range."

    def fmt(self, value) -> str:
        if value is None:
            return ""
        if self.decimals == 0:
            return str(int(round(value)))
        return f"{value:.{self.decimals}f}"

    def header(self) -> list[str]:
        return [self.x_label] + [s.label for s in self.series] + [label for label, _ in self.extra]

    def rows(self) -> list[list[str]]:
        out = []
        for i, category in enumerate(self.categories):
            row = [category] + [self.fmt(v) for v in self.values[i]]
            row += ["" if column[i] is None else str(column[i]) for _, column in self.extra]
            out.append(row)
        return out

    def is_empty(self) -> bool:
        return not any(v for row in self.values for v in row if v is not None)

    def summary(self) -> str:
        """The text alternative: what is drawn, over which categories, and each series' total and peak."""
        if not self.categories or self.is_empty():
            return f"{self.title}: {self.empty_text}"
        span = self.categories[0] if len(self.categories) == 1 else f"{self.categories[0]} to {self.categories[-1]}"
        parts = [f"{self.title}, {len(self.categories)} {self.x_label.lower()} value(s), {span}."]
        for j, s in enumerate(self.series):
            column = [(row[j], self.categories[i]) for i, row in enumerate(self.values) if row[j] is not None]
            if not column:
                parts.append(f"{s.label}: no value.")
                continue
            peak, where = max(column, key=lambda pair: pair[0])
            if self.decimals == 0:
                parts.append(f"{s.label}: {self.fmt(sum(v for v, _ in column))} in all, highest {self.fmt(peak)} ({where}).")
            else:
                parts.append(f"{s.label}: highest {self.fmt(peak)} ({where}), lowest {self.fmt(min(v for v, _ in column))}.")
        parts.append("The table below the chart lists every value.")
        return " ".join(parts)

    def _domain(self) -> tuple[float, float, float]:
        numbers = [v for row in self.values for v in row if v is not None]
        lo = min([0.0, *numbers] + ([self.y_min] if self.y_min is not None else []))
        hi = max([0.0, *numbers] + ([self.y_max] if self.y_max is not None else []))
        if hi == lo:
            hi = lo + 1
        step = nice_step(hi - lo, integer=self.decimals == 0)
        return math.floor(lo / step) * step, math.ceil(hi / step) * step, step

    def svg(self) -> Svg:
        left, top, right, bottom = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM
        lo, hi, step = self._domain()

        def y_of(v):
            return top + (hi - v) / (hi - lo) * (bottom - top)

        grid = []
        tick = lo
        while tick <= hi + step / 1000:
            label = self.fmt(tick) if self.decimals else str(int(round(tick)))
            grid.append((round(y_of(tick), 1), label))
            tick += step
        n = max(1, len(self.categories))
        group = (right - left) / n
        per_bar = group * 0.8 / max(1, len(self.series))
        zero = y_of(0)
        bars, notes, labels = [], [], []
        every = math.ceil(n / MAX_X_LABELS)
        for i, category in enumerate(self.categories):
            x0 = left + i * group + group * 0.1
            for j, s in enumerate(self.series):
                v = self.values[i][j]
                if v is None:
                    continue
                y = y_of(v)
                fill = self.bar_colours[i] if self.bar_colours else s.colour
                bars.append(Bar(round(x0 + j * per_bar, 1), round(min(y, zero), 1), round(max(per_bar - 1, 1), 1),
                                round(abs(zero - y), 1), fill, category, s.label, self.fmt(v)))
            center = round(left + (i + 0.5) * group, 1)
            for label, column in self.extra:
                if column[i] is not None:
                    peak = max((v for v in self.values[i] if v is not None), default=0)
                    notes.append(Text(center, round(min(y_of(max(peak, 0)), zero) - 4, 1), f"{column[i]}",
                                      column=label, category=category))
            if i % every == 0:
                short = category if len(category) <= LABEL_CHARS else category[: LABEL_CHARS - 1] + "…"
                labels.append(Text(center, bottom + 14, short, anchor="end", rotate=-35))
        return Svg(
            WIDTH, HEIGHT, bars, grid, labels, notes, round(zero, 1), (left, top, right, bottom),
            Text((left + right) / 2, HEIGHT - 6, self.x_label),
            Text(16, (top + bottom) / 2, self.y_label, rotate=-90),
            empty=not self.categories or self.is_empty(),
        )
