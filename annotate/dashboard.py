"""The dashboard's charts: which numbers (annotate.stats) each draws, with its title,
axis labels and colours. One entry per chart in CHARTS, keyed by the slug its CSV URL uses.

Editors and admins see every chart; a reviewer sees only their own row of the
workload chart (`Context.editor` False, `Context.user` set).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from annotate import dashboard_totals, stats
from annotate.charts import PALETTE, Chart, Series

HOUR = 3600.0


@dataclass(frozen=True)
class Context:
    project: object
    filters: stats.Filters
    ratings: list  # the project's scale, in order
    user: object
    editor: bool
    now: dt.datetime
    # What one build has read already: the five charts drawn from the partial totals share one query.
    memo: dict = field(default_factory=dict, compare=False, repr=False)


def totals(ctx: Context) -> dashboard_totals.Numbers:
    if "totals" not in ctx.memo:
        ctx.memo["totals"] = dashboard_totals.read(ctx.project.pk, ctx.filters, ctx.ratings, stats.TOP)
    return ctx.memo["totals"]


def _week(day: dt.date) -> str:
    return day.isoformat()


def _month(day: dt.date) -> str:
    return day.strftime("%Y-%m")


def activity(ctx: Context) -> Chart:
    counts = totals(ctx).activity
    weeks = ctx.filters.weeks()
    keys = (("created", "Claims created"), ("verdicts", "Verdicts given"), ("published", "Fact-checks published"))
    return Chart(
        "activity",
        "Claims, verdicts and fact-checks per week",
        "Claims created, reviewers' verdicts given and fact-checks published in each week (weeks start on Monday, UTC).",
        "Week of",
        "Count",
        [_week(w) for w in weeks],
        [Series(key, label, PALETTE[i]) for i, (key, label) in enumerate(keys)],
        [[counts[key].get(w, 0) for key, _ in keys] for w in weeks],
    )


def by_rating(ctx: Context) -> Chart:
    counts = totals(ctx).by_rating
    return Chart(
        "ratings",
        "Published fact-checks by final rating",
        "Fact-checks published in the range, by the final rating the editor settled.",
        "Final rating",
        "Fact-checks",
        [r.label for r in ctx.ratings],
        [Series("published", "Fact-checks published", PALETTE[0])],
        [[counts.get(r.pk, 0)] for r in ctx.ratings],
        bar_colours=[r.colour for r in ctx.ratings],
    )


def time_to_publish(ctx: Context) -> Chart:
    spreads = dashboard_totals.time_to_publish(ctx.project.pk, ctx.filters, totals(ctx))
    weeks = ctx.filters.weeks()
    rows = [spreads.get(w) for w in weeks]
    return Chart(
        "time-to-publish",
        "Time from claim to published fact-check",
        "Hours from a claim's creation to its publication: median and 90th percentile (nearest rank) "
        "of the fact-checks published in each week.",
        "Week of",
        "Hours",
        [_week(w) for w in weeks],
        [Series("median", "Median (hours)", PALETTE[0]), Series("p90", "90th percentile (hours)", PALETTE[1])],
        [[None, None] if s is None else [s.median / HOUR, s.p90 / HOUR] for s in rows],
        decimals=1,
        extra=[("Fact-checks", [None if s is None else s.count for s in rows])],
    )


def agreement(ctx: Context) -> Chart:
    months = totals(ctx).agreement
    keys = ctx.filters.months()
    rows = [months.get(m) for m in keys]
    return Chart(
        "agreement",
        "Agreement between reviewers per month",
        "Krippendorff's alpha (ordinal) of the claims created in each month that have at least two verdicts "
        "with a rating on the scale (Unverifiable is left out); the number above each bar is how many claims it rests on. "
        "1 is full agreement, 0 what chance would give.",
        "Month",
        "Alpha",
        [_month(m) for m in keys],
        [Series("alpha", "Krippendorff's alpha", PALETTE[3])],
        [[None if r is None else r.alpha] for r in rows],
        decimals=2,
        extra=[("Claims", [None if r is None else r.claims for r in rows])],
        y_max=1.0,
    )


def workload(ctx: Context) -> Chart:
    rows = stats.workload(ctx.project, ctx.filters, ctx.now, only_user=None if ctx.editor else ctx.user)
    return Chart(
        "workload",
        "Open assignments and verdicts this week" if ctx.editor else "Your open assignments and verdicts this week",
        "Claims assigned and not yet settled (the article filter applies), and verdicts given since Monday 00:00 UTC "
        "(within the date range).",
        "Member",
        "Claims",
        [r.username for r in rows],
        [Series("open", "Open assignments", PALETTE[0]), Series("week", "Verdicts this week", PALETTE[1])],
        [[r.open_assignments, r.verdicts_this_week] for r in rows],
        empty_text="No open assignment and no verdict this week.",
    )


def _false_side_chart(slug, title, axis, rows, ctx):
    worst = min((r for r in ctx.ratings if r.value is not None), key=lambda r: r.value, default=None)
    labels = ", ".join(r.label for r in ctx.ratings if r.pk in set(stats.false_side(ctx.ratings))) or "none"
    return Chart(
        slug,
        title,
        f"Settled claims (final rating {labels}) by the date their final verdict was settled; the {stats.TOP} with the most.",
        axis,
        "Claims",
        [name for name, _ in rows],
        [Series("false", "Claims on the false side", worst.colour if worst else PALETTE[2])],
        [[n] for _, n in rows],
        empty_text="No settled claim on the false side of the scale in this range.",
    )


def claimants(ctx: Context) -> Chart:
    rows = totals(ctx).claimants
    return _false_side_chart("claimants", "Claimants with the most claims on the false side", "Claimant", rows, ctx)


def outlets(ctx: Context) -> Chart:
    rows = totals(ctx).outlets
    return _false_side_chart("outlets", "Outlets with the most claims on the false side", "Outlet", rows, ctx)


# slug -> (builder, shown to reviewers too). Order is the page's order.
CHARTS = {
    "activity": (activity, False),
    "ratings": (by_rating, False),
    "time-to-publish": (time_to_publish, False),
    "agreement": (agreement, False),
    "workload": (workload, True),
    "claimants": (claimants, False),
    "outlets": (outlets, False),
}


def visible(editor: bool) -> list[str]:
    return [slug for slug, (_, for_reviewers) in CHARTS.items() if editor or for_reviewers]


def build(ctx: Context, slugs=None) -> list[Chart]:
    """The charts, after the project's stale days are recomputed (three statements, whatever
    the project's size); the totals behind five of them are read in one more."""
    dashboard_totals.refresh(ctx.project.pk)
    return [CHARTS[slug][0](ctx) for slug in (slugs or visible(ctx.editor))]
