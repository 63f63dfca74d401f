"""Desk memory: search documents, and links between claims that say the same thing.

`SearchDocument` rows are written by database triggers on PostgreSQL (migration
0007_memory_search), so every write path (services, admin, bulk updates, raw SQL) keeps
them current; on SQLite the table stays empty and search reads the tables themselves.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Now

from annotate.models.articles import Article
from annotate.models.claims import Claim
from annotate.models.projects import Project
from annotate.models.sources import Source


class SearchKind(models.TextChoices):
    CLAIM = "claim", "Claims"
    ARTICLE = "article", "Articles"
    SOURCE = "source", "Sources"


class SearchDocument(models.Model):
    """The weighted, unaccented tsvector of one claim, article or source (PostgreSQL only)."""

    kind = models.CharField(max_length=8, choices=SearchKind.choices)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The text-search configuration the vector was built with (the article's language).
    config = models.CharField(max_length=32, default="simple")
    vector = SearchVectorField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim"], condition=models.Q(kind="claim"), name="searchdoc_one_per_claim"),
            models.UniqueConstraint(fields=["article"], condition=models.Q(kind="article"), name="searchdoc_one_per_article"),
            models.UniqueConstraint(fields=["source"], condition=models.Q(kind="source"), name="searchdoc_one_per_source"),
            models.CheckConstraint(condition=models.Q(kind__in=["claim", "article", "source"]), name="searchdoc_kind_valid"),
        ]
        indexes = [models.Index(fields=["project", "kind", "config"], name="searchdoc_project_kind")]


class MatchDecision(models.TextChoices):
    CONFIRMED = "confirmed", "Same claim"
    DISMISSED = "dismissed", "Not the same"


class ClaimMatch(models.Model):
    """A reviewer's (or the auto-link threshold's) decision that `claim` repeats `earlier`, or does not.

    A dismissed pair is never suggested again; a confirmed one is an appearance of the
    earlier claim (ClaimReview `itemReviewed.appearance`, the public page's "also said in").
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matches")
    earlier = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="later_matches")
    decision = models.CharField(max_length=10, choices=MatchDecision.choices)
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    automatic = models.BooleanField(default=False, help_text="Linked by the project's auto-link threshold, not by a person.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["claim_id", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "earlier"], name="claim_match_once_per_pair"),
            models.CheckConstraint(condition=~models.Q(claim=models.F("earlier")), name="claim_match_not_itself"),
            models.CheckConstraint(condition=models.Q(decision__in=["confirmed", "dismissed"]), name="claim_match_decision_valid"),
        ]
        indexes = [models.Index(fields=["earlier", "decision"], name="claim_match_earlier")]

    def __str__(self):
        return f"{self.claim_id} {self.decision} {self.earlier_id}"
