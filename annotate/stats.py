"""The dashboard's numbers, each from one SQL aggregate over a project's claims and verdicts.

No function here loads claims or verdicts into Python: the database groups and counts,
and what comes back is one small row per week, month, rating, member, claimant or
outlet. So every function costs one query, whatever the size of the project (the
dashboard's query count is pinned in tests for a small and a large project).

`Filters` is what the dashboard's form gives: an inclusive date range (UTC days) and
optionally one article. Each figure applies the range to the date of the event it
counts: a claim's `created_at` (created, agreement), a verdict's `created_at`
(verdicts), `published_at` (published, by rating, time to publish) and `approved_at`
(claims settled on the false side of the scale). Weeks start on Monday (ISO), in UTC.

Percentiles are nearest-rank (PostgreSQL's `percentile_disc`): the smallest value with
at least p of the values at or below it. They are computed with window functions, which
SQLite and PostgreSQL both have, so both databases give the same figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, FloatField, Func, IntegerField, Min, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber, TruncMonth, TruncWeek

from annotate import lifecycle
from annotate.agreement import alpha_from_coincidences
from annotate.models import Claim, Status, Verdict

# Claims an assignee still has to work on.
OPEN_STATUSES = (Status.OPEN, Status.IN_REVIEW, Status.SECOND_OPINION)
TOP = 10  # rows of the claimant and outlet charts


@dataclass(frozen=True)
class Filters:
    start: dt.date  # first day, inclusive
    end: dt.date  # last day, inclusive
    article_id: int | None = None

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=dt.timezone.utc)

    @property
    def until(self) -> dt.datetime:
        """The instant after the last day (exclusive bound)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.timezone.utc)

    def weeks(self) -> list[dt.date]:
        """The Mondays of every week the range touches, in order."""
        monday = self.start - dt.timedelta(days=self.start.weekday())
        out = []
        while monday <= self.end:
            out.append(monday)
            monday += dt.timedelta(days=7)
        return out

    def months(self) -> list[dt.date]:
        first = self.start.replace(day=1)
        out = []
        while first <= self.end:
            out.append(first)
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return out


def _in_range(field, filters: Filters, prefix=""):
    q = Q(**{f"{prefix}{field}__gte": filters.since, f"{prefix}{field}__lt": filters.until})
    if filters.article_id:
        q &= Q(**{f"{prefix}article_id": filters.article_id})
    return q


def _day(value) -> dt.date:
    """A truncated timestamp as a date, whichever form the database returned it in."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class Seconds(Func):
    """end - start in seconds, as a float, computed by the database (EXTRACT gives numeric since
    PostgreSQL 14: slower to sort and compare, so it is cast)."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL and others
        return super().as_sql(compiler, connection, template="CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS DOUBLE PRECISION)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="((julianday(%(expressions)s)) * 86400.0)", arg_joiner=") - julianday(", **extra
        )


# --- per week: claims created, verdicts given, fact-checks published -------------------


def activity(project, filters: Filters) -> dict[str, dict[dt.date, int]]:
    """{"created" | "verdicts" | "published": {monday: count}}, one UNION ALL query."""
    created = (
        Claim.objects.filter(_in_range("created_at", filters), project=project)
        .annotate(kind=Value("created"), week=TruncWeek("created_at"))
        .values("kind", "week")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("kind", "week", "n")
    )
    verdicts = (
        Verdict.objects.filter(created_at__gte=filters.since, created_at__lt=filters.until, claim__project=project)
        .filter(**({"claim__article_id": filters.article_id} if filters.article_id else {}))
        .annotate(kind=Value("verdicts"), week=TruncWeek("created_at"))
        .values("kind", "week")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("kind", "week", "n")
    )
    published = (
        Claim.objects.filter(_in_range("published_at", filters), project=project, status=Status.PUBLISHED)
        .annotate(kind=Value("published"), week=TruncWeek("published_at"))
        .values("kind", "week")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("kind", "week", "n")
    )
    out = {"created": {}, "verdicts": {}, "published": {}}
    for kind, week, n in created.union(verdicts, published, all=True):
        out[kind][_day(week)] = n
    return out


# --- published fact-checks by final rating --------------------------------------------


def published_by_rating(project, filters: Filters) -> dict[int, int]:
    """{rating id: published fact-checks} for the range (by publication date)."""
    rows = (
        Claim.objects.filter(_in_range("published_at", filters), project=project, status=Status.PUBLISHED)
        .values("final_rating_id")
        .annotate(n=Count("id"))
        .values_list("final_rating_id", "n")
    )
    return dict(rows)


# --- time from claim created to published ---------------------------------------------


@dataclass(frozen=True)
class Spread:
    count: int
    median: float  # seconds
    p90: float


def time_to_publish(project, filters: Filters) -> dict[dt.date, Spread]:
    """{monday of the publication week: median and 90th percentile of created → published}."""
    statement, params = spread_sql(project.pk, _in_range("published_at", filters))
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    return {_day(week): Spread(int(n), float(median), float(p90)) for week, _, n, median, p90 in rows}


def spread_sql(project_id, where: Q, by_article=False) -> tuple[str, list]:
    """The statement of time_to_publish for the published claims `where` selects: rows of
    (week, article id or 0, count, median, p90), per week or per week and article. Also the
    partial totals' weekly rows (annotate.dashboard_totals), so both give the same floats."""
    partition = [F("week"), F("article_id")] if by_article else [F("week")]
    inner = (
        Claim.objects.filter(where, project_id=project_id, status=Status.PUBLISHED)
        .annotate(week=TruncWeek("published_at"), secs=Seconds(F("published_at"), F("created_at")))
        .annotate(
            rn=Window(RowNumber(), partition_by=partition, order_by=[F("secs").asc(), F("id").asc()]),
            total=Window(Count("id"), partition_by=partition),
        )
        .order_by()
        .values("week", "article_id", "secs", "rn", "total")
    )
    sql, params = inner.query.sql_with_params()
    article = "article_id" if by_article else "0"
    group = "week, article_id" if by_article else "week"
    statement = (
        f"SELECT week AS week, {article} AS article, MAX(total) AS n, MIN(CASE WHEN 2 * rn >= total THEN secs END) AS median, "
        f"MIN(CASE WHEN 10 * rn >= 9 * total THEN secs END) AS p90 FROM ({sql}) ranked GROUP BY {group}"
    )
    return statement, list(params)


# --- agreement per month --------------------------------------------------------------


@dataclass(frozen=True)
class MonthAgreement:
    alpha: float | None
    claims: int  # pairable claims: at least two verdicts with a rating on the scale


def agreement_by_month(project, filters: Filters, metric="ordinal", ratings=None) -> dict[dt.date, MonthAgreement]:
    """Krippendorff's alpha (ordinal on Rating.value) of the claims created in each month.

    The database builds each month's coincidence matrix in one pass, without joining the
    verdicts to themselves: per claim u it counts n_uc, the verdicts with each value c of
    the scale (one conditional COUNT per rating: values are unique in a project), and
    m_u, all of them; then per month and m_u it sums n_uc * (n_uk - [c = k]) over the claims
    with m_u >= 2, one column per pair c <= k (the matrix is symmetric), and Python divides
    by m_u - 1 exactly to get o_ck and turns those few cells per month into alpha. A rating outside the order
    (Unverifiable) is a missing value, as in the editor queue.

    A self-join of the per-claim counts (the first version) took seconds on 150,000
    verdicts: PostgreSQL misjudged the join's size, spilled its sorts to disk and
    JIT-compiled the plan. This is one hash aggregate over the verdicts of the range.
    """
    scale = [(r.pk, r.value) for r in (ratings if ratings is not None else project.ratings.all()) if r.value is not None]
    if not scale:
        return {}
    per_claim = (
        Verdict.objects.filter(_in_range("created_at", filters, prefix="claim__"), claim__project=project)
        .filter(rating_id__in=[pk for pk, _ in scale])
        .values("claim_id")
        .annotate(
            # An aggregate, not a grouping column: each claim has one month, and grouping by the
            # claim alone lets PostgreSQL aggregate the verdicts in claim order without a sort.
            bucket=Min(TruncMonth("claim__created_at")),
            m=Count("id"),
            **{f"n{i}": Count("id", filter=Q(rating_id=pk)) for i, (pk, _) in enumerate(scale)},
        )
        .filter(m__gte=2)
        .order_by()
        .values("bucket", "m", *[f"n{i}" for i in range(len(scale))])
    )
    sql, params = per_claim.query.sql_with_params()
    pairs = [(i, j) for i in range(len(scale)) for j in range(i, len(scale))]
    # Integer sums per month and m: the division by m - 1 is done exactly in Python
    # (coincidence_agreement), so the partial totals (annotate.dashboard_totals) give the same digits.
    cells = ", ".join(f"SUM(n{i} * (n{j} - {1 if i == j else 0}))" for i, j in pairs)
    statement = f"SELECT bucket, m, COUNT(*), {cells} FROM ({sql}) per_claim GROUP BY bucket, m"
    months: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for month, m, units, *sums in cursor.fetchall():
            month_cells, count = months.setdefault(_day(month), ({}, [0]))
            count[0] += int(units)
            for (i, j), total in zip(pairs, sums):
                c, k = scale[i][1], scale[j][1]
                weight = Fraction(int(total or 0), int(m) - 1)
                month_cells[(c, k)] = month_cells.get((c, k), 0) + weight
                if c != k:
                    month_cells[(k, c)] = month_cells.get((k, c), 0) + weight
    return {month: coincidence_agreement(month_cells, count[0], metric) for month, (month_cells, count) in months.items()}


def coincidence_agreement(cells: dict, units: int, metric="ordinal") -> MonthAgreement:
    """Alpha from exact coincidence cells {(c, k): Fraction}, in a fixed order of the cells."""
    matrix = {key: float(cells[key]) for key in sorted(cells)}
    return MonthAgreement(alpha_from_coincidences(matrix, metric), units)


# --- each member's open assignments and verdicts this week ----------------------------


@dataclass(frozen=True)
class Workload:
    user_id: int
    username: str
    open_assignments: int
    verdicts_this_week: int


def week_start(now: dt.datetime) -> dt.datetime:
    day = now.astimezone(dt.timezone.utc).date()
    return dt.datetime.combine(day - dt.timedelta(days=day.weekday()), dt.time.min, tzinfo=dt.timezone.utc)


def workload(project, filters: Filters, now: dt.datetime, only_user=None) -> list[Workload]:
    """Every member (or `only_user`) with their open assigned claims and the verdicts they
    gave this week (Monday 00:00 UTC until now, within the date range), in one query.

    Open assignments are a state, not an event: the article filter applies, the dates do not.
    Each count is one GROUP BY joined to the members (not a subquery per member, which
    scanned the project's claims once per member); this week's verdicts come from the
    index on Verdict.created_at.
    """
    Assignment = Claim.assignees.through
    assigned = Assignment.objects.filter(claim__project=project, claim__status__in=OPEN_STATUSES)
    given = Verdict.objects.filter(
        project_id=project.pk,  # kept by the database: the index on (project_id, created_at)
        created_at__gte=max(week_start(now), filters.since),
        created_at__lt=min(now, filters.until),
    )
    if filters.article_id:
        assigned = assigned.filter(claim__article_id=filters.article_id)
        given = given.filter(claim__article_id=filters.article_id)
    assigned_sql, assigned_params = (
        assigned.values(who=F("user_id")).annotate(n=Count("*")).order_by().values("who", "n").query.sql_with_params()
    )
    given_sql, given_params = (
        given.values(who=F("reviewer_id")).annotate(n=Count("*")).order_by().values("who", "n").query.sql_with_params()
    )
    members = get_user_model().objects.filter(memberships__project=project)
    if only_user is not None:
        members = members.filter(pk=only_user.pk)
    members_sql, members_params = members.order_by().values(uid=F("pk"), uname=F("username")).query.sql_with_params()
    statement = (
        f"SELECT m.uid, m.uname, COALESCE(a.n, 0), COALESCE(g.n, 0) FROM ({members_sql}) m "
        f"LEFT JOIN ({assigned_sql}) a ON a.who = m.uid "
        f"LEFT JOIN ({given_sql}) g ON g.who = m.uid ORDER BY m.uname, m.uid"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (*members_params, *assigned_params, *given_params))
        return [Workload(*row) for row in cursor.fetchall()]


# --- claimants and outlets with the most claims on the false side ---------------------


def false_side(ratings) -> list[int]:
    """Ids of the ratings below the middle of the ordered scale (False, Misleading on the default one)."""
    values = [r.value for r in ratings if r.value is not None]
    if not values:
        return []
    middle = (min(values) + max(values)) / 2
    return [r.pk for r in ratings if r.value is not None and r.value < middle]


def _top_false(project, filters: Filters, ratings, column) -> list[tuple[str, int]]:
    ids = false_side(ratings)
    if not ids:
        return []
    return list(
        Claim.objects.filter(_in_range("approved_at", filters), project=project, status__in=lifecycle.SETTLED)
        .filter(final_rating_id__in=ids)
        .exclude(**{column: ""})
        .values(column)
        .annotate(n=Count("id"))
        .order_by("-n", column)
        .values_list(column, "n")[:TOP]
    )


def top_false_claimants(project, filters: Filters, ratings) -> list[tuple[str, int]]:
    return _top_false(project, filters, ratings, "claimant")


def top_false_outlets(project, filters: Filters, ratings) -> list[tuple[str, int]]:
    """Outlets: the publisher of the article the claim was found in."""
    return _top_false(project, filters, ratings, "article__publisher")
