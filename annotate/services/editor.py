"""The editor's writes: the final verdict, status changes (publishing), and change_claim,
the one service for several changes to a claim at once.
"""


from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from annotate import lifecycle
from annotate.models import (
    Claim,
    HistoryAction,
    HistoryEntry,
    Status,
)
from annotate.services.claims import CLAIM_EDITABLE, rating_in_project, update_claim
from annotate.services.workflow import set_assignees
from annotate.writes import Conflict, Invalid, locked_update, role_of

# --- editor: final verdict, status, publishing ---------------------------------


def _check_version(claim, version, current):
    if claim.version != version:
        raise Conflict(current())


def settle_claim(claim, user, version, rating, rationale, note=""):
    """Record the editor's final verdict: status approved, who and when.

    On a published fact-check this is a correction (annotate.corrections): same URL, a
    Correction record with the old and new wording and a public `note`.
    """
    rating = rating_in_project(rating, claim.project_id)
    rationale = (rationale or "").strip()
    if not rationale:
        raise Invalid("Write the rationale for the final verdict.", field="final_rationale")
    current = lambda: Claim.objects.select_related("final_rating").get(pk=claim.pk)  # noqa: E731
    role = role_of(claim, user)
    if claim.status == Status.PUBLISHED:
        from annotate import corrections

        _check_version(claim, version, current)
        lifecycle.check(claim.status, Status.PUBLISHED, role, has_final=True)
        return corrections.correct(claim, user, version, rating, rationale, note, current)
    if claim.status == Status.APPROVED:
        if not lifecycle.may(role, lifecycle.find(Status.APPROVED, Status.PUBLISHED)):
            raise PermissionDenied("Only a project editor may settle a final verdict.")
    else:
        lifecycle.check(claim.status, Status.APPROVED, role, has_final=True)
    now = timezone.now()
    with transaction.atomic():
        locked_update(
            Claim,
            claim.pk,
            version,
            {"final_rating": rating, "final_rationale": rationale, "approved_by": user, "approved_at": now, "status": Status.APPROVED},
            current,
        )
        HistoryEntry.objects.create(claim_id=claim.pk, actor=user, action=HistoryAction.FINAL_VERDICT, changes={"rating": rating.label, "rationale": rationale})
    claim.refresh_from_db()
    return claim


def set_status(claim, user, version, status, reason="", via=None):
    """Move a claim along annotate.lifecycle's table; anything else is refused, nothing changed.

    Raises Invalid (unknown status, no final verdict, no reason), lifecycle.NotAllowed
    (no such move from here), PermissionDenied (role too low) or Conflict (stale version).
    """
    if status not in Status.values:
        raise Invalid("Unknown status.", field="status")
    _check_version(claim, version, lambda: Claim.objects.get(pk=claim.pk))
    transition = lifecycle.check(
        claim.status, status, role_of(claim, user), has_final=claim.final_rating_id is not None, reason=reason, via=via
    )
    values = {"status": status}
    if status == Status.PUBLISHED:
        values["published_at"] = claim.published_at or timezone.now()
    elif claim.status == Status.PUBLISHED:
        values["published_at"] = None
    changes = {"status": [claim.status, status]}
    if transition.needs_reason:
        changes["reason"] = reason.strip()
    with transaction.atomic():
        locked_update(Claim, claim.pk, version, values, lambda: Claim.objects.get(pk=claim.pk))
        HistoryEntry.objects.create(claim_id=claim.pk, actor=user, action=HistoryAction.STATUS_CHANGED, changes=changes)
    claim.refresh_from_db()
    return claim


def change_claim(claim, user, version, changes):
    """Several changes to one claim (wording, final verdict, status, assignees), applied
    together or not at all, all based on the version the user saw.

    `changes` holds any of CLAIM_EDITABLE, final_rating (a rating, id or label),
    final_rationale, correction_note, status, reason and assignees. Each step bumps the
    version and the next is based on it, in one transaction. Raises Conflict on a stale
    version, Invalid (the final rating's problems named "final_rating"), lifecycle.NotAllowed
    or PermissionDenied; nothing is changed then.
    """
    if claim.version != version:
        raise Conflict(claim)
    with transaction.atomic():
        edits = {key: changes[key] for key in CLAIM_EDITABLE if key in changes}
        if edits:
            claim = update_claim(claim, user, version, **edits)
            version = claim.version
        if "final_rating" in changes or "final_rationale" in changes:
            ref = changes.get("final_rating", claim.final_rating_id)
            if ref is None:
                raise Invalid("Pick the final rating.", field="final_rating")
            try:
                claim = settle_claim(claim, user, version, ref, changes.get("final_rationale", claim.final_rationale),
                                     note=changes.get("correction_note", ""))
            except Invalid as exc:
                # The other services name the rating "rating"; among a claim's fields it is "final_rating".
                raise Invalid(exc.message, field="final_rating" if exc.field == "rating" else exc.field) from None
            version = claim.version
        if "status" in changes and changes["status"] != claim.status:
            claim = set_status(claim, user, version, changes["status"], reason=changes.get("reason", ""))
            version = claim.version
        if "assignees" in changes:
            claim = set_assignees(claim, user, version, changes["assignees"])
    return claim


def publish(claim, user, version):
    return set_status(claim, user, version, Status.PUBLISHED)


def unpublish(claim, user, version, reason):
    """Take a fact-check off the public page on purpose: the reason is kept in the history."""
    return set_status(claim, user, version, Status.APPROVED, reason=reason)
