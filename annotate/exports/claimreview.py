"""ClaimReview dicts for published claims, in batches: the dicts come from
`annotate.claimreview.claim_review`; this module loads the claims and the scale bounds."""

from collections import defaultdict


from annotate.claimreview import claim_review, public_url, scale_bounds
from annotate.memory import appearances
from annotate.models import Claim, Rating, Status

# --- ClaimReview ---------------------------------------------------------------------


def published_claims(queryset=None):
    """Published claims with what `claim_review` reads loaded in the same query (no article body)."""
    queryset = Claim.objects.all() if queryset is None else queryset
    return (
        queryset.filter(status=Status.PUBLISHED)
        .select_related("project", "article", "final_rating")
        .defer("article__body", "project__description", "final_rating__description")
    )


class BaseURL:
    """Stands in for a request in `claimreview.public_url` where there is none (the command)."""

    def __init__(self, base):
        self.base = base.rstrip("/")

    def build_absolute_uri(self, path):
        return self.base + path


def claim_reviews(claims, base):
    """ClaimReview dicts for a batch of claims from `published_claims()`: one more query (the scales)."""
    claims = list(claims)
    if not claims:
        return []
    scales = defaultdict(list)
    for rating in Rating.objects.filter(project_id__in={c.project_id for c in claims}).only("project_id", "value"):
        scales[rating.project_id].append(rating)
    where = BaseURL(base)
    also = appearances.linked(claims)  # desk memory: where else each claim was said (one query)
    return [claim_review(c, url=public_url(c, where), bounds=scale_bounds(scales[c.project_id]), also=also.get(c.pk, ())) for c in claims]
