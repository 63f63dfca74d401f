"""schema.org ClaimReview for published claims: one builder for the API, exports and the public page.

Mapping (DESIGN.md): the rating label → `alternateName`, its ordinal → `ratingValue`,
the project's scale bounds → `bestRating` / `worstRating`. A rating outside the
order (Unverifiable) carries only `alternateName`, which Google's Fact Check tools accept.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe


def public_url(claim, request=None):
    path = reverse("public-article", args=[claim.project.slug, claim.article_id]) + f"#claim-{claim.pk}"
    if request is not None:
        return request.build_absolute_uri(path)
    return (settings.FACTMARK_PUBLIC_URL.rstrip("/") + path) if settings.FACTMARK_PUBLIC_URL else path


def scale_bounds(ratings):
    """(worst, best) ordinal of a scale, ignoring ratings without a value."""
    values = [r.value for r in ratings if r.value is not None]
    return (min(values), max(values)) if values else (None, None)


def claim_review(claim, *, url, bounds, organization=None, also=()):
    """The ClaimReview dict of one published claim.

    `claim` needs `project`, `article` and `final_rating` loaded (select_related);
    `bounds` is `scale_bounds(project ratings)`; `also` lists the claim's confirmed
    appearances elsewhere (annotate.memory.appearances): with any, `appearance` lists
    every article that said it and `firstAppearance` is the earliest.

    >>> claim_review(claim, url="https://example.org/f/desk/1/#claim-3", bounds=(1, 5))["reviewRating"]["alternateName"]
    'False'
    """
    rating = claim.final_rating
    review_rating = {"@type": "Rating", "alternateName": rating.label}
    if rating.value is not None and bounds[0] is not None:
        review_rating.update(ratingValue=rating.value, bestRating=bounds[1], worstRating=bounds[0])
    article = claim.article
    appearance = {"@type": "CreativeWork", "headline": article.title}
    if article.source_url:
        appearance["url"] = article.source_url
    if article.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.published_on:
        appearance["datePublished"] = article.published_on.isoformat()
    item = {"@type": "Claim", "appearance": appearance}
    if also:
        said_on = article.published_on or claim.claim_date or (claim.created_at.date() if claim.created_at else None)
        dated = sorted([(said_on, 0, appearance)] + [(a.said_on, i + 1, a.work()) for i, a in enumerate(also)],
                       key=lambda d: (d[0] is None, d[0] or 0, d[1]))
        item["appearance"] = [appearance] + [work for _, i, work in dated if i]
        item["firstAppearance"] = dated[0][2]
    if claim.claimant:
        item["author"] = {"@type": "Person", "name": claim.claimant}
    elif article.author:
        item["author"] = {"@type": "Person", "name": article.author}
    if claim.claim_date:
        item["datePublished"] = claim.claim_date.isoformat()
    published = claim.published_at or claim.approved_at
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": organization or settings.FACTMARK_ORGANIZATION},
        "reviewRating": review_rating,
        "reviewBody": claim.final_rationale,
    }
    if published:
        data["datePublished"] = published.date().isoformat()
    if claim.corrected_at:
        # A correction (annotate/corrections.py) keeps `url`; readers and Google see the change date.
        data["dateModified"] = claim.corrected_at.isoformat()
    return data


# Inside <script>, "</script>" or "<!--" in user text would end or confuse the block:
# escape <, > and & as JSON \u escapes (what Django's json_script does for application/json).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def jsonld_script(data):
    """A <script type="application/ld+json"> block safe for any user text inside `data`."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
