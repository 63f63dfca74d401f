from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from annotate.models.articles import Article
from annotate.models.claims import Claim
from annotate.models.projects import Project


class SuggestionModel(models.Model):
    """One trained version of a project's check-worthiness model: weights only (no pickle)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="suggestion_models")
    version = models.PositiveIntegerField()
    weights = models.BinaryField(help_text="learn.DeskModel.to_bytes(): numpy .npy arrays, loaded with allow_pickle=False.")
    label_count = models.PositiveIntegerField()
    positive_count = models.PositiveIntegerField()
    metrics = models.JSONField(default=dict, blank=True)
    trained_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["project_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="suggestion_model_unique_version")]

    def __str__(self):
        return f"{self.project_id} v{self.version} ({self.label_count} labels)"


class ArticleSuggestions(models.Model):
    """Suggestions of one revision of an article, computed once and kept (per model version)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestion_sets")
    revision = models.PositiveIntegerField()
    model_version = models.PositiveIntegerField(default=0, help_text="0: the rules alone.")
    scored_by = models.CharField(max_length=200, default="rules")
    items = models.JSONField(default=list)
    sentences = models.JSONField(default=list, help_text="Every sentence's offsets and rule features: the training rows.")
    computed_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "revision", "model_version"], name="article_suggestions_unique"),
        ]

    def __str__(self):
        return f"{self.article_id} r{self.revision} m{self.model_version}"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class SuggestionDecision(models.Model):
    """A reviewer accepted (made a claim of) or dismissed a suggestion; also a training label."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestion_decisions")
    key = models.CharField(max_length=24)
    kind = models.CharField(max_length=16)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    quote = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    revision = models.PositiveIntegerField()
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["article_id", "start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="suggestion_decision_once"),
            models.CheckConstraint(condition=models.Q(decision__in=Decision.values), name="suggestion_decision_valid"),
        ]

    def __str__(self):
        return f"{self.decision} {self.kind} {self.key} on {self.article_id}"
