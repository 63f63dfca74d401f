from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from annotate import limits
from annotate.models.claims import Claim
from annotate.models.projects import Project


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


class CheckState(models.TextChoices):
    """Where the source's page stands after the last fetch (snapshot or re-check)."""

    PENDING = "pending", "Not fetched yet"
    OK = "ok", "Fetched"
    GONE = "gone", "Page gone"  # 4xx/5xx or an unknown host: flagged on its evidence
    FAILED = "failed", "Could not fetch"  # refused, too slow, too big, not a page: says nothing about the page


class Source(models.Model):
    """A source document, shared by the claims of one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=limits.URL, validators=[limits.web_url])
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    archived_url = models.URLField(max_length=limits.URL, blank=True, validators=[limits.web_url])
    # Set by the snapshot / re-check tasks (annotate/snapshots.py).
    check_state = models.CharField(max_length=10, choices=CheckState.choices, default=CheckState.PENDING)
    checked_at = models.DateTimeField(null=True, blank=True)
    check_status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="HTTP status of the last fetch.")
    check_error = models.CharField(max_length=500, blank=True)
    archive_requested_at = models.DateTimeField(null=True, blank=True)
    archive_error = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["project_id", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "url"], name="source_unique_url_per_project"),
            # Only web addresses: javascript:, data: and file: never get stored.
            models.CheckConstraint(condition=models.Q(url__regex=r"^https?://"), name="source_url_http"),
        ]

    def __str__(self):
        return self.title or self.url


class Snapshot(models.Model):
    """What a source's page said when it was fetched: its main text, never its HTML.

    A new row only when the bytes changed (same SHA-256: the re-check updates the source's
    checked_at and nothing else).
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    fetched_at = models.DateTimeField(db_default=Now())
    final_url = models.URLField(max_length=2000)
    http_status = models.PositiveSmallIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField()
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["source_id", "-fetched_at", "-id"]
        indexes = [
            # The latest snapshot of a source (verification, the snapshot page, the API).
            models.Index(fields=["source", "-fetched_at"], name="snapshot_source_fetched"),
        ]

    def __str__(self):
        return f"snapshot {self.sha256[:12]} of source {self.source_id}"


class Verification(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    FOUND = "found", "Found on the page"
    CLOSE = "close", "Close match"
    NOT_FOUND = "not_found", "Not found on the page"
    NO_EXCERPT = "no_excerpt", "No excerpt"


class Evidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    excerpt = models.TextField(blank=True, validators=[limits.max_length(limits.EXCERPT)])
    note = models.TextField(blank=True, validators=[limits.max_length(limits.NOTE)])
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_default=Now())
    # The excerpt searched in the source's latest snapshot (annotate/verify.py).
    verification = models.CharField(max_length=10, choices=Verification.choices, default=Verification.UNCHECKED)
    verified_snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    match_start = models.PositiveIntegerField(null=True, blank=True, help_text="Offsets of the match in the snapshot text.")
    match_end = models.PositiveIntegerField(null=True, blank=True)
    match_score = models.FloatField(null=True, blank=True)
    # The passage found (kept so the panel can show the difference without loading the snapshot).
    matched_text = models.TextField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claim_id", "created_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="evidence_one_per_claim_source"),
            models.CheckConstraint(condition=models.Q(stance__in=Stance.values), name="evidence_stance_valid"),
            models.CheckConstraint(condition=models.Q(verification__in=Verification.values), name="evidence_verification_valid"),
        ]
        indexes = [
            # The editor queue's "unverified excerpt" mark: evidence not found / close per claim.
            models.Index(fields=["claim", "verification"], name="evidence_claim_verification"),
        ]

    def __str__(self):
        return f"{self.source} {self.stance} claim {self.claim_id}"
