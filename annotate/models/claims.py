from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from annotate import limits
from annotate.models.articles import Article, Span
from annotate.models.projects import Project, Rating


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_REVIEW = "in_review", "In review"
    SECOND_OPINION = "needs_second_opinion", "Needs second opinion"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class Claim(models.Model):
    """A checkable statement resting on a span; edited under optimistic locking (`version`)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="claims")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    span = models.OneToOneField(Span, on_delete=models.PROTECT, related_name="claim")
    text = models.TextField(help_text="The claim as checked: an editable restatement of the quote.", validators=[limits.max_length(limits.CLAIM_TEXT)])
    claimant = models.CharField(max_length=limits.CLAIMANT, blank=True)
    # The claimant normalised (case, spacing, titles; annotate/memory/claimants.py): claimant pages group by it.
    claimant_key = models.CharField(max_length=limits.CLAIMANT, blank=True, default="", editable=False)
    claim_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.OPEN)
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="assigned_claims")
    final_rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    final_rationale = models.TextField(blank=True, validators=[limits.max_length(limits.RATIONALE)])
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # When the latest Correction of this published fact-check was made (ClaimReview dateModified).
    corrected_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["article_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="claim_status_valid"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="claim_version_positive"),
            # Approved and published claims carry a final verdict and who settled it.
            models.CheckConstraint(
                condition=~models.Q(status__in=[Status.APPROVED, Status.PUBLISHED])
                | (models.Q(final_rating__isnull=False) & models.Q(approved_at__isnull=False)),
                name="claim_settled_has_final_verdict",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.PUBLISHED) | models.Q(published_at__isnull=False),
                name="claim_published_has_date",
            ),
        ]
        indexes = [
            # Claims panel and API list of one article.
            models.Index(fields=["article", "id"], name="claim_article"),
            # Editor queue and API filters: a project's claims by status.
            models.Index(fields=["project", "status", "id"], name="claim_project_status"),
            # API updated_since filter.
            models.Index(fields=["updated_at", "id"], name="claim_updated"),
            # Claimant pages: a project's claims by normalised claimant.
            models.Index(fields=["project", "claimant_key"], name="claim_project_claimant"),
            # The dashboard's partial totals (annotate/dashboard_totals.py) recompute a day by
            # creation, publication (time to publish reads the index alone) and approval.
            models.Index(fields=["project", "created_at"], name="claim_project_created"),
            models.Index(fields=["project", "published_at"], include=["created_at", "article", "id"],
                         condition=models.Q(status="published"), name="claim_project_published"),
            models.Index(fields=["project", "approved_at"], name="claim_project_approved"),
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        # Desk memory: every save (admin included) keeps the normalised claimant current;
        # services.update_claim sets it too, since it writes with UPDATE.
        from annotate.memory.claimants import normalise_claimant

        self.claimant_key = normalise_claimant(self.claimant)
        super().save(*args, **kwargs)


class Verdict(models.Model):
    """One reviewer's rating of one claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField(blank=True, validators=[limits.max_length(limits.RATIONALE)])
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())
    # The claim's project, copied by the database (triggers of migration 0011) whatever the
    # INSERT or UPDATE says, so the dashboard finds a project's verdicts of a day by index.
    # Not set on an instance in memory: read it from the database.
    project_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["claim_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "reviewer"], name="verdict_one_per_reviewer_claim"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="verdict_version_positive"),
        ]
        indexes = [
            # API updated_since filter and the verdict export's order.
            models.Index(fields=["updated_at", "id"], name="verdict_updated"),
            # The dashboard's verdicts this week (workload), whatever the size of the table.
            models.Index(fields=["created_at"], name="verdict_created"),
            # A project's verdicts of a day (the dashboard's partial totals and this week's workload).
            models.Index(fields=["project_id", "created_at"], name="verdict_project_created"),
        ]

    def __str__(self):
        return f"{self.reviewer} on claim {self.claim_id}: {self.rating}"


class Comment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(validators=[limits.max_length(limits.COMMENT)])
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["claim_id", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="comment_text_not_empty")]

    def __str__(self):
        return self.text[:60]


class HistoryAction(StrEnum):
    """Every HistoryEntry.action value: what services write and rendering.describe_history
    (with workflow_text and sources_history) puts into words. A StrEnum, not field choices,
    so the column and its migrations stay as they are; members compare equal to the stored strings."""

    CLAIM_CREATED = "claim_created"
    CLAIM_EDITED = "claim_edited"
    VERDICT_CREATED = "verdict_created"
    VERDICT_CHANGED = "verdict_changed"
    SOURCE_ADDED = "source_added"
    STATUS_CHANGED = "status_changed"
    FINAL_VERDICT = "final_verdict"
    CORRECTED = "corrected"
    ASSIGNED = "assigned"
    TAKEN = "taken"
    SPAN_ORPHANED = "span_orphaned"
    SPAN_CHANGED = "span_changed"
    SPAN_MOVED = "span_moved"
    SPAN_REPLACED = "span_replaced"
    WORDING_ACCEPTED = "wording_accepted"
    MATCH_CONFIRMED = "match_confirmed"
    MATCH_DISMISSED = "match_dismissed"
    SOURCE_ARCHIVED = "source_archived"
    SOURCE_EXCERPT_CHECKED = "source_excerpt_checked"
    SOURCE_GONE = "source_gone"
    SOURCE_BACK = "source_back"


class HistoryEntry(models.Model):
    """Who changed what on a claim or verdict, written in the same transaction as the change."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="history")
    verdict = models.ForeignKey(Verdict, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["claim_id", "-created_at", "-id"]
        verbose_name_plural = "history entries"
        indexes = [
            # The history tab of a claim, newest first.
            models.Index(fields=["claim", "-created_at"], name="history_claim_created"),
        ]

    def __str__(self):
        return f"{self.action} by {self.actor_id} on claim {self.claim_id}"
