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


class Source(models.Model):
    """A source document, shared by the claims of one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=limits.URL, validators=[limits.web_url])
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    archived_url = models.URLField(max_length=limits.URL, blank=True, validators=[limits.web_url])
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


class Evidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    excerpt = models.TextField(blank=True, validators=[limits.max_length(limits.EXCERPT)])
    note = models.TextField(blank=True, validators=[limits.max_length(limits.NOTE)])
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["claim_id", "created_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="evidence_one_per_claim_source"),
            models.CheckConstraint(condition=models.Q(stance__in=Stance.values), name="evidence_stance_valid"),
        ]

    def __str__(self):
        return f"{self.source} {self.stance} claim {self.claim_id}"
