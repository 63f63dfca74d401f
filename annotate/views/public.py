"""The public fact-check page: `/f/<project-slug>/<article-id>/`, no login.

Only published claims appear: their highlight, final rating, rationale and sources,
and one ClaimReview JSON-LD block each. Reviewers' verdicts, comments, history and
unpublished claims never reach this page. An article without a published claim is
404, so drafts do not leak (not even their titles).

Query budget, fixed whatever the number of claims: the article with its project,
the published claims with span and final rating, their evidence with sources, and
the scale's bounds.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from annotate import rendering
from annotate.claimreview import claim_review, public_url
from annotate.corrections import corrections_by_claim
from annotate.memory import appearances
from annotate.models import Article, Claim, Evidence, Rating, Status
from annotate.views.chrome import rating_styles

# Readers and crawlers may cache the page for a little while; an unpublished claim
# disappears from shared caches within this many seconds.
PUBLIC_MAX_AGE = 300


def published_claims(article):
    return list(
        Claim.objects.filter(article=article, status=Status.PUBLISHED)
        .select_related("span", "final_rating")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("source").order_by("stance", "created_at", "id")))
        .order_by("span__start", "-span__end", "id")
    )


@login_not_required
@require_GET
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def public_article(request, slug, article_id):
    article = get_object_or_404(Article.objects.select_related("project"), pk=article_id, project__slug=slug)
    claims = published_claims(article)
    if not claims:
        raise Http404("No published fact-check for this article.")
    project = article.project
    # The whole scale in one query: its bounds for ClaimReview, its colours for the legend.
    scale = list(Rating.objects.filter(project=project).order_by("position", "id"))
    values = [r.value for r in scale if r.value is not None]
    bounds = (min(values), max(values)) if values else (None, None)
    styles, scale_version = rating_styles(scale)
    # Only corrected claims have Correction rows: no query when none was corrected.
    corrected = corrections_by_claim(c.pk for c in claims if c.corrected_at)
    items = []
    also = appearances.linked(claims)  # desk memory: "also said in …" (one query)
    for claim in claims:
        claim.correction_list = corrected.get(claim.pk, [])
        # Already loaded: spare claim_review and public_url a query each.
        claim.project, claim.article = project, article
        elsewhere = also.get(claim.pk, ())
        items.append({"claim": claim, "also": elsewhere,
                      "review": claim_review(claim, url=public_url(claim, request), bounds=bounds, also=elsewhere),
                      "quote_differs": " ".join(claim.text.split()) != " ".join(claim.span.quote.split())})
    rows = [
        rendering.ClaimRow(c.pk, c.span.start, c.span.end, c.span.quote, c.span.orphaned, c.text, c.status,
                           final_rating_id=c.final_rating_id)
        for c in claims
    ]
    return render(
        request,
        "annotate/public_article.html",
        {
            "project": project,
            "article": article,
            "items": items,
            "article_html": rendering.article_html(article.body, rows),
            "organization": settings.FACTMARK_ORGANIZATION,
            "oembed_url": request.build_absolute_uri(reverse("oembed")),
            # The legend lists the ratings this page uses, in scale order.
            "scale": {"styles": [s for s in styles if s.key in {c.final_rating_id for c in claims}], "version": scale_version},
            "public": True,
        },
    )
