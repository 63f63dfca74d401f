"""Editor pages: the queue of claims waiting for a final verdict, the final verdict,
and workflow status / publishing. Editors and admins only; reviewers get 403 and
non-members 404 (annotate.access).

The final-verdict and status POSTs answer htmx with the fragment they changed: the
queue row when the request targets one (`#queue-row-<pk>`), else the editor-actions
block that the review page's claim panel includes. A plain POST redirects back.
"""

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.http import HttpResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from annotate import lifecycle, services, snapshots
from annotate import queue as queue_rows
from annotate.access import get_claim_for_user, get_project_for_user, project_users
from annotate.agreement import agreement
from annotate.forms.editor import PUBLISH, UNPUBLISH, FinalVerdictForm, QueueFilterForm, StatusForm, UnpublishForm
from annotate.models import Article, Claim, Role, Verdict

User = get_user_model()
PAGE_SIZE = 25
ACTIONS_TEMPLATE = "annotate/_editor_actions.html"
ROW_TEMPLATE = "annotate/editor_queue.html#queue-row"


def _verdicts_prefetch():
    # Side by side in a stable order: the same reviewer sits in the same place on every row.
    return Prefetch("verdicts", queryset=Verdict.objects.select_related("rating", "reviewer").order_by("reviewer__username", "id"))


def _mark_disagreement(claims):
    """Give each claim `.disagree` (reviewers picked different ratings) from its prefetched verdicts."""
    for claim in claims:
        claim.disagree = len({v.rating_id for v in claim.verdicts.all()}) > 1


def _agreement_by_article(project):
    """Krippendorff's alpha (ordinal, on Rating.value) for the project and each article.

    One query over every verdict of the project; a rating without a value
    (Unverifiable) is a missing value. Alpha ignores who gave which value, so a
    unit is just the list of values given to one claim.
    """
    units = defaultdict(list)
    article_of = {}
    rows = Verdict.objects.filter(claim__project=project).values_list("claim_id", "claim__article_id", "rating__value")
    for claim_id, article_id, value in rows:
        units[claim_id].append(value)
        article_of[claim_id] = article_id
    by_article = defaultdict(list)
    for claim_id, values in units.items():
        by_article[article_of[claim_id]].append(values)
    overall = agreement(units.values(), metric="ordinal")
    return overall, {article_id: agreement(table, metric="ordinal") for article_id, table in by_article.items()}


def _queue_filters(request, project):
    """The filter form and its values; `assignee` resolved to a user (or "none")."""
    articles = list(Article.objects.filter(project=project).only("id", "title").order_by("title", "id"))
    members = project_users(project.pk)
    usernames = [u.get_username() for u in members]
    form = QueueFilterForm(request.GET or None, articles=articles, members=usernames)
    filters = form.filters() if request.GET else {}
    by_name = {u.get_username(): u for u in members}
    assignee = filters.get("assignee") or None
    if assignee == "me":
        assignee = request.user
    elif assignee and assignee != "none":
        assignee = by_name.get(assignee)
    filters["assignee_user"] = assignee
    return form, filters, articles, members


@require_GET
def queue(request, slug):
    """Every unsettled claim, in tabs by stage (annotate/queue.py), oldest first.

    Queries (fixed, whatever the size): the project with the user's role, its ratings,
    articles and members (filter choices), the tab counts, the page count, the page of
    rows, their verdicts and their assignees, and the verdicts for agreement: 10.
    """
    project = get_project_for_user(request.user, slug, role=Role.EDITOR)
    ratings = list(project.ratings.all())
    filter_form, filters, articles, members = _queue_filters(request, project)
    base = queue_rows.filtered(
        queue_rows.unsettled(project),
        article=filters.get("article"), assignee=filters["assignee_user"],
        disagree=filters.get("disagree"), status=filters.get("status"),
    )  # fmt: skip
    counts = queue_rows.tab_counts(base)
    tab = filters.get("tab") or ""
    claims = (
        queue_rows.in_tab(base, tab)
        .select_related("article", "span", "final_rating", "approved_by")
        # The row shows the article's title; its body may be megabytes, once per row.
        .defer("article__body")
        .prefetch_related(_verdicts_prefetch(), Prefetch("assignees", queryset=User.objects.order_by("username")))
        .annotate(**snapshots.queue_flags())  # sources whose excerpt is not on the page, or gone
        .order_by("created_at", "id")
    )
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    overall, per_article = _agreement_by_article(project)
    _mark_disagreement(page.object_list)
    reviewers = members
    for claim in page.object_list:
        claim.project = project  # the fragments' links need its slug: no query per row
        claim.article_agreement = per_article.get(claim.article_id)
        claim.members = reviewers
    rated = {a.pk: a for a in articles}
    agreement_rows = [(rated[pk], alpha) for pk, alpha in per_article.items() if pk in rated]
    agreement_rows.sort(key=lambda row: (row[0].title, row[0].pk))
    tabs = [("", "All unsettled", counts["all"])] + [(key, label, counts[key]) for key, label in queue_rows.STAGES]
    return render(
        request,
        "annotate/editor_queue.html",
        {
            "project": project,
            "ratings": ratings,
            "filter_form": filter_form,
            "page": page,
            "tabs": tabs,
            "tab": tab,
            "overall": overall,
            "agreement_rows": agreement_rows,
            "next_url": request.get_full_path(),
        },
    )


def _next_url(request, claim):
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return reverse("editor-queue", args=[claim.project.slug])


def _respond(request, claim, ratings, *, final_form=None, conflict=None, error="", notice="", status=200):
    """Render what the request asked for: the queue row, the actions block, or (plain POST) a page."""
    if status == 200 and not request.htmx:
        messages.success(request, notice)
        return redirect(_next_url(request, claim))
    context = {
        "claim": claim,
        "project": claim.project,
        "ratings": ratings,
        "final_form": final_form,
        "conflict": conflict,
        "error": error,
        "notice": notice,
        "next_url": _next_url(request, claim),
    }
    if request.htmx and request.htmx.target == f"queue-row-{claim.pk}":
        prefetch_related_objects([claim], _verdicts_prefetch(), Prefetch("assignees", queryset=User.objects.order_by("username")))
        _mark_disagreement([claim])
        claim.verdict_count = len(claim.verdicts.all())
        claim.members = project_users(claim.project_id)
        context["in_queue"] = True
        # A published claim leaves the queue: the row is replaced by a one-line notice.
        template = ROW_TEMPLATE if claim.status != "published" or status != 200 else "annotate/editor_queue.html#queue-row-gone"
    elif request.htmx:
        template = ACTIONS_TEMPLATE
    else:
        template = "annotate/editor_claim.html"
    response = render(request, template, context, status=status)
    if status == 200:
        # Other panels (the review page's claims list, highlights) refresh on this event;
        # "announce" reads the notice out through the page's aria-live region.
        trigger_client_event(response, "claims-changed", {"claim": claim.pk})
        trigger_client_event(response, "announce", {"message": notice, "claim": claim.pk})
    return response


def _reloaded(claim):
    """The claim as saved (services refresh plain fields only), with what the fragments show."""
    return (
        Claim.objects.select_related("project", "article", "span", "final_rating", "approved_by")
        .defer("article__body")
        .get(pk=claim.pk)
    )


@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def claim_final(request, pk):
    claim = get_claim_for_user(request.user, pk, role=Role.EDITOR)
    ratings = list(claim.project.ratings.all())
    form = FinalVerdictForm(request.POST, ratings=ratings)
    if not form.is_valid():
        return _respond(request, claim, ratings, final_form=form, error="The final verdict was not saved.", status=400)
    data = form.cleaned_data
    try:
        services.settle_claim(claim, request.user, data["version"], data["rating"], data["final_rationale"], note=data.get("correction_note", ""))
    except lifecycle.NotAllowed as exc:
        return _respond(request, claim, ratings, final_form=form, error=exc.message, status=409)
    except services.Invalid as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _respond(request, claim, ratings, final_form=form, error="The final verdict was not saved.", status=400)
    except services.Conflict as exc:
        current = _reloaded(claim)
        # Keep what the editor typed, based on the current version so saving again is a deliberate overwrite.
        kept = request.POST.copy()
        kept["version"] = current.version
        return _respond(
            request, current, ratings, final_form=FinalVerdictForm(kept, ratings=ratings), conflict=exc, status=409
        )
    saved = _reloaded(claim)
    notice = "Correction published: the public page shows it with your note." if saved.status == "published" else "Final verdict saved."
    return _respond(request, saved, ratings, notice=notice)


@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def claim_status(request, pk):
    claim = get_claim_for_user(request.user, pk, role=Role.EDITOR)
    ratings = list(claim.project.ratings.all())
    form = StatusForm(request.POST)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return _respond(request, claim, ratings, error=message, status=400)
    action, version = form.cleaned_data["status"], form.cleaned_data["version"]
    try:
        if action == PUBLISH:
            services.set_status(claim, request.user, version, "published", via=("publish",))
            notice = "Published."
        elif action == UNPUBLISH:
            # Unpublishing is its own confirmed action with a reason (claim_unpublish).
            services.set_status(claim, request.user, version, "approved", via=("unpublish-button",))
            notice = ""
        else:
            # Set status: only the moves the lifecycle table offers on this control.
            services.set_status(claim, request.user, version, action, via=("status",))
            notice = "Status changed."
    except lifecycle.NotAllowed as exc:
        return _respond(request, claim, ratings, error=exc.message, status=409)
    except services.Invalid as exc:
        return _respond(request, claim, ratings, error=exc.message, status=400)
    except services.Conflict as exc:
        return _respond(request, _reloaded(claim), ratings, conflict=exc, status=409)
    return _respond(request, _reloaded(claim), ratings, notice=notice)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request", "HX-Target")
def claim_unpublish(request, pk):
    """Take a published fact-check off the public page: a confirmation and a reason, kept in the history.

    GET: the confirmation page (plain browsers; htmx shows the same form in place).
    POST: reason + confirm + version; anything missing is a 400 and nothing changes.
    """
    claim = get_claim_for_user(request.user, pk, role=Role.EDITOR)
    if claim.status != "published" and request.method == "GET":
        error = lifecycle.NotAllowed(claim.status, "approved").message
        return render(request, "annotate/unpublish.html", {"claim": claim, "project": claim.project, "error": error}, status=409)
    form = UnpublishForm(request.POST if request.method == "POST" else None, initial={"version": claim.version})
    context = {"claim": claim, "project": claim.project, "form": form, "next_url": _next_url(request, claim)}
    if request.method == "GET":
        return render(request, "annotate/unpublish.html", context)
    if not form.is_valid():
        context["error"] = " ".join(e for errors in form.errors.values() for e in errors)
        return render(request, "annotate/unpublish.html", context, status=400)
    try:
        services.unpublish(claim, request.user, form.cleaned_data["version"], form.cleaned_data["reason"])
    except lifecycle.NotAllowed as exc:
        context["error"] = exc.message
        return render(request, "annotate/unpublish.html", context, status=409)
    except services.Invalid as exc:
        context["error"] = exc.message
        return render(request, "annotate/unpublish.html", context, status=400)
    except services.Conflict as exc:
        context["error"] = exc.message
        context["claim"] = _reloaded(claim)
        return render(request, "annotate/unpublish.html", context, status=409)
    messages.success(request, "Unpublished: the fact-check is off the public page; the reason is in its history.")
    response = redirect(_next_url(request, claim))
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("claim-detail", args=[claim.pk])
    return response
