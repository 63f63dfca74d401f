"""Desk memory's pages: search, the claim panel's "Checked before" fragment and its
decisions, claimant pages, and the matching thresholds.

Query budgets (fixed; pinned in tests/memory/test_views.py): search, the project with
the user's role, its ratings, the text-search configurations, the ranked page of ids and
its headlines (SQLite: one query per kind); Checked before, the claim, its decisions, the candidates
with their signals, the shown claims, and the user's own verdict.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from annotate import services
from annotate.access import can, get_claim_for_user, get_project_for_user
from annotate.forms.memory import MatchDecisionForm, SearchForm, ThresholdsForm
from annotate.memory import claimant_pages, search, similar
from annotate.models import MatchDecision, Role, Verdict
from annotate.views.reading import is_fragment_request


def search_context(request, project):
    ratings = list(project.ratings.order_by("position", "id"))
    form = SearchForm(request.GET or None, project=project, ratings=ratings)
    hits, has_next, params = [], False, None
    if form.is_bound and form.is_valid():
        params = form.params()
        hits, has_next = search.search(project, params)
    return {"project": project, "form": form, "hits": hits, "has_next": has_next, "params": params,
            "page": params.page if params else 1}


@require_GET
@vary_on_headers("HX-Request")
def search_page(request, slug):
    project = get_project_for_user(request.user, slug)
    context = search_context(request, project)
    status = 400 if context["form"].is_bound and context["form"].errors else 200
    if is_fragment_request(request):
        return render(request, "annotate/search.html#search-results", context, status=status)
    return render(request, "annotate/search.html", context, status=status)


def checked_before_context(claim, user, error=None):
    suggestions, links = similar.checked_before(claim)
    mine = Verdict.objects.filter(claim=claim, reviewer=user).only("version").first()
    return {
        "claim": claim, "suggestions": suggestions, "links": links, "match_error": error,
        "my_verdict_version": mine.version if mine else 0, "threshold": claim.project.match_suggest,
    }


@require_GET
@vary_on_headers("HX-Request")
def checked_before(request, pk):
    claim = get_claim_for_user(request.user, pk)
    context = checked_before_context(claim, request.user)
    if is_fragment_request(request):
        return render(request, "annotate/_checked_before.html#checked-before", context)
    return render(request, "annotate/checked_before_page.html", context)


@require_POST
def match_decide(request, pk):
    """Confirm ("same claim") or dismiss an earlier claim; both recorded, both in the history."""
    claim = get_claim_for_user(request.user, pk)
    form = MatchDecisionForm(request.POST)
    error = None
    if form.is_valid():
        try:
            match, earlier = similar.decide(claim, request.user, form.cleaned_data["earlier"], form.cleaned_data["decision"])
        except similar.NotAMatch as exc:
            error = exc.message
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    if error:
        context = checked_before_context(claim, request.user, error=error)
        template = "annotate/_checked_before.html#checked-before" if is_fragment_request(request) else "annotate/checked_before_page.html"
        return render(request, template, context, status=422)
    confirmed = match.decision == MatchDecision.CONFIRMED
    message = f"Claim #{claim.pk} {'repeats' if confirmed else 'is not a repeat of'} claim #{earlier.pk}."
    if not is_fragment_request(request):
        messages.success(request, message)
        return HttpResponseRedirect(reverse("checked-before", args=[claim.pk]))
    response = render(request, "annotate/_checked_before.html#checked-before", checked_before_context(claim, request.user))
    return trigger_client_event(response, "announce", {"message": message})


@require_GET
def claimant_list(request, slug):
    project = get_project_for_user(request.user, slug)
    return render(request, "annotate/claimants.html", {"project": project, "claimants": claimant_pages.claimants(project)})


@require_GET
def claimant_detail(request, slug, key):
    project = get_project_for_user(request.user, slug)
    page = claimant_pages.claimant(project, key)
    if page is None:
        raise Http404("No claims by that claimant in this project.")
    return render(request, "annotate/claimant.html", {"project": project, **page})


@require_http_methods(["GET", "POST"])
def thresholds(request, slug):
    """The project's two matching thresholds; admins change them."""
    project = get_project_for_user(request.user, slug, role=Role.ADMIN)
    form = ThresholdsForm(request.POST or None, instance=project)
    if request.method == "POST":
        if form.is_valid():
            services.manage.set_match_thresholds(project, request.user, form.cleaned_data["match_suggest"], form.cleaned_data["match_autolink"])
            messages.success(request, "Matching thresholds saved.")
            return HttpResponseRedirect(reverse("match-thresholds", args=[project.slug]))
        return render(request, "annotate/thresholds.html", {"project": project, "form": form, "is_admin": True}, status=400)
    return render(request, "annotate/thresholds.html", {"project": project, "form": form, "is_admin": can(project, Role.ADMIN)})
