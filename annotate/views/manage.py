"""Project management pages: the rating scale (editors and admins) and the members (admins)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from annotate.access import get_project_for_user
from annotate.forms.manage import AddMemberForm, RatingForm, RoleForm
from annotate.models import Claim, Role, Verdict
from annotate.services import Invalid
from annotate.forms.base import add_service_error
from annotate.services.manage import add_member, delete_rating, move_rating, remove_member, save_rating, set_role
from annotate.subqueries import correlated_count


def _saved(form, write):
    """The write's result for a valid form, or None with the service's refusal on the form."""
    if not form.is_valid():
        return None
    try:
        return write()
    except Invalid as error:
        add_service_error(form, error)
        return None


# --- rating scale -------------------------------------------------------------------


def _uses(queryset, field):
    return correlated_count(queryset, field)


def _render_scale(request, project, *, add_form=None, failed=None, status=200):
    """The scale page; `failed` is a bound edit form with errors that replaces its row's form."""
    ratings = project.ratings.annotate(
        verdict_uses=_uses(Verdict.objects.all(), "rating"),
        final_uses=_uses(Claim.objects.all(), "final_rating"),
    ).order_by("position", "id")
    rows = []
    for rating in ratings:
        form = failed if failed is not None and failed.instance.pk == rating.pk else None
        rows.append((rating, form or RatingForm(instance=rating, project=project, prefix=f"rating-{rating.pk}")))
    context = {
        "project": project,
        "rows": rows,
        "add_form": add_form or RatingForm(project=project, prefix="new"),
    }
    return render(request, "annotate/scale.html", context, status=status)


@require_GET
def rating_scale(request, slug):
    project = get_project_for_user(request.user, slug, role=Role.EDITOR)
    return _render_scale(request, project)


@require_POST
def rating_add(request, slug):
    project = get_project_for_user(request.user, slug, role=Role.EDITOR)
    form = RatingForm(request.POST, project=project, prefix="new")
    if (rating := _saved(form, lambda: save_rating(form.save(commit=False), project, request.user))) is None:
        return _render_scale(request, project, add_form=form, status=400)
    messages.success(request, f"Added “{rating.label}” to the scale.")
    return redirect("rating-scale", slug=project.slug)


def _rating(project, pk):
    return get_object_or_404(project.ratings, pk=pk)


@require_POST
def rating_edit(request, slug, pk):
    project = get_project_for_user(request.user, slug, role=Role.EDITOR)
    rating = _rating(project, pk)
    form = RatingForm(request.POST, instance=rating, project=project, prefix=f"rating-{rating.pk}")
    if _saved(form, lambda: save_rating(form.save(commit=False), project, request.user)) is None:
        return _render_scale(request, project, failed=form, status=400)
    messages.success(request, f"Saved “{form.instance.label}”.")
    return redirect("rating-scale", slug=project.slug)


@require_POST
def rating_move(request, slug, pk):
    project = get_project_for_user(request.user, slug, role=Role.EDITOR)
    rating = _rating(project, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Move a rating up or down.")
    elif move_rating(rating, direction, actor=request.user):
        messages.success(request, f"Moved “{rating.label}” {direction}.")
    else:
        messages.info(request, f"“{rating.label}” is already at the {'top' if direction == 'up' else 'bottom'} of the scale.")
    return redirect("rating-scale", slug=project.slug)


@require_POST
def rating_delete(request, slug, pk):
    project = get_project_for_user(request.user, slug, role=Role.EDITOR)
    rating = _rating(project, pk)
    try:
        delete_rating(rating, actor=request.user)
    except Invalid as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, f"Deleted “{rating.label}”.")
    return redirect("rating-scale", slug=project.slug)


# --- members --------------------------------------------------------------------------


def _render_members(request, project, *, add_form=None, status=200):
    memberships = project.memberships.select_related("user").order_by("user__username")
    context = {
        "project": project,
        "memberships": memberships,
        "roles": Role.choices,
        "add_form": add_form or AddMemberForm(project=project),
    }
    return render(request, "annotate/members.html", context, status=status)


@require_GET
def project_members(request, slug):
    project = get_project_for_user(request.user, slug, role=Role.ADMIN)
    return _render_members(request, project)


@require_POST
def member_add(request, slug):
    project = get_project_for_user(request.user, slug, role=Role.ADMIN)
    form = AddMemberForm(request.POST, project=project)
    if (membership := _saved(form, lambda: add_member(project, request.user, form.user, form.cleaned_data["role"]))) is None:
        return _render_members(request, project, add_form=form, status=400)
    messages.success(request, f"Added {membership.user.get_username()} as {membership.get_role_display().lower()}.")
    return redirect("project-members", slug=project.slug)


def _membership(project, pk):
    return get_object_or_404(project.memberships.select_related("user"), pk=pk)


@require_POST
def member_role(request, slug, pk):
    project = get_project_for_user(request.user, slug, role=Role.ADMIN)
    membership = _membership(project, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a role: reviewer, editor or admin.")
        return redirect("project-members", slug=project.slug)
    try:
        set_role(membership, form.cleaned_data["role"], actor=request.user)
    except Invalid as problem:
        messages.error(request, problem.message)
        return redirect("project-members", slug=project.slug)
    name = membership.user.get_username()
    messages.success(request, f"{name} is now {membership.get_role_display().lower()}.")
    if membership.user_id == request.user.pk and membership.role != Role.ADMIN:
        # They just gave up the right to see this page.
        return redirect("article-list", slug=project.slug)
    return redirect("project-members", slug=project.slug)


@require_POST
def member_remove(request, slug, pk):
    project = get_project_for_user(request.user, slug, role=Role.ADMIN)
    membership = _membership(project, pk)
    try:
        remove_member(membership, actor=request.user)
    except Invalid as problem:
        messages.error(request, problem.message)
        return redirect("project-members", slug=project.slug)
    if membership.user_id == request.user.pk:
        messages.success(request, f"You left {project.name}.")
        return redirect("project-list")
    messages.success(request, f"Removed {membership.user.get_username()} from the project.")
    return redirect("project-members", slug=project.slug)
