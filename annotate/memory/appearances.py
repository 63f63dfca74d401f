"""Where else a claim was said: the confirmed matches, both ways, as schema.org CreativeWorks.

One query for a batch of claims. Used by ClaimReview (`itemReviewed.appearance`, and the
earliest as `firstAppearance`), the W3C export (a "linking" body to each matched
annotation) and the public page ("also said in …").
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from annotate.models import ClaimMatch, MatchDecision

_SIDE = ("id", "article_id", "article__title", "article__source_url", "article__publisher", "article__published_on", "claim_date", "created_at")


@dataclass(frozen=True)
class Appearance:
    claim_id: int
    article_id: int
    title: str
    url: str
    publisher: str
    published_on: object
    said_on: object  # when it was said: the article's date, else the claim's, else when it was recorded

    def work(self):
        return creative_work(self.title, self.url, self.publisher, self.published_on)


def creative_work(title, url, publisher, published_on):
    work = {"@type": "CreativeWork", "headline": title}
    if url:
        work["url"] = url
    if publisher:
        work["publisher"] = {"@type": "Organization", "name": publisher}
    if published_on:
        work["datePublished"] = published_on.isoformat()
    return work


def _appearance(values):
    pk, article_id, title, url, publisher, published_on, claim_date, created_at = values
    return Appearance(pk, article_id, title, url, publisher, published_on, published_on or claim_date or created_at.date())


def linked(claims):
    """{claim id: [Appearance of each confirmed match in another article, earliest first]} (one query)."""
    by_id = {c.pk: c for c in claims}
    if not by_id:
        return {}
    columns = [f"claim__{f}" for f in _SIDE] + [f"earlier__{f}" for f in _SIDE]
    rows = (
        ClaimMatch.objects.filter(decision=MatchDecision.CONFIRMED)
        .filter(Q(claim_id__in=by_id) | Q(earlier_id__in=by_id))
        .order_by("id")
        .values_list(*columns)
    )
    found = defaultdict(dict)
    n = len(_SIDE)
    for row in rows:
        later, earlier = _appearance(row[:n]), _appearance(row[n:])
        for me, other in ((later, earlier), (earlier, later)):
            claim = by_id.get(me.claim_id)
            if claim is not None and other.article_id != claim.article_id:
                found[me.claim_id].setdefault(other.article_id, other)
    return {pk: sorted(works.values(), key=lambda a: (a.said_on, a.claim_id)) for pk, works in found.items()}


def matched_ids(claim_ids):
    """{claim id: [ids of the claims confirmed as the same, either way]} (one query)."""
    ids = list(claim_ids)
    found = defaultdict(list)
    if not ids:
        return found
    wanted = set(ids)
    for later, earlier in (
        ClaimMatch.objects.filter(decision=MatchDecision.CONFIRMED)
        .filter(Q(claim_id__in=ids) | Q(earlier_id__in=ids))
        .order_by("id")
        .values_list("claim_id", "earlier_id")
    ):
        if later in wanted:
            found[later].append(earlier)
        if earlier in wanted:
            found[earlier].append(later)
    return found
