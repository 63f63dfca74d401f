"""Write paths for a project's own set-up: its rating scale and its members.

The fact-checking writes (claims, verdicts, sources) are in the other services modules; these follow
the same rules: one transaction each, `Invalid` with a message for a refused change.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError

from annotate.models import Claim, Membership, Rating, Role, Verdict
from annotate.services.workflow import record_event
from annotate.writes import Invalid

RATING_FIELDS = ("label", "value", "colour", "description")


def save_rating(rating, project, actor):
    """Add `rating` (unsaved, checked by RatingForm) at the end of the scale, or save its edit,
    with the project's history line in the same transaction. A label or value that another
    change made clash in the meantime is an Invalid; nothing is saved then."""
    adding = rating._state.adding
    old = {} if adding else Rating.objects.filter(pk=rating.pk).values(*RATING_FIELDS).first() or {}
    rating.project = project
    try:
        with transaction.atomic():
            if adding:
                last = Rating.objects.filter(project=project).aggregate(last=Max("position"))["last"]
                rating.position = 0 if last is None else last + 1
            rating.save()
            if adding:
                record_event(project, actor, "rating_added", {"label": rating.label, "value": rating.value, "colour": rating.colour})
            else:
                changes = {f: [old[f], getattr(rating, f)] for f in RATING_FIELDS if old.get(f) != getattr(rating, f)}
                if changes:
                    record_event(project, actor, "rating_changed", {"rating": old["label"], **changes})
    except IntegrityError:
        raise Invalid("Another rating on the scale has this label or value now. Reload the page and try again.") from None
    return rating


def set_match_thresholds(project, actor, suggest, autolink):
    """Desk memory's two thresholds (checked by ThresholdsForm: suggest ≤ auto-link), with the
    project's history line in the same transaction."""
    with transaction.atomic():
        # From the row, not `project`: a ModelForm has already put the new values on its instance.
        rows = type(project).objects.select_for_update().filter(pk=project.pk)
        old_suggest, old_autolink = rows.values_list("match_suggest", "match_autolink").get()
        changes = {}
        if old_suggest != suggest:
            changes["suggest from"] = [old_suggest, suggest]
        if old_autolink != autolink:
            changes["link without asking from"] = [old_autolink, autolink]
        if changes:
            rows.update(match_suggest=suggest, match_autolink=autolink)
            record_event(project, actor, "thresholds_changed", changes)
    project.match_suggest, project.match_autolink = suggest, autolink
    return project


def add_member(project, actor, user, role):
    """Make `user` a member with `role`, with the project's history line in the same transaction."""
    try:
        with transaction.atomic():
            membership = Membership.objects.create(project=project, user=user, role=role)
            record_event(project, actor, "member_added", {"member": user.get_username(), "role": role})
    except IntegrityError:
        raise Invalid(f"{user.get_username()} was added in the meantime.", field="username") from None
    return membership


def move_rating(rating, direction, actor=None):
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
        record_event(rating.project_id, actor, "rating_moved", {"rating": rating.label, "direction": direction})
    return True


def delete_rating(rating, actor=None):
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
        record_event(rating.project_id, actor, "rating_deleted", {"rating": rating.label})


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


def set_role(membership, role, actor=None):
    with transaction.atomic():
        admins = _admins_locked(membership.project_id)
        if role != Role.ADMIN and admins == [membership.pk]:
            raise Invalid(LAST_ADMIN, field="role")
        Membership.objects.filter(pk=membership.pk).update(role=role)
        if role != membership.role:
            record_event(membership.project_id, actor, "member_role_changed",
                         {"member": membership.user.get_username(), "role": [membership.role, role]})
    membership.role = role
    return membership


def remove_member(membership, actor=None):
    with transaction.atomic():
        admins = _admins_locked(membership.project_id)
        if admins == [membership.pk]:
            raise Invalid(LAST_ADMIN)
        membership.delete()
        record_event(membership.project_id, actor, "member_removed", {"member": membership.user.get_username(), "role": membership.role})
