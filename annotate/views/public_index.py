"""The public index of a desk's fact-checks (`/f/<slug>/`), its embeddable cards and oEmbed.

No login. Only published claims appear. The index lists them newest first with the
claim, claimant and final rating, filters by rating and claimant, and links to each
fact-check's page (which carries its ClaimReview JSON-LD; the index does not repeat it).
A desk with nothing published is 404, as its article pages are.

Query budget of the index, fixed: the project, its scale, the count and the page.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from annotate.forms.public import OEmbedForm, PublicIndexFilterForm
from annotate.models import Claim, Project, Status
from annotate.views.public import PUBLIC_MAX_AGE

PAGE_SIZE = 20
EMBED_WIDTH, EMBED_HEIGHT = 480, 280


def _published(project):
    return Claim.objects.filter(project=project, status=Status.PUBLISHED)


@login_not_required
@require_GET
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def public_index(request, slug):
    project = get_object_or_404(Project, slug=slug)
    ratings = list(project.ratings.all())
    form = PublicIndexFilterForm(request.GET, ratings=ratings)
    context = {"project": project, "form": form, "ratings": ratings, "organization": settings.FACTMARK_ORGANIZATION}
    if not form.is_valid():
        return render(request, "annotate/public_index.html", context | {"page": None}, status=400)
    claims = _published(project)
    filtered = False
    if form.cleaned_data.get("rating"):
        claims, filtered = claims.filter(final_rating_id=form.cleaned_data["rating"]), True
    if form.cleaned_data.get("claimant"):
        claims, filtered = claims.filter(claimant__iexact=form.cleaned_data["claimant"]), True
    claims = (
        claims.select_related("final_rating", "article")
        .only("id", "text", "claimant", "claim_date", "published_at", "article_id", "article__title", "article__publisher",
              "final_rating__label", "final_rating__colour", "final_rating__description")
        .order_by("-published_at", "-id")
    )
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    if page.paginator.count == 0 and (not filtered or not _published(project).exists()):
        raise Http404("No published fact-check in this project.")
    return render(request, "annotate/public_index.html", context | {"page": page, "filtered": filtered})


def _card_claim(slug, article_id, claim_id):
    return get_object_or_404(
        Claim.objects.select_related("project", "article", "final_rating").defer("article__body"),
        pk=claim_id, article_id=article_id, project__slug=slug, status=Status.PUBLISHED,
    )


@login_not_required
@require_GET
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def public_embed(request, slug, article_id, claim_id):
    """A small card for an <iframe>: framable only by the project's configured origins."""
    claim = _card_claim(slug, article_id, claim_id)
    response = render(request, "annotate/public_embed.html", {"claim": claim, "project": claim.project,
                                                              "organization": settings.FACTMARK_ORGANIZATION})
    origins = claim.project.frame_ancestors()
    if origins:
        # X-Frame-Options cannot name several origins; CSP frame-ancestors replaces it in every current browser.
        response._csp_replace = {"frame-ancestors": origins}
        response.xframe_options_exempt = True
    return response


def _claim_from_url(request, url):
    """The published claim an oEmbed `url` names: a fact-check page (#claim-N picks the claim) or a card."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.get_host().lower():
        raise Http404("Not a fact-check of this site.")
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise Http404("Not a fact-check of this site.") from None
    if match.url_name == "public-embed":
        return _card_claim(**match.kwargs)
    if match.url_name != "public-article":
        raise Http404("Not a fact-check page.")
    claims = Claim.objects.filter(project__slug=match.kwargs["slug"], article_id=match.kwargs["article_id"], status=Status.PUBLISHED)
    fragment = parts.fragment
    if fragment.startswith("claim-") and fragment[6:].isdigit():
        claims = claims.filter(pk=int(fragment[6:]))
    else:
        claims = claims.order_by("span__start", "id")  # the page's first claim
    claim = claims.select_related("project", "article", "final_rating").defer("article__body").first()
    if claim is None:
        raise Http404("No published fact-check at that address.")
    return claim


@login_not_required
@require_GET
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def oembed(request):
    """oEmbed 1.0 provider (https://oembed.com/): type "rich", an <iframe> of the card."""
    form = OEmbedForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": {k: [str(e) for e in v] for k, v in form.errors.items()}}, status=400)
    if form.cleaned_data["format"] != "json":
        # The spec's answer for a format the provider does not offer.
        return HttpResponse("Only format=json is offered.", status=501, content_type="text/plain; charset=utf-8")
    claim = _claim_from_url(request, form.cleaned_data["url"])
    width = min(EMBED_WIDTH, form.cleaned_data.get("maxwidth") or EMBED_WIDTH)
    height = min(EMBED_HEIGHT, form.cleaned_data.get("maxheight") or EMBED_HEIGHT)
    src = request.build_absolute_uri(reverse("public-embed", args=[claim.project.slug, claim.article_id, claim.pk]))
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="Fact-check: {}" loading="lazy" '
        'sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="strict-origin"></iframe>',
        src, width, height, claim.text,
    )
    return JsonResponse({
        "version": "1.0",
        "type": "rich",
        "title": claim.text,
        "author_name": settings.FACTMARK_ORGANIZATION,
        "provider_name": settings.FACTMARK_ORGANIZATION,
        "provider_url": request.build_absolute_uri(reverse("public-index", args=[claim.project.slug])),
        "cache_age": PUBLIC_MAX_AGE,
        "html": str(html),
        "width": width,
        "height": height,
    })
