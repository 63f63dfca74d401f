"""Corrections of published fact-checks.

A published fact-check is never silently rewritten: changing its final rating or
rationale keeps its public URL and ClaimReview `url`, records a Correction (when, who,
the old and new wording, a public note), stamps `Claim.corrected_at` (ClaimReview
`dateModified`, the feeds' "Corrected" entries) and writes a "corrected" history entry
that keeps the old wording. Called by services.settle_claim on a published claim.
"""

from django.db import transaction
from django.utils import timezone

from annotate.models import Claim, Correction, HistoryAction, HistoryEntry
from annotate.writes import Invalid, locked_update


def correct(claim, user, version, rating, rationale, note, current):
    note = (note or "").strip()
    changes = {}
    if claim.final_rating_id != rating.pk:
        old = claim.final_rating.label if claim.final_rating_id else ""
        changes["rating"] = [old, rating.label]
    if claim.final_rationale != rationale:
        changes["rationale"] = [claim.final_rationale, rationale]
    if not changes:
        raise Invalid("The final verdict is unchanged: there is nothing to correct.", field="final_rationale")
    if not note:
        raise Invalid(
            "This fact-check is published: write a public correction note saying what changed and why.",
            field="correction_note",
        )
    now = timezone.now()
    with transaction.atomic():
        locked_update(
            Claim, claim.pk, version,
            {"final_rating": rating, "final_rationale": rationale, "corrected_at": now},
            current,
        )  # fmt: skip
        Correction.objects.create(claim_id=claim.pk, corrected_by=user, changes=changes, note=note, created_at=now)
        HistoryEntry.objects.create(claim_id=claim.pk, actor=user, action=HistoryAction.CORRECTED, changes={**changes, "note": note})
    claim.refresh_from_db()
    return claim


def corrections_by_claim(claim_ids):
    """{claim id: [Correction, …] oldest first}: one query for a public page."""
    grouped, ids = {}, list(claim_ids)
    if not ids:
        return grouped
    for correction in Correction.objects.filter(claim_id__in=ids).order_by("created_at", "id"):
        grouped.setdefault(correction.claim_id, []).append(correction)
    return grouped
