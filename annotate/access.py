"""Scoped look-ups: one helper per object, membership check and preloading in one query.

A user who is not a member of the object's project gets 404, never 403, so projects
do not leak. A member whose role is too low gets 403 (PermissionDenied).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404

from annotate.models import ROLE_RANK, Article, Claim, Project, Role


def projects_for_user(user):
    return Project.objects.filter(memberships__user=user)


def _with_role(queryset, user, path):
    """Annotate each row with the user's role in its project, keeping only members."""
    return queryset.filter(**{f"{path}memberships__user": user}).annotate(user_role=F(f"{path}memberships__role"))


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


def get_claim_for_user(user, pk, role=Role.REVIEWER):
    if not user.is_authenticated:
        raise Http404("No such claim.")
    claim = (
        _with_role(Claim.objects.select_related("project", "article", "span", "final_rating", "approved_by"), user, "project__")
        .filter(pk=pk)
        .first()
    )
    return _check(claim, role, "claim")
