"""Write paths for a project's own set-up: its rating scale and its members.

The fact-checking writes (claims, verdicts, sources) are in the other services modules; these follow
the same rules: one transaction each, `Invalid` with a message for a refused change.
"""

from django.db import transaction
from django.db.models import ProtectedError

from annotate.models import Claim, Membership, Rating, Role, Verdict
from annotate.writes import Invalid


def move_rating(rating, direction):
    """Swap a rating with its neighbour ("up" or "down"); returns False at either end of the scale."""
    with transaction.atomic():
        # Renumber the whole scale: positions may tie (bulk-created defaults, older data).
        scale = list(Rating.objects.select_for_update().filter(project_id=rating.project_id).order_by("position", "id"))
        index = next(i for i, r in enumerate(scale) if r.pk == rating.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(scale):
            return False
        scale[index], scale[other] = scale[other], scale[index]
        for position, r in enumerate(scale):
            r.position = position
        Rating.objects.bulk_update(scale, ["position"])
    return True


def delete_rating(rating):
    """Delete a rating nobody has used; raise Invalid with the reason otherwise."""
    with transaction.atomic():
        if Rating.objects.filter(project_id=rating.project_id).count() <= 1:
            raise Invalid("A scale needs at least one rating, so the last one cannot be deleted.")
        verdicts = Verdict.objects.filter(rating=rating).count()
        finals = Claim.objects.filter(final_rating=rating).count()
        if verdicts or finals:
            raise Invalid(_in_use_message(rating.label, verdicts, finals))
        try:
            rating.delete()
        except ProtectedError:
            # A verdict arrived between the check and the delete.
            raise Invalid(f"“{rating.label}” is in use, so it cannot be deleted. Rename it instead.") from None


def _in_use_message(label, verdicts, finals):
    uses = []
    if verdicts:
        uses.append(f"{verdicts} verdict{'s' if verdicts != 1 else ''}")
    if finals:
        uses.append(f"{finals} final verdict{'s' if finals != 1 else ''}")
    return f"“{label}” is used by {' and '.join(uses)}, so it cannot be deleted. Rename it instead, or change those verdicts first."


def _admins_locked(project_id):
    """Lock the project's admin memberships (in pk order, so concurrent changes queue, not deadlock)."""
    return list(
        Membership.objects.select_for_update().filter(project_id=project_id, role=Role.ADMIN).order_by("pk").values_list("pk", flat=True)
    )


LAST_ADMIN = "A project needs at least one admin: make someone else an admin first."


def set_role(membership, role):
    with transaction.atomic():
        admins = _admins_locked(membership.project_id)
        if role != Role.ADMIN and admins == [membership.pk]:
            raise Invalid(LAST_ADMIN, field="role")
        Membership.objects.filter(pk=membership.pk).update(role=role)
    membership.role = role
    return membership


def remove_member(membership):
    with transaction.atomic():
        admins = _admins_locked(membership.project_id)
        if admins == [membership.pk]:
            raise Invalid(LAST_ADMIN)
        membership.delete()
