"""Hooks the integrity rules call when people must hear about a change.

`notify_changed_in_revision` is called (after commit) for every claim that a revision
of its article flagged "changed in revision": the text now says other words where the
claim's quote was, so a reviewer has to re-place it, accept the new wording (which
re-opens the verdict) or orphan it, and, for a published claim, editors must know the
public page shows wording the article no longer has. The history entry ("span_changed")
is written by the revision itself, in the same transaction, whatever this hook does.
"""

from django.db.models import prefetch_related_objects

from annotate import notify
from annotate.models import Membership, Notification, Role, Status


def notify_changed_in_revision(claims, actor=None):
    """Tell the project's editors and each claim's assignees that a revision changed its wording.

    `claims` are the claims one revision flagged (one article, so one project): a fixed
    number of statements however many there are (the editors, the assignees, one insert).
    """
    claims = list(claims)
    if not claims:
        return []
    editors = [
        m.user
        for m in Membership.objects.filter(project_id=claims[0].project_id, role__in=[Role.EDITOR, Role.ADMIN]).select_related("user")
    ]
    prefetch_related_objects(claims, "assignees")
    messages = []
    for claim in claims:
        people = {u.pk: u for u in [*editors, *claim.assignees.all()]}
        settled = " (published: the public page keeps the wording that was checked)" if claim.status == Status.PUBLISHED else ""
        text = f"A new revision of the article changed the words claim #{claim.pk} quotes{settled}; re-place it, accept the new wording or orphan it."
        messages.append((people.values(), claim, text))
    return notify.notify_many(messages, Notification.Kind.CHANGED, actor=actor)
