"""Write paths of a desk's workflow: assignments, taking a claim, the project's workflow
settings, and the project's own history (ProjectEvent).

Same rules as the other services: one transaction each, history in it, `Invalid` for bad input
(nothing changed), `Conflict` for a stale version, PermissionDenied for a role too low.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Now

from annotate import lifecycle, notify
from annotate.models import ROLE_RANK, Claim, HistoryAction, HistoryEntry, Membership, Notification, Project, ProjectEvent, Role
from annotate.writes import Conflict, Invalid, role_of

MAX_REQUIRED_VERDICTS = 10


def record_event(project, actor, action, changes=None):
    """A line of the project's history; call inside the change's transaction."""
    return ProjectEvent.objects.create(project_id=project.pk if isinstance(project, Project) else project, actor=actor, action=action, changes=changes or {})


def _require(role, needed, message):
    if role is None or ROLE_RANK[Role(role)] < ROLE_RANK[Role(needed)]:
        raise PermissionDenied(message)


def project_members(project_id, usernames):
    """The members named (username -> user); Invalid naming anyone who is not a member."""
    wanted = list(dict.fromkeys(u.strip() for u in usernames if u and u.strip()))
    found = {
        m.user.get_username(): m.user
        for m in Membership.objects.filter(project_id=project_id, user__username__in=wanted).select_related("user")
    }
    missing = [u for u in wanted if u not in found]
    if missing:
        raise Invalid(f"Not a member of this project, so cannot be assigned: {', '.join(missing)}.", field="assignees")
    return [found[u] for u in wanted]


def set_assignees(claim, user, version, usernames):
    """Editors: the claim's assignees become exactly `usernames` (members only).

    `version` must be the current one (a stale page gets Conflict), but assigning does not
    bump it: who works on a claim is not its content, and the open final-verdict and
    status forms on the same page stay valid.
    """
    _require(role_of(claim, user), Role.EDITOR, "Only a project editor may assign claims; reviewers may take an unassigned one.")
    people = project_members(claim.project_id, usernames)
    with transaction.atomic():
        before = sorted(Claim.assignees.through.objects.filter(claim_id=claim.pk).values_list("user__username", flat=True))
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.version != version:
            raise Conflict(locked)
        Claim.objects.filter(pk=claim.pk).update(updated_at=Now())
        locked.assignees.set(people)
        after = sorted(p.get_username() for p in people)
        if before != after:
            HistoryEntry.objects.create(claim_id=claim.pk, actor=user, action=HistoryAction.ASSIGNED, changes={"assignees": [before, after]})
        added = [p for p in people if p.get_username() not in before]
        notify.notify(added, Notification.Kind.ASSIGNED, locked, f"{user.get_username()} assigned you claim #{claim.pk}: {claim.text[:160]}", actor=user)
    return locked


def take_claim(claim, user):
    """A reviewer takes an unassigned, unsettled claim for themselves."""
    _require(role_of(claim, user), Role.REVIEWER, "Only a project member may take a claim.")
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status in lifecycle.SETTLED:
            raise Invalid("This claim is settled: there is nothing left to take.")
        if locked.assignees.exists():
            raise Invalid("This claim is already assigned; ask an editor to add you.")
        locked.assignees.add(user)
        Claim.objects.filter(pk=claim.pk).update(updated_at=Now())
        HistoryEntry.objects.create(claim_id=claim.pk, actor=user, action=HistoryAction.TAKEN, changes={"assignees": [[], [user.get_username()]]})
    locked.refresh_from_db()
    return locked


def assign_article(article, user, usernames):
    """Editors: add `usernames` to every unsettled claim of an article at once. Returns how many claims."""
    _require(getattr(article, "user_role", None) or role_of(article, user), Role.EDITOR, "Only a project editor may assign claims.")
    people = project_members(article.project_id, usernames)
    if not people:
        raise Invalid("Pick at least one member to assign.", field="assignees")
    Through = Claim.assignees.through
    with transaction.atomic():
        claims = list(Claim.objects.select_for_update().filter(article_id=article.pk).exclude(status__in=lifecycle.SETTLED).values_list("pk", flat=True))
        have = set(Through.objects.filter(claim_id__in=claims).values_list("claim_id", "user_id"))
        new = [Through(claim_id=c, user_id=p.pk) for c in claims for p in people if (c, p.pk) not in have]
        Through.objects.bulk_create(new)
        touched = sorted({row.claim_id for row in new})
        Claim.objects.filter(pk__in=touched).update(updated_at=Now())
        names = sorted(p.get_username() for p in people)
        HistoryEntry.objects.bulk_create(
            HistoryEntry(claim_id=c, actor=user, action=HistoryAction.ASSIGNED, changes={"assignees": [[], names]}) for c in touched
        )
        record_event(article.project_id, user, "article_assigned", {"article": article.pk, "assignees": ", ".join(names), "claims": len(touched)})
        receivers = [p for p in people if any(row.user_id == p.pk for row in new)]
        notify.notify(receivers, Notification.Kind.ASSIGNED, None, f"{user.get_username()} assigned you the claims of “{article.title[:120]}”.", actor=user, project=article.project)
    return len(touched)


def update_settings(project, user, *, required_verdicts, blind_review):
    """Admins and editors: required verdicts (1–10) and blind review, recorded in the project's history."""
    _require(getattr(project, "user_role", None), Role.EDITOR, "Only a project editor may change the workflow settings.")
    if not isinstance(required_verdicts, int) or not 1 <= required_verdicts <= MAX_REQUIRED_VERDICTS:
        raise Invalid(f"Required verdicts must be a whole number from 1 to {MAX_REQUIRED_VERDICTS}.", field="required_verdicts")
    changes = {}
    if project.required_verdicts != required_verdicts:
        changes["required verdicts"] = [project.required_verdicts, required_verdicts]
    if project.blind_review != blind_review:
        changes["blind review"] = ["on" if project.blind_review else "off", "on" if blind_review else "off"]
    if not changes:
        return project
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(required_verdicts=required_verdicts, blind_review=blind_review)
        record_event(project, user, "settings_changed", changes)
    project.required_verdicts, project.blind_review = required_verdicts, blind_review
    return project
