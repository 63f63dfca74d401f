"""Hooks the integrity rules call when people must hear about a change.

`notify_changed_in_revision` is called (after commit) for every claim that a revision
of its article flagged "changed in revision": the text now says other words where the
claim's quote was, so a reviewer has to re-place it, accept the new wording (which
re-opens the verdict) or orphan it, and, for a published claim, editors must know the
public page shows wording the article no longer has. The history entry ("span_changed")
is written by the revision itself, in the same transaction, whatever this hook does.
"""

from annotate import notify
from annotate.models import Membership, Notification, Role, Status


def notify_changed_in_revision(claim, actor=None):
    """Tell the project's editors and the claim's assignees that a revision changed its wording."""
    editors = [
        m.user
        for m in Membership.objects.filter(project_id=claim.project_id, role__in=[Role.EDITOR, Role.ADMIN]).select_related("user")
    ]
    people = {u.pk: u for u in [*editors, *claim.assignees.all()]}
    settled = " (published: the public page keeps the wording that was checked)" if claim.status == Status.PUBLISHED else ""
    text = f"A new revision of the article changed the words claim #{claim.pk} quotes{settled}; re-place it, accept the new wording or orphan it."
    return notify.notify(people.values(), Notification.Kind.CHANGED, claim, text, actor=actor)
