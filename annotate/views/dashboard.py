"""The desk's dashboard: `/p/<slug>/dashboard/` and one CSV per chart.

Editors and admins see every chart; reviewers see their own open assignments and
verdicts this week (annotate.dashboard). Non-members get 404, and a reviewer asking
for an editor's chart's CSV gets 403 (annotate.access).

Query budget, fixed whatever the size of the project: the project with the user's
role, the scale, the articles of the filter, the write stamp and one cache read
(annotate.dashboard_cache); after a write, the refresh of the days it changed (three
statements in one transaction, annotate.dashboard_totals), one read of the partial
totals for five charts, time to publish, the workload, and the cache write. Each chart
is cached with its HTML, so the CSV and the page draw the very same numbers.
"""

import csv
import io
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils import timezone
from django.views.decorators.http import require_GET

from annotate import dashboard, dashboard_cache
from annotate.access import can, get_project_for_user
from annotate.exports.verdicts import neutralise
from annotate.forms.dashboard import DashboardFilterForm
from annotate.models import Article, Role


def _setup(request, slug):
    project = get_project_for_user(request.user, slug)
    editor = can(project, Role.EDITOR)
    ratings = list(project.ratings.all())
    articles = list(Article.objects.filter(project=project).order_by("title", "id").only("id", "title"))
    now = timezone.now()
    form = DashboardFilterForm(request.GET, articles=articles, today=now.date())
    return project, editor, ratings, form, now


def _charts(ctx, slugs=None, render=None, query=""):
    """[(Chart, html)] the user may see, from the cache while nothing they count changed."""
    return dashboard_cache.cached_charts(ctx, slugs or dashboard.visible(ctx.editor), dashboard.build, render, query)


def _filter_query(request):
    """The filter's own parameters, as given: what the CSV links carry and the cache varies on
    (other parameters would only multiply cache entries)."""
    return urlencode([(k, v) for k, v in request.GET.items() if k in DashboardFilterForm.base_fields])


def _renderer(project, query):
    def render(chart):
        return render_to_string("annotate/_chart.html", {"chart": chart, "project": project, "query": query})

    return render


@require_GET
def dashboard_page(request, slug):
    project, editor, ratings, form, now = _setup(request, slug)
    if not form.is_valid():
        return render(request, "annotate/dashboard.html", {"project": project, "form": form, "charts": [], "editor": editor}, status=400)
    ctx = dashboard.Context(project, form.filters(), ratings, request.user, editor, now)
    query = _filter_query(request)
    charts = _charts(ctx, render=_renderer(project, query), query=query)
    return render(
        request,
        "annotate/dashboard.html",
        {"project": project, "form": form, "filters": ctx.filters, "charts": [mark_safe(html) for _, html in charts],
         "editor": editor},
    )


@require_GET
def dashboard_csv(request, slug, chart):
    if chart not in dashboard.CHARTS:
        raise Http404("No such chart.")
    project, editor, ratings, form, now = _setup(request, slug)
    if chart not in dashboard.visible(editor):
        raise PermissionDenied("This chart needs the editor role in the project.")
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    ctx = dashboard.Context(project, form.filters(), ratings, request.user, editor, now)
    ((built, _),) = _charts(ctx, [chart], query=_filter_query(request))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(built.header())
    for row in built.rows():
        # Labels are typed by people (claimants, outlets): no formulas. Numbers stay as drawn.
        writer.writerow([neutralise(row[0]), *row[1:]])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    f = ctx.filters
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-{chart}-{f.start}-{f.end}.csv"'
    return response
