"""A desk's workflow pages: My work (and Next claim), assignments (claim, article), taking
a claim, the project's workflow settings with its history, and notifications (bell, page,
mark read).

Every POST works as a plain form (redirect back with a message) and through htmx (the
fragment it changed). Permission checks are here and in services/workflow.py, never only in
templates: reviewers may take an unassigned claim but not assign anyone (403); outsiders
get 404 from annotate.access.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from annotate import queue as queue_rows
from annotate import services
from annotate.access import can, get_article_for_user, get_claim_for_user, get_project_for_user, project_users
from annotate.models import Claim, Notification, ProjectEvent, Role
from annotate.workflow_text import describe_event

User = get_user_model()
NOTIFICATIONS_PAGE = 50


def _back(request, default):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default


# --- My work ------------------------------------------------------------------


@require_GET
def my_work(request, slug):
    """Claims assigned to me that still lack my verdict, oldest first.

    Queries (fixed): the project with my role, the claims with their article and span.
    """
    project = get_project_for_user(request.user, slug)
    claims = list(
        queue_rows.my_work(project, request.user).select_related("article", "span").defer("article__body")[:500]
    )
    return render(request, "annotate/my_work.html", {"project": project, "claims": claims, "next_claim": claims[0] if claims else None})


@require_GET
def next_claim(request, slug):
    """Open my next claim: the oldest assigned to me without my verdict, after `?after=<id>` when given."""
    project = get_project_for_user(request.user, slug)
    claims = queue_rows.my_work(project, request.user)
    after = request.GET.get("after", "")
    if after.isdigit():
        claims = claims.exclude(pk=int(after))
    claim = claims.only("id").first()
    if claim is None:
        if after.isdigit() and queue_rows.my_work(project, request.user).filter(pk=int(after)).exists():
            messages.info(request, "This is the last claim waiting for your verdict.")
        else:
            messages.info(request, "Nothing left: every claim assigned to you has your verdict.")
        return redirect("my-work", slug=project.slug)
    return redirect("claim-detail", pk=claim.pk)


# --- assignments ----------------------------------------------------------------


class AssignForm(forms.Form):
    assignees = forms.MultipleChoiceField(required=False)
    version = forms.IntegerField(min_value=1, error_messages={"required": "The form is missing the claim's version; reload the page."})

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].choices = [(u, u) for u in members]
        self.fields["assignees"].error_messages["invalid_choice"] = "Not a member of this project, so cannot be assigned: %(value)s."


def _assign_block(request, claim, *, status=200, error="", notice=""):
    claim = Claim.objects.prefetch_related(Prefetch("assignees", queryset=User.objects.order_by("username"))).get(pk=claim.pk)
    can_assign = can(get_claim_for_user(request.user, claim.pk), Role.EDITOR)
    claim.members = project_users(claim.project_id) if can_assign else []
    context = {"claim": claim, "can_assign": can_assign, "assign_error": error, "assign_notice": notice, "next_url": _back(request, "")}
    if request.htmx:
        return render(request, "annotate/_assign.html", context, status=status)
    return render(request, "annotate/assign.html", context, status=status)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def claim_assign(request, pk):
    """GET: who works on the claim (the claim panel loads it); POST: editors set the assignees."""
    claim = get_claim_for_user(request.user, pk)
    if request.method == "GET":
        return _assign_block(request, claim)
    if not can(claim, Role.EDITOR):
        raise PermissionDenied("Only a project editor may assign claims; reviewers may take an unassigned one.")
    members = [u.get_username() for u in project_users(claim.project_id)]
    form = AssignForm(request.POST, members=members)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return _assign_block(request, claim, status=422, error=message)
    try:
        services.workflow.set_assignees(claim, request.user, form.cleaned_data["version"], form.cleaned_data["assignees"])
    except services.Invalid as exc:
        return _assign_block(request, claim, status=422, error=exc.message)
    except services.Conflict as exc:
        return _assign_block(request, claim, status=409, error=exc.message)
    if not request.htmx:
        messages.success(request, "Assignees saved.")
        return HttpResponseRedirect(_back(request, reverse("claim-detail", args=[pk])))
    return _assign_block(request, claim, notice="Assignees saved.")


@require_POST
@vary_on_headers("HX-Request")
def claim_take(request, pk):
    """A reviewer takes an unassigned claim."""
    claim = get_claim_for_user(request.user, pk)
    try:
        services.workflow.take_claim(claim, request.user)
    except services.Invalid as exc:
        return _assign_block(request, claim, status=422, error=exc.message)
    if not request.htmx:
        messages.success(request, "The claim is yours: it is under My work.")
        return HttpResponseRedirect(_back(request, reverse("claim-detail", args=[pk])))
    return _assign_block(request, claim, notice="The claim is yours: it is under My work.")


@require_http_methods(["GET", "POST"])
def article_assign(request, pk):
    """Editors: assign every unsettled claim of an article to the chosen members at once.

    GET: the form (members to tick); the article list links here, so the list's own
    query count does not grow.
    """
    article = get_article_for_user(request.user, pk, role=Role.EDITOR)
    back = _back(request, reverse("article-list", args=[article.project.slug]))
    if request.method == "GET":
        return render(request, "annotate/article_assign.html", {"article": article, "project": article.project, "members": project_users(article.project_id)})
    usernames = request.POST.getlist("assignees")
    try:
        count = services.workflow.assign_article(article, request.user, usernames)
    except services.Invalid as exc:
        context = {"article": article, "project": article.project, "members": project_users(article.project_id), "error": exc.message}
        return render(request, "annotate/article_assign.html", context, status=422)
    messages.success(request, f"Assigned {count} claim{'s' if count != 1 else ''} of “{article.title}” to {', '.join(usernames)}.")
    return HttpResponseRedirect(back)


# --- project workflow settings and history -------------------------------------


class SettingsForm(forms.Form):
    required_verdicts = forms.IntegerField(
        min_value=1, max_value=services.workflow.MAX_REQUIRED_VERDICTS,
        error_messages={"required": "Say how many verdicts a claim needs.", "invalid": "Required verdicts must be a whole number."},
    )  # fmt: skip
    blind_review = forms.BooleanField(required=False, label="Blind review: reviewers see others' verdicts only after giving their own")


@require_http_methods(["GET", "POST"])
def project_settings(request, slug):
    """Editors: required verdicts and blind review; every member change, scale change and
    setting change of the project is listed below (ProjectEvent)."""
    project = get_project_for_user(request.user, slug, role=Role.EDITOR)
    form = SettingsForm(request.POST or None, initial={"required_verdicts": project.required_verdicts, "blind_review": project.blind_review})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.workflow.update_settings(project, request.user, **form.cleaned_data)
            except services.Invalid as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Workflow settings saved.")
                return redirect("project-settings", slug=project.slug)
        status = 400
    events = [(e, describe_event(e)) for e in ProjectEvent.objects.filter(project=project).select_related("actor").order_by("-created_at", "-id")[:200]]
    return render(request, "annotate/project_settings.html", {"project": project, "form": form, "events": events}, status=status)


# --- notifications ----------------------------------------------------------------


def _unread(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)


@require_GET
def notification_bell(request):
    """The header's bell: the unread count (loaded by htmx after the page, so pages keep their query counts)."""
    return render(request, "annotate/notifications.html#bell", {"unread": _unread(request.user).count()})


@require_GET
def notifications(request):
    items = list(
        Notification.objects.filter(user=request.user).select_related("project", "actor").order_by("-created_at", "-id")[:NOTIFICATIONS_PAGE]
    )
    unread = sum(1 for n in items if n.read_at is None)
    return render(request, "annotate/notifications.html", {"items": items, "unread": unread})


@require_POST
def notification_read(request, pk):
    """Mark one notification read (only your own: others' are 404) and follow its link when asked."""
    item = get_object_or_404(Notification, pk=pk, user=request.user)
    if item.read_at is None:
        Notification.objects.filter(pk=item.pk).update(read_at=timezone.now())
    if request.POST.get("open") and item.claim_id:
        return redirect("claim-detail", pk=item.claim_id)
    if request.htmx:
        item.read_at = timezone.now()
        return render(request, "annotate/notifications.html#item", {"item": item})
    return redirect("notifications")


@require_POST
def notifications_read_all(request):
    count = _unread(request.user).update(read_at=timezone.now())
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notifications")
