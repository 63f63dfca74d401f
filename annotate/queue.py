"""The editor queue's rows: every unsettled claim, in one of five stages, counted per tab.

A claim is in exactly one stage, computed by the database from its status and its
number of verdicts against the project's `required_verdicts`:

    open      no verdict yet
    waiting   some verdicts, fewer than required
    ready     in review with the required verdicts: ready for a final verdict
    second    needs a second opinion
    approved  approved, not published

So "All" is the sum of the tabs, and each tab's count is computed with the same filters
as its rows (one GROUP BY query). Published claims are not in the queue.
"""

from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When, CharField

from annotate import lifecycle
from annotate.subqueries import correlated_count
from annotate.models import Claim, Status, Verdict

STAGES = (
    ("open", "Open, no verdict"),
    ("waiting", "Waiting for verdicts"),
    ("ready", "Ready for the editor"),
    ("second", "Needs second opinion"),
    ("approved", "Approved, not published"),
)
STAGE_KEYS = tuple(key for key, _ in STAGES)


def _count(field, distinct=False):
    return correlated_count(Verdict.objects.all(), "claim", Count(field, distinct=distinct))


def unsettled(project):
    """The project's unsettled claims annotated with `verdict_count` and `stage`."""
    return (
        Claim.objects.filter(project=project)
        .exclude(status=Status.PUBLISHED)
        .annotate(verdict_count=_count("id"))
        .annotate(
            stage=Case(
                When(status=Status.APPROVED, then=Value("approved")),
                When(status=Status.SECOND_OPINION, then=Value("second")),
                When(verdict_count=0, then=Value("open")),
                When(verdict_count__lt=project.required_verdicts, then=Value("waiting")),
                default=Value("ready"),
                output_field=CharField(),
            )
        )
    )


def filtered(queryset, *, article=None, assignee=None, disagree=False, status=None):
    """Apply the queue's filters (all but the tab). `assignee` is a user, or "none"."""
    if article:
        queryset = queryset.filter(article_id=article)
    if status:
        queryset = queryset.filter(status=status)
    if assignee == "none":
        queryset = queryset.filter(~Exists(Claim.assignees.through.objects.filter(claim_id=OuterRef("pk"))))
    elif assignee is not None:
        queryset = queryset.filter(Exists(Claim.assignees.through.objects.filter(claim_id=OuterRef("pk"), user_id=assignee.pk)))
    if disagree:
        # Only here: counting distinct ratings for every row costs a second subquery per claim.
        queryset = queryset.annotate(rating_count=_count("rating", distinct=True)).filter(rating_count__gt=1)
    return queryset


def tab_counts(queryset):
    """{stage: count} for every stage (zeros included) and "all": one query."""
    counts = dict.fromkeys(STAGE_KEYS, 0)
    for row in queryset.order_by().values("stage").annotate(n=Count("id")):
        counts[row["stage"]] = row["n"]
    counts["all"] = sum(counts[key] for key in STAGE_KEYS)
    return counts


def in_tab(queryset, tab):
    return queryset.filter(stage=tab) if tab in STAGE_KEYS else queryset


def stage_of(claim, required):
    """The same stage in Python, for a row rendered after a change (htmx)."""
    n = getattr(claim, "verdict_count", None)
    if n is None:
        n = len(claim.verdicts.all())
    if claim.status == Status.PUBLISHED:
        return None
    if claim.status == Status.APPROVED:
        return "approved"
    if claim.status == Status.SECOND_OPINION:
        return "second"
    if n == 0:
        return "open"
    return "waiting" if n < required else "ready"


def my_work(project, user):
    """Claims assigned to `user` that still lack their verdict, oldest first (unsettled only)."""
    return (
        Claim.objects.filter(project=project)
        .exclude(status__in=lifecycle.SETTLED)
        .filter(Exists(Claim.assignees.through.objects.filter(claim_id=OuterRef("pk"), user_id=user.pk)))
        .filter(~Exists(Verdict.objects.filter(claim_id=OuterRef("pk"), reviewer_id=user.pk)))
        .annotate(verdict_count=_count("id"))
        .order_by("created_at", "id")
    )
