"""The dashboard's numbers from daily partial totals, kept exact after every write.

`annotate.stats` computes each chart from every claim and verdict of the range: about a
second of PostgreSQL work for 100,000 claims, paid by the first view after any write.
Here the same numbers come from `DashboardTotal` (annotate/models/dashboard.py): per
project, day (UTC) and article, how many claims were created, verdicts given, fact-checks
published (by final rating), claims settled (by final rating and claimant) and claims
with two or more verdicts (by the ratings they got, the `label` "rating id:count;…").
A chart sums a few hundred of those rows.

Exactness. Database triggers (migration 0011) record, in the writer's own transaction,
every day a changed claim or verdict counts on (old and new values). Before it reads,
the dashboard recomputes exactly those days from the claims and verdicts (`refresh`),
with the same rules as the full computation: a day's totals are always a from-scratch
count of that day, never a running sum that could drift. Settings read at view time (the
scale's values and so the false side and the agreement's missing values, publishers,
members, usernames) are not in the totals, so changing them needs no recomputation.

Concurrency. Writers only insert `DashboardDirty` rows (no unique key, no update), so
they never wait on each other or on the dashboard. A refresh deletes its project's
dirty rows and recomputes those days in one transaction; on PostgreSQL it holds a
transaction-scoped advisory lock per project, so two refreshes of the same day cannot
both insert it (the second waits, then sees the first's rows and replaces them). SQLite
writers are serialised by its IMMEDIATE transactions (config/settings.py).

Query count: the refresh is three statements whether or not a day is stale (the
recomputation's WHERE is then empty), and `read` is one statement for the activity,
rating, agreement, claimant and outlet charts together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver

from annotate import lifecycle, stats
from annotate.models import Claim, Project, Status, Verdict
from annotate.models.dashboard import DashboardDirty, DashboardTotal

UTC = dt.timezone.utc
Kind = DashboardTotal.Kind
TOTALS = DashboardTotal._meta.db_table
DIRTY = DashboardDirty._meta.db_table
CLAIMS = Claim._meta.db_table
VERDICTS = Verdict._meta.db_table
# An empty range: the recomputation's statements still run when nothing is stale.
NOTHING = [(dt.date(2000, 1, 1), dt.date(2000, 1, 1))]
NO_SPREAD = "CAST(NULL AS double precision), CAST(NULL AS double precision)"


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _day(column: str) -> str:
    """The UTC day of a timestamp column (Django keeps SQLite's timestamps as naive UTC text)."""
    return f"CAST(({column} AT TIME ZONE 'UTC') AS date)" if _pg() else f"date({column})"


def _week(column: str) -> str:
    """The Monday of a date column's ISO week."""
    if _pg():
        return f"CAST(date_trunc('week', {column}) AS date)"
    # The next Sunday (the day itself on a Sunday), then back six days.
    return f"date({column}, 'weekday 0', '-6 days')"


def _month(column: str) -> str:
    return f"CAST(date_trunc('month', {column}) AS date)" if _pg() else f"date({column}, 'start of month')"


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _instant(day: dt.date):
    return connection.ops.adapt_datetimefield_value(dt.datetime.combine(day, dt.time.min, tzinfo=UTC))


def _ranges(days) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as [start, end) runs of consecutive days."""
    out = []
    for day in sorted(set(days)):
        if out and out[-1][1] == day:
            out[-1] = (out[-1][0], day + dt.timedelta(days=1))
        else:
            out.append((day, day + dt.timedelta(days=1)))
    return out


def _within(column: str, ranges, params: list) -> str:
    parts = []
    for start, end in ranges:
        parts.append(f"({column} >= %s AND {column} < %s)")
        params.extend([_instant(start), _instant(end)])
    return "(" + " OR ".join(parts) + ")"


def _days_within(ranges, params: list) -> str:
    parts = []
    for start, end in ranges:
        parts.append("(day >= %s AND day < %s)")
        params.extend([connection.ops.adapt_datefield_value(start), connection.ops.adapt_datefield_value(end)])
    return "(" + " OR ".join(parts) + ")"


def _recompute_sql(project_id: int, ranges) -> tuple[str, list]:
    """One INSERT … SELECT of every kind of total for the days in `ranges`."""
    params: list = []
    settled = ", ".join("%s" for _ in lifecycle.SETTLED)
    label = (
        "string_agg(CAST(rating_id AS text) || ':' || CAST(k AS text), ';' ORDER BY rating_id)"
        if _pg()
        # SQLite's group_concat has no ORDER BY before 3.44: the same counts in another order
        # make another label, and `read` adds them up again once parsed.
        else "group_concat(CAST(rating_id AS TEXT) || ':' || CAST(k AS TEXT), ';')"
    )
    parts = []
    sql = (
        f"SELECT %s, %s, {_day('c.created_at')}, c.article_id, CAST(NULL AS bigint), '', COUNT(*), {NO_SPREAD} FROM {CLAIMS} c "
        f"WHERE c.project_id = %s AND {{}} GROUP BY {_day('c.created_at')}, c.article_id"
    )
    params += [project_id, Kind.CREATED, project_id]
    parts.append(sql.format(_within("c.created_at", ranges, params)))
    sql = (
        f"SELECT %s, %s, {_day('v.created_at')}, c.article_id, CAST(NULL AS bigint), '', COUNT(*), {NO_SPREAD} FROM {VERDICTS} v "
        f"JOIN {CLAIMS} c ON c.id = v.claim_id WHERE v.project_id = %s AND {{}} "
        f"GROUP BY {_day('v.created_at')}, c.article_id"
    )
    params += [project_id, Kind.VERDICTS, project_id]
    parts.append(sql.format(_within("v.created_at", ranges, params)))
    sql = (
        f"SELECT %s, %s, {_day('c.published_at')}, c.article_id, c.final_rating_id, '', COUNT(*), {NO_SPREAD} FROM {CLAIMS} c "
        f"WHERE c.project_id = %s AND c.status = %s AND {{}} "
        f"GROUP BY {_day('c.published_at')}, c.article_id, c.final_rating_id"
    )
    params += [project_id, Kind.PUBLISHED, project_id, Status.PUBLISHED]
    parts.append(sql.format(_within("c.published_at", ranges, params)))
    sql = (
        f"SELECT %s, %s, {_day('c.approved_at')}, c.article_id, c.final_rating_id, c.claimant, COUNT(*), {NO_SPREAD} "
        f"FROM {CLAIMS} c WHERE c.project_id = %s AND c.status IN ({settled}) AND {{}} "
        f"GROUP BY {_day('c.approved_at')}, c.article_id, c.final_rating_id, c.claimant"
    )
    params += [project_id, Kind.SETTLED, project_id, *lifecycle.SETTLED]
    parts.append(sql.format(_within("c.approved_at", ranges, params)))
    # Claims with two or more verdicts, by creation day and the ratings they got. Correlated
    # subqueries: each claim's verdicts through their index, whatever the planner guesses.
    sql = (
        f"SELECT %s, %s, day, article_id, CAST(NULL AS bigint), label, COUNT(*), {NO_SPREAD} FROM ("
        f"  SELECT {_day('c.created_at')} AS day, c.article_id, "
        f"    (SELECT {label} FROM (SELECT v.rating_id, COUNT(*) AS k FROM {VERDICTS} v WHERE v.claim_id = c.id "
        f"      GROUP BY v.rating_id) per_rating) AS label, "
        f"    (SELECT COUNT(*) FROM {VERDICTS} v WHERE v.claim_id = c.id) AS m "
        f"  FROM {CLAIMS} c WHERE c.project_id = %s AND {{}}"
        f") per_claim WHERE m >= 2 GROUP BY day, article_id, label"
    )
    params += [project_id, Kind.PROFILE, project_id]
    parts.append(sql.format(_within("c.created_at", ranges, params)))
    # Time to publish of each whole week a stale day is in, per article and for the project
    # (percentiles do not add up: the week is ranked again, by annotate.stats' own statement).
    weeks = _week_ranges(ranges)
    for by_article in (True, False):
        spread, spread_params = stats.spread_sql(project_id, _published_in(weeks), by_article=by_article)
        parts.append(f"SELECT %s, %s, {_date('week')}, article, CAST(NULL AS bigint), '', n, median, p90 "
                     f"FROM ({spread}) spread")
        params += [project_id, Kind.TTP, *spread_params]
    # Each kind per article, then for the whole project (article 0: what a view without the
    # article filter reads, a few rows a day), and the settled claims per article without
    # their claimants (the outlets chart).
    statement = (
        f"INSERT INTO {TOTALS} (project_id, kind, day, article_id, rating_id, label, n, median, p90) "
        f"WITH fresh (project_id, kind, day, article_id, rating_id, label, n, median, p90) AS "
        f"({' UNION ALL '.join(parts)}) "
        "SELECT project_id, kind, day, article_id, rating_id, label, n, median, p90 FROM fresh "
        f"UNION ALL SELECT project_id, kind, day, 0, rating_id, label, SUM(n), {NO_SPREAD} FROM fresh "
        "WHERE kind <> %s GROUP BY project_id, kind, day, rating_id, label "
        f"UNION ALL SELECT project_id, %s, day, article_id, rating_id, '', SUM(n), {NO_SPREAD} FROM fresh "
        "WHERE kind = %s GROUP BY project_id, day, article_id, rating_id"
    )
    return statement, [*params, Kind.TTP, Kind.OUTLET, Kind.SETTLED]


def _date(column: str) -> str:
    """A truncated timestamp as a date (SQLite's TruncWeek gives text with a time)."""
    return f"CAST({column} AS date)" if _pg() else f"date({column})"


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _week_ranges(ranges):
    """The whole weeks the ranges touch, as [monday, monday + 7k) runs."""
    days = set()
    for start, end in ranges:
        monday = _monday(start)
        while monday < end:
            days.add(monday)
            monday += dt.timedelta(days=7)
    out = []
    for monday in sorted(days):
        if out and out[-1][1] == monday:
            out[-1] = (out[-1][0], monday + dt.timedelta(days=7))
        else:
            out.append((monday, monday + dt.timedelta(days=7)))
    return out or NOTHING


def _published_in(ranges) -> Q:
    q = Q()
    for start, end in ranges:
        q |= Q(published_at__gte=_midnight(start), published_at__lt=_midnight(end))
    return q


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=UTC)


def refresh(project_id: int) -> int:
    """Recompute the project's stale days; returns how many there were. Three statements."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            lock = ""
            params: list = [project_id]
            if _pg():
                # Taken before the rows are deleted; released at commit.
                lock = "WITH lock AS (SELECT pg_advisory_xact_lock(hashtextextended('factmark-dashboard', %s))) "
                params = [project_id, project_id]
                where = "project_id = %s AND EXISTS (SELECT 1 FROM lock)"
            else:
                where = "project_id = %s"
            cursor.execute(f"{lock}DELETE FROM {DIRTY} WHERE {where} RETURNING day", params)
            days = {_as_date(row[0]) for row in cursor.fetchall()}
            ranges = _ranges(days) or NOTHING
            params = [project_id, Kind.TTP]
            stale = _days_within(ranges, params)
            params.append(Kind.TTP)
            stale_weeks = _days_within(_week_ranges(ranges), params)
            cursor.execute(
                f"DELETE FROM {TOTALS} WHERE project_id = %s AND ((kind <> %s AND {stale}) OR (kind = %s AND {stale_weeks}))",
                params,
            )
            cursor.execute(*_recompute_sql(project_id, ranges))
    return len(days)


# --- reading ---------------------------------------------------------------------------


@dataclass
class Numbers:
    """Everything `read` returns, in the shapes annotate.stats' functions return."""

    activity: dict  # {"created" | "verdicts" | "published": {monday: count}}
    by_rating: dict  # {rating id: published}
    agreement: dict  # {first of month: stats.MonthAgreement}
    claimants: list  # [(claimant, count)], the TOP with the most
    outlets: list  # [(publisher, count)]
    ttp: dict  # {monday: stats.Spread} of the range's whole weeks


def _profile(label: str) -> dict[int, int]:
    out: dict[int, int] = {}
    for part in filter(None, label.split(";")):
        rating, count = part.split(":")
        out[int(rating)] = out.get(int(rating), 0) + int(count)
    return out


def full_weeks(filters) -> tuple[dt.date, dt.date] | None:
    """The first and last Monday of the weeks wholly inside the range, if any."""
    first = filters.start + dt.timedelta(days=(7 - filters.start.weekday()) % 7)
    last = filters.end - dt.timedelta(days=(filters.end.weekday() + 1) % 7) - dt.timedelta(days=6)
    return (first, last) if first <= last else None


def read(project_id: int, filters, ratings, top: int) -> Numbers:
    """Six charts' numbers for the filters, from the totals, in one statement (time to publish:
    its whole weeks; `time_to_publish` adds the range's cut first and last weeks)."""
    false_ids = stats.false_side(ratings)
    params: list = []

    def where(kinds, alias="t", whole_project=True, days=(filters.start, filters.end)):
        """Rows of `kinds` in the range: one article's, else the whole project's (article 0), else
        (whole_project False: the outlets, per article) every article's."""
        marks = ", ".join("%s" for _ in kinds)
        clause = f"{alias}.project_id = %s AND {alias}.kind IN ({marks}) AND {alias}.day >= %s AND {alias}.day <= %s"
        params.extend([project_id, *kinds, *(connection.ops.adapt_datefield_value(d) for d in days)])
        if filters.article_id or whole_project:
            clause += f" AND {alias}.article_id = %s"
            params.append(filters.article_id or 0)
        return clause

    parts = [
        f"SELECT t.kind, {_week('t.day')}, t.rating_id, '', SUM(t.n), {NO_SPREAD} FROM {TOTALS} t "
        f"WHERE {where([Kind.CREATED, Kind.VERDICTS, Kind.PUBLISHED])} GROUP BY t.kind, {_week('t.day')}, t.rating_id",
        f"SELECT t.kind, {_month('t.day')}, CAST(NULL AS bigint), t.label, SUM(t.n), {NO_SPREAD} FROM {TOTALS} t "
        f"WHERE {where([Kind.PROFILE])} GROUP BY t.kind, {_month('t.day')}, t.label",
    ]
    weeks = full_weeks(filters)
    if weeks:
        parts.append(f"SELECT t.kind, t.day, CAST(NULL AS bigint), '', t.n, t.median, t.p90 FROM {TOTALS} t "
                     f"WHERE {where([Kind.TTP], days=weeks)}")
    if false_ids:
        from annotate.models import Article

        marks = ", ".join("%s" for _ in false_ids)
        clause = where([Kind.SETTLED])
        params.extend(false_ids)
        parts.append(
            f"SELECT * FROM (SELECT 'claimant', CAST(NULL AS date), ROW_NUMBER() OVER (ORDER BY SUM(t.n) DESC, t.label), "
            f"t.label, SUM(t.n) AS n, {NO_SPREAD} FROM {TOTALS} t WHERE {clause} "
            f"AND t.rating_id IN ({marks}) AND t.label <> '' GROUP BY t.label ORDER BY n DESC, t.label LIMIT {int(top)}) c"
        )
        clause = where([Kind.OUTLET], whole_project=False)
        params.extend(false_ids)
        parts.append(
            f"SELECT * FROM (SELECT 'outlet', CAST(NULL AS date), ROW_NUMBER() OVER (ORDER BY SUM(t.n) DESC, a.publisher), "
            f"a.publisher, SUM(t.n) AS n, {NO_SPREAD} FROM {TOTALS} t "
            f"JOIN {Article._meta.db_table} a ON a.id = t.article_id WHERE {clause} AND t.rating_id IN ({marks}) "
            f"AND a.publisher <> '' GROUP BY a.publisher ORDER BY n DESC, a.publisher LIMIT {int(top)}) o"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()

    activity = {"created": {}, "verdicts": {}, "published": {}}
    by_rating: dict = {}
    profiles: dict = {}
    spreads: dict = {}
    claimants, outlets = [], []
    for kind, bucket, rating_id, label, n, median, p90 in rows:
        n = int(n)
        if kind in activity:
            week = _as_date(bucket)
            activity[kind][week] = activity[kind].get(week, 0) + n
            if kind == Kind.PUBLISHED:
                by_rating[rating_id] = by_rating.get(rating_id, 0) + n
        elif kind == Kind.PROFILE:
            month = profiles.setdefault(_as_date(bucket), {})
            key = tuple(sorted(_profile(label).items()))
            month[key] = month.get(key, 0) + n
        elif kind == Kind.TTP:
            spreads[_as_date(bucket)] = stats.Spread(n, float(median), float(p90))
        else:  # a claimant or an outlet, with its rank (the database's order, its collation)
            (claimants if kind == "claimant" else outlets).append((rating_id, label, n))
    ranked = lambda rows: [(label, n) for _, label, n in sorted(rows)]  # noqa: E731
    return Numbers(activity, by_rating, agreement_from_profiles(profiles, ratings), ranked(claimants), ranked(outlets),
                   spreads)


def time_to_publish(project_id: int, filters, numbers: Numbers) -> dict:
    """{monday: Spread}: the whole weeks from the totals, the cut first and last weeks of the
    range ranked from the claims (at most two partial weeks; one statement, run even when the
    range has none, so the query count stays fixed)."""
    weeks = full_weeks(filters)
    end = filters.end + dt.timedelta(days=1)
    if weeks is None:
        cut = [(filters.start, end)]
    else:
        cut = [(filters.start, weeks[0]), (weeks[1] + dt.timedelta(days=7), end)]
    cut = [(a, b) for a, b in cut if a < b] or NOTHING
    where = _published_in(cut)
    if filters.article_id:
        where &= Q(article_id=filters.article_id)
    statement, params = stats.spread_sql(project_id, where)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    out = dict(numbers.ttp)
    out.update({stats._day(week): stats.Spread(int(n), float(median), float(p90)) for week, _, n, median, p90 in rows})
    return out


def agreement_from_profiles(months: dict, ratings, metric="ordinal") -> dict:
    """{month: MonthAgreement} from {month: {((rating id, verdicts), …): claims}}.

    Each claim u adds n_uc · (n_uk − [c = k]) / (m_u − 1) to the coincidence cell (c, k),
    over the ratings with a value (m_u: its verdicts with one, at least two). Summed as
    exact fractions, so the order of the rows cannot change a digit.
    """
    from annotate.stats import coincidence_agreement

    value = {r.pk: r.value for r in ratings if r.value is not None}
    out = {}
    for month, profiles in months.items():
        cells: dict = {}
        units = 0
        for profile, claims in profiles.items():
            counts = [(value[rating], n) for rating, n in profile if rating in value]
            m = sum(n for _, n in counts)
            if m < 2:
                continue
            units += claims
            for c, n_c in counts:
                for k, n_k in counts:
                    cells[(c, k)] = cells.get((c, k), 0) + Fraction(claims * n_c * (n_k - (1 if c == k else 0)), m - 1)
        if units:
            out[month] = coincidence_agreement(cells, units, metric)
    return out


@receiver(post_delete, sender=Project, dispatch_uid="dashboard-totals-project-deleted")
def _project_deleted(sender, instance, **kwargs):
    # After its claims: the triggers have just marked their days for a project that is gone.
    DashboardDirty.objects.filter(project_id=instance.pk).delete()
    DashboardTotal.objects.filter(project_id=instance.pk).delete()
