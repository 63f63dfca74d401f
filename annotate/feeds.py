"""Feeds of a desk's fact-checks: RSS 2.0 and Atom (Django's syndication framework) and JSON Feed 1.1.

An entry is a published fact-check; it comes back to the top, marked "Corrected", when
the editor corrects it after publication (a Correction, annotate/corrections.py, which
stamps `Claim.corrected_at`). The entry keeps its id,
so readers update it rather than show it twice. Rationales are the editor's plain text:
they are HTML-escaped before they go into the feeds' HTML fields.

Query budget, fixed: the project, and the newest ITEMS fact-checks with article and rating.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import linebreaks
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from annotate.models import Claim, Project, Status

ITEMS = 50
MAX_AGE = 300


def feed_items(project, limit=ITEMS):
    """The newest published or corrected fact-checks, each with `.changed_at` and `.corrected`."""
    claims = list(
        Claim.objects.filter(project=project, status=Status.PUBLISHED)
        .select_related("article", "final_rating")
        .defer("article__body")
        # corrected_at, when set, is always after published_at.
        .annotate(changed_at=Coalesce(F("corrected_at"), F("published_at")))
        .order_by("-changed_at", "-id")[:limit]
    )
    for claim in claims:
        claim.project = project
        claim.corrected = claim.corrected_at is not None
    return claims


def item_path(claim):
    return reverse("public-article", args=[claim.project.slug, claim.article_id]) + f"#claim-{claim.pk}"


def item_title(claim):
    return ("Corrected: " if claim.corrected else "") + f"{claim.final_rating.label}: {claim.text}"


def item_text(claim):
    lines = []
    if claim.claimant:
        lines.append(f"Claimed by {claim.claimant}.")
    lines.append(f"Verdict: {claim.final_rating.label}.")
    if claim.final_rationale:
        lines.append(claim.final_rationale)
    return "\n\n".join(lines)


@method_decorator(cache_control(public=True, max_age=MAX_AGE), name="__call__")
class FactCheckRss(Feed):
    feed_type = Rss201rev2Feed
    login_required = False  # what login_not_required sets; LoginRequiredMiddleware reads it from the view

    def get_object(self, request, slug):
        return get_object_or_404(Project, slug=slug)

    def title(self, project):
        return f"{project.name}: fact-checks"

    def link(self, project):
        return reverse("public-index", args=[project.slug])

    def description(self, project):
        return f"Fact-checks published and corrected by {settings.FACTMARK_ORGANIZATION} ({project.name})."

    subtitle = description

    def items(self, project):
        return feed_items(project)

    def item_title(self, claim):
        return item_title(claim)

    def item_description(self, claim):
        return linebreaks(item_text(claim), autoescape=True)

    def item_link(self, claim):
        return item_path(claim)

    def item_pubdate(self, claim):
        return claim.published_at

    def item_updateddate(self, claim):
        return claim.changed_at

    def item_categories(self, claim):
        return [claim.final_rating.label] + (["Corrected"] if claim.corrected else [])

    def item_author_name(self, claim):
        return settings.FACTMARK_ORGANIZATION


class FactCheckAtom(FactCheckRss):
    feed_type = Atom1Feed


@login_not_required
@require_GET
@cache_control(public=True, max_age=MAX_AGE)
def json_feed(request, slug):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    project = get_object_or_404(Project, slug=slug)
    items = []
    for claim in feed_items(project):
        url = request.build_absolute_uri(item_path(claim))
        items.append({
            "id": url,
            "url": url,
            "title": item_title(claim),
            "content_text": item_text(claim),
            "date_published": claim.published_at.isoformat(),
            "date_modified": claim.changed_at.isoformat(),
            "tags": [claim.final_rating.label] + (["Corrected"] if claim.corrected else []),
        })
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{project.name}: fact-checks",
        "home_page_url": request.build_absolute_uri(reverse("public-index", args=[project.slug])),
        "feed_url": request.build_absolute_uri(reverse("public-feed-json", args=[project.slug])),
        "description": f"Fact-checks published and corrected by {settings.FACTMARK_ORGANIZATION} ({project.name}).",
        "authors": [{"name": settings.FACTMARK_ORGANIZATION}],
        "language": "en",
        "items": items,
    }
    return JsonResponse(data, content_type="application/feed+json", json_dumps_params={"ensure_ascii": False})
