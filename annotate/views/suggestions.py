"""The "Suggested claims" and "Check the arithmetic" section of the review page.

Accept turns a suggestion into a claim in one step (the sentence, or the reviewer's
narrower selection inside it) and answers like adding a claim from a selection, plus
the suggestion's row removed out of band. Dismiss remembers the dismissal.
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from annotate import rendering, services, suggestions
from annotate.access import get_article_for_user
from annotate.forms.suggestions import AcceptSuggestionForm
from annotate.views.reading import is_fragment_request
from annotate.views.review import claim_added


def panel_context(article):
    cached = suggestions.suggestion_set(article)
    items = suggestions.open_suggestions(article, cached)
    worthy = [i for i in items if i["kind"] == "check-worthy"]
    problems = [i for i in items if i["kind"] == "inconsistency"]
    return {"article": article, "worthy": worthy, "problems": problems, "scored_by": suggestions.scored_by(cached)}


@require_GET
def suggestions_panel(request, pk):
    article = get_article_for_user(request.user, pk)
    return render(request, "annotate/_suggestions.html#suggestions-panel", panel_context(article))


def _removed(key):
    return rendering.oob_delete_html(f"suggestion-{key}")


@require_POST
def suggestion_accept(request, pk, key):
    article = get_article_for_user(request.user, pk)
    form = AcceptSuggestionForm(request.POST)
    error = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            claim = suggestions.accept(article, request.user, key, d["start"], d["end"], d["quote"])
        except services.Invalid as exc:
            error = exc.message
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    if error:
        return _refused(request, article, error)
    return claim_added(request, article, claim, extra_oob=_removed(key))


@require_POST
def suggestion_dismiss(request, pk, key):
    article = get_article_for_user(request.user, pk)
    try:
        suggestions.dismiss(article, request.user, key)
    except services.Invalid as exc:
        return _refused(request, article, exc.message)
    if not is_fragment_request(request):
        return HttpResponseRedirect(reverse("review", args=[article.pk]) + "#suggestions")
    # The row swaps itself out (hx-target is the row, outerHTML): an empty answer removes it.
    return trigger_client_event(HttpResponse(""), "announce", {"message": "Suggestion dismissed."})


def _refused(request, article, message):
    if is_fragment_request(request):
        response = HttpResponse(rendering.oob_error_html("suggestion-error", message), status=422)
        response["HX-Reswap"] = "none"
        return trigger_client_event(response, "announce", {"message": message})
    context = panel_context(article)
    context["suggestion_error"] = message
    return render(request, "annotate/_suggestions.html#suggestions-panel", context, status=422)
