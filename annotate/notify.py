"""Notifications: one plain function other features call, `notify(users, kind, claim, text)`.

A notification is a row the header's bell counts and the notifications page lists; when
the user has an e-mail address it also goes out through Django's mail settings (console
backend in development, locmem in tests), after the transaction commits so a rolled-back
change sends nothing. The person who caused it is never notified of their own action.
"""

import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from annotate.compiled import Compiled
from annotate.models import Claim, Membership, Notification, Role, Verdict

# Django's usernames: letters, digits and @ . + - _ ; a trailing dot is punctuation.
MENTION_RE = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")


def notify(users, kind, claim, text, *, actor=None, project=None):
    """Notify each of `users` (except `actor`) about `claim` (or `project` when no claim)."""
    return notify_many([(users, claim, text)], kind, actor=actor, project=project)


def notify_many(messages, kind, *, actor=None, project=None):
    """`notify` for several (users, claim, text) at once: one INSERT, mail after commit."""
    rows, mails = [], []
    for users, claim, text in messages:
        project_id = claim.project_id if claim is not None else project.pk
        recipients = {u.pk: u for u in users if u is not None and (actor is None or u.pk != actor.pk)}
        rows.extend(Notification(user=u, project_id=project_id, claim=claim, actor=actor, kind=kind, text=text) for u in recipients.values())
        link = reverse("claim-detail", args=[claim.pk]) if claim is not None else reverse("notifications")
        mails.extend((u.email, text, link) for u in recipients.values() if u.email)
    if not rows:
        return []
    rows = Notification.objects.bulk_create(rows)
    if mails:
        transaction.on_commit(lambda: _send(mails))
    return rows


def _send(mails):
    base = getattr(settings, "FACTMARK_PUBLIC_URL", "") or ""
    for address, text, link in mails:
        send_mail(f"[Factmark] {text[:120]}", f"{text}\n\n{base}{link}\n", None, [address], fail_silently=True)


def mentioned_usernames(text):
    """The @usernames in a comment, in order, without duplicates.

    >>> mentioned_usernames("@editor can you look? cc @alice.")
    ['editor', 'alice']
    """
    names = (m.rstrip(".") for m in MENTION_RE.findall(text or ""))
    return list(dict.fromkeys(n for n in names if n))


def mentions(comment, claim, author):
    """Notify the project members a comment @mentions; other names match nobody."""
    names = mentioned_usernames(comment.text)
    if not names:
        return []
    members = [
        m.user for m in Membership.objects.filter(project_id=claim.project_id, user__username__in=names).select_related("user")
    ]
    return notify(members, Notification.Kind.MENTION, claim, f"{author.get_username()} mentioned you on claim #{claim.pk}: {comment.text[:200]}", actor=author)


# Called on every first verdict: compiled once (annotate/compiled.py), one statement.
_VERDICT_IDS = Compiled(lambda claim_id: Verdict.objects.filter(claim_id=claim_id).order_by().values_list("id"))


def verdict_given(claim, reviewer):
    """When a claim reaches its project's required verdicts, tell the project's editors."""
    from annotate.models import Project

    if Claim.project.is_cached(claim):  # annotate.access loads the project with the claim
        required = claim.project.required_verdicts or 1
    else:
        required = Project.objects.filter(pk=claim.project_id).values_list("required_verdicts", flat=True).first() or 1
    if len(_VERDICT_IDS(claim.pk)) != required:
        return []
    editors = [
        m.user
        for m in Membership.objects.filter(project_id=claim.project_id, role__in=[Role.EDITOR, Role.ADMIN]).select_related("user")
    ]
    text = f"Claim #{claim.pk} has its {required} verdict{'s' if required != 1 else ''} and is ready for a final verdict."
    return notify(editors, Notification.Kind.READY, claim, text, actor=reviewer)
