"""Claimants of a project, grouped by their normalised name, and one claimant's record."""

from collections import Counter

from django.db.models import Count, Max

from annotate.models import Claim

UNRATED = "Not settled yet"


def claimants(project):
    """(key, a name as written, number of claims), most claims first (one query)."""
    return list(
        Claim.objects.filter(project=project).exclude(claimant_key="")
        .values("claimant_key")
        .annotate(name=Max("claimant"), claims=Count("id"))
        .order_by("-claims", "claimant_key")
        .values_list("claimant_key", "name", "claims")
    )


def claimant(project, key):
    """Every claim attributed to the claimant with its verdict, the names they were written as,
    and a tally by final rating in scale order (two queries); None when there is none."""
    claims = list(
        Claim.objects.filter(project=project, claimant_key=key)
        .select_related("final_rating", "article")
        .only("id", "text", "claimant", "claim_date", "status", "published_at", "final_rating__label", "final_rating__colour",
              "final_rating__position", "article__id", "article__title", "project_id")
        .order_by("-id")
    )
    if not claims:
        return None
    counts = Counter(c.final_rating.label if c.final_rating else UNRATED for c in claims)
    scale = list(project.ratings.order_by("position", "id"))
    tally = [(r, counts[r.label]) for r in scale if counts[r.label]]
    names = sorted({c.claimant for c in claims})
    return {"key": key, "name": Counter(c.claimant for c in claims).most_common(1)[0][0], "names": names,
            "claims": claims, "tally": tally, "unrated": counts[UNRATED]}
