"""Scoped look-ups: one helper per object, membership check and preloading in one query.

A user who is not a member of the object's project gets 404, never 403, so projects
do not leak. A member whose role is too low gets 403 (PermissionDenied).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404

from annotate import lifecycle
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


def get_article_for_claim(user, pk, role=Role.REVIEWER):
    """As get_article_for_user, without the body: creating a claim checks its quote on the
    locked row's text around the selection (services.add_claim), so the ~120 KB body is
    neither decompressed nor sent."""
    if not user.is_authenticated:
        raise Http404("No such article.")
    article = _with_role(Article.objects.select_related("project").defer("body"), user, "project__").filter(pk=pk).first()
    return _check(article, role, "article")


def get_claim_for_user(user, pk, role=Role.REVIEWER):
    if not user.is_authenticated:
        raise Http404("No such claim.")
    claim = (
        _with_role(Claim.objects.select_related("project", "article", "span", "final_rating", "approved_by"), user, "project__")
        .filter(pk=pk)
        .first()
    )
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
