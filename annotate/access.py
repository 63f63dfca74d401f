"""Scoped look-ups: one helper per object, membership check and preloading in one query.

A user who is not a member of the object's project gets 404, never 403, so projects
do not leak. A member whose role is too low gets 403 (PermissionDenied).
"""

from functools import lru_cache

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404

from annotate import lifecycle, prepared
from annotate.compiled import Compiled, is_id
from annotate.models import ROLE_RANK, Article, Claim, Membership, Project, Role, Verdict


def projects_for_user(user):
    return Project.objects.filter(memberships__user=user)


def _with_role(queryset, user, path):
    """Annotate each row with the user's role in its project, keeping only members."""
    return queryset.filter(**{f"{path}memberships__user": user}).annotate(user_role=F(f"{path}memberships__role"))


def projects_with_role(user):
    """The user's projects, each annotated with the user's role in it."""
    return _with_role(Project.objects.all(), user, "")


def member_project_ids(user):
    """Subquery of the user's project ids: one SQL statement with the main query."""
    return Membership.objects.filter(user=user).values("project_id")


def is_member(user, project):
    """True when `user` is a member of `project` (any role); False for anonymous users."""
    return user.is_authenticated and Membership.objects.filter(project=project, user=user).exists()


def project_users(project_id):
    """The project's members as users, by username: who can be assigned or filtered on."""
    return [m.user for m in Membership.objects.filter(project_id=project_id).select_related("user").order_by("user__username")]


def blind_hidden(user):
    """Verdicts blind review hides from `user`: others' verdicts on a claim the user (a
    reviewer in a blind project) has not given their own verdict on. Editors see all."""
    blind_projects = Membership.objects.filter(user=user, role=Role.REVIEWER, project__blind_review=True).values("project_id")
    own = Verdict.objects.filter(claim_id=OuterRef("claim_id"), reviewer=user)
    return Q(claim__project_id__in=blind_projects) & ~Q(reviewer=user) & ~Exists(own)


def get_own_verdict_for_user(user, pk):
    """A verdict the user may change: 404 outside their projects, 403 when another reviewer gave it."""
    verdict = Verdict.objects.filter(claim__project_id__in=member_project_ids(user), pk=pk).select_related("claim").first()
    if verdict is None:
        raise Http404("No such verdict.")
    if verdict.reviewer_id != user.pk:
        raise PermissionDenied("Only the reviewer who gave this verdict can change it.")
    return verdict


def _check(obj, role, label):
    if obj is None:
        raise Http404(f"No such {label}.")
    if ROLE_RANK[Role(obj.user_role)] < ROLE_RANK[Role(role)]:
        raise PermissionDenied(f"This needs the {Role(role).label.lower()} role in the project.")
    return obj


def can(obj, role):
    """True when the user_role annotated by these helpers reaches `role`."""
    return ROLE_RANK[Role(obj.user_role)] >= ROLE_RANK[Role(role)]


def get_project_for_user(user, slug, role=Role.REVIEWER):
    if not user.is_authenticated:
        raise Http404("No such project.")
    project = _with_role(Project.objects.all(), user, "").filter(slug=slug).first()
    return _check(project, role, "project")


def get_article_for_user(user, pk, role=Role.REVIEWER):
    if not user.is_authenticated:
        raise Http404("No such article.")
    article = _with_role(Article.objects.select_related("project"), user, "project__").filter(pk=pk).first()
    return _check(article, role, "article")


def get_article_for_claim(user, pk, role=Role.REVIEWER, *, body=False):
    """As get_article_for_user (the same row, project and role; the same 404 and 403), by
    default without the body: creating a claim checks its quote on the locked row's text
    around the selection (services.add_claim), so the ~120 KB body is neither decompressed
    nor sent (`body=True` for the review page's answer, which shows the touched paragraphs).
    Its SQL is built once per process (claim creation's hot path: the ORM compiled this
    three-table query anew for every claim, a third of the view's own time; issue 16)."""
    if not user.is_authenticated:
        raise Http404("No such article.")
    sql, article_fields, project_fields = _article_for_claim_sql(connection.vendor, body)
    with prepared.cursor() as cursor:
        cursor.execute(sql, [user.pk, pk])  # in the text's order: the member, then the article
        row = cursor.fetchone()
    article = None
    if row is not None:
        n = len(article_fields)
        article = _from_row(Article, article_fields, row[:n])
        article.project = _from_row(Project, project_fields, row[n:-1])
        article.user_role = row[-1]
    return _check(article, role, "article")


@lru_cache(maxsize=4)
def _article_for_claim_sql(vendor, body):
    qn = connection.ops.quote_name
    article_fields = [f for f in Article._meta.concrete_fields if body or f.attname != "body"]
    project_fields = list(Project._meta.concrete_fields)
    columns = [f"a.{qn(f.column)}" for f in article_fields] + [f"p.{qn(f.column)}" for f in project_fields] + ["m.role"]
    sql = (
        f"SELECT {', '.join(columns)} FROM {qn(Article._meta.db_table)} a"
        f" JOIN {qn(Project._meta.db_table)} p ON p.id = a.project_id"
        f" JOIN {qn(Membership._meta.db_table)} m ON m.project_id = p.id AND m.user_id = %s"
        " WHERE a.id = %s"
    )
    return sql, article_fields, project_fields


def _from_row(model, fields, values):
    """A model instance from raw column values, through the same converters the ORM applies."""
    converted = []
    for field, value in zip(fields, values):
        col = field.get_col(model._meta.db_table)
        for converter in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
            value = converter(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def _claim_with_role(body):
    # Without the body, the final rating is not joined either (the claim panel takes it from the
    # scale it loads anyway, see views/reading.py): each LEFT JOIN costs PostgreSQL more to plan
    # than the whole query takes to run.
    related = ("project", "article", "span", "final_rating", "approved_by") if body else ("project", "article", "span", "approved_by")

    def build(user_id, pk):
        claims = _with_role(Claim.objects.select_related(*related), user_id, "project__").filter(pk=pk).order_by()
        return (claims if body else claims.defer("article__body"))[:1]

    return Compiled(build, arity=2)


# Compiled once (annotate/compiled.py): every claim page, panel and claim write starts here.
_CLAIM_WITH_BODY, _CLAIM = _claim_with_role(True), _claim_with_role(False)


def get_claim_for_user(user, pk, role=Role.REVIEWER, *, body=True):
    """The claim with its project, article, span, final rating and approver, and the user's role.
    `body=False` leaves the article's text and the final rating unread (each loads on first use):
    the claim panel never shows the text, and takes the final rating from the project's scale."""
    if not user.is_authenticated:
        raise Http404("No such claim.")
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such claim.") from None
    if not is_id(pk):
        raise Http404("No such claim.")
    claim = (_CLAIM_WITH_BODY if body else _CLAIM).first(user.pk, pk)
    return _check(claim, role, "claim")


def check_settled_change(target, role_from=None):
    """Published means settled: refuse (403) a reviewer's change to what a settled fact-check says.

    Once a claim is approved or published, its text, highlight (span), claimant and date
    change only through an editor; for a published claim that is a correction. `target`
    is the claim about to change, or an article about to get a new revision (which may
    change what its settled claims quote). The user's role comes from `role_from` (an
    object these helpers annotated), else from `target` itself. Editors pass without a
    query; for an article, a reviewer costs one EXISTS.
    """
    holder = role_from if role_from is not None else target
    if can(holder, Role.EDITOR):
        return
    if isinstance(target, Claim):
        if target.status in lifecycle.SETTLED:
            raise PermissionDenied(
                f"Claim #{target.pk} is {target.get_status_display().lower()}: its text, highlight, claimant and date "
                "are settled, and only an editor can change them (for a published claim, as a correction)."
            )
    elif Claim.objects.filter(article_id=target.pk, status__in=lifecycle.SETTLED).exists():
        raise PermissionDenied(
            f"“{target.title}” has approved or published fact-checks: only an editor can store a new version of it, "
            "since a new text can change what they quote."
        )
