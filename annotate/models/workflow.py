"""A desk's workflow records: corrections of published fact-checks, notifications, and
the history of a project's own set-up (settings, rating scale, members, assignments).

Claim-level changes keep going to HistoryEntry (models/claims.py); ProjectEvent holds
what is not about one claim, so "who changed the scale" has an answer too.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from annotate.models.claims import Claim
from annotate.models.projects import Project


class Correction(models.Model):
    """A change to the final rating or rationale of a published fact-check.

    The claim keeps its public URL; the correction says when, who, what changed (old and
    new wording, in `changes`) and carries the public note readers see.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(help_text="Public: shown on the fact-check page as “Corrected on …”.")
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["claim_id", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(note=""), name="correction_note_not_empty")]
        indexes = [
            # The public page's "Corrected on …" lines of one claim, oldest first.
            models.Index(fields=["claim", "created_at"], name="correction_claim_created"),
        ]

    def __str__(self):
        return f"Correction of claim {self.claim_id} on {self.created_at:%Y-%m-%d}"


class Notification(models.Model):
    """Something a member should look at: a mention, an assignment, a claim ready for the editor."""

    class Kind(models.TextChoices):
        MENTION = "mention", "Mention"
        ASSIGNED = "assigned", "Assigned"
        READY = "ready", "Ready for the editor"
        CHANGED = "changed", "Changed in revision"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20)
    text = models.TextField()
    created_at = models.DateTimeField(db_default=Now())
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell's unread count and the notifications page, newest first.
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_user_unread"),
        ]

    def __str__(self):
        return f"{self.kind} for {self.user_id}: {self.text[:60]}"


class ProjectEvent(models.Model):
    """History of a project's set-up, written in the same transaction as the change."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["project_id", "-created_at", "-id"]
        indexes = [
            # The project's history page, newest first.
            models.Index(fields=["project", "-created_at"], name="projectevent_project_created"),
        ]

    def __str__(self):
        return f"{self.action} by {self.actor_id} in project {self.project_id}"
