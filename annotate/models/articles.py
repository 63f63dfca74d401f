from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from annotate import limits
from annotate.models.projects import Project


class Article(models.Model):
    """An imported article; `body` is plain text, normalised once at import."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="articles")
    title = models.CharField(max_length=500)
    body = models.TextField()
    source_url = models.URLField(max_length=limits.URL, blank=True, validators=[limits.web_url])
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    revision = models.PositiveIntegerField(default=1)
    # ISO 639-1 code detected at import (annotate/memory/language.py): picks the text-search configuration.
    language = models.CharField(max_length=12, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Duplicate imports within a project are refused by the database too.
            models.UniqueConstraint(fields=["project", "content_hash"], name="article_unique_content_per_project"),
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="article_revision_positive"),
            models.CheckConstraint(condition=~models.Q(body=""), name="article_body_not_empty"),
        ]
        indexes = [
            # Article list of a project, newest first.
            models.Index(fields=["project", "-created_at"], name="article_project_created"),
            # API filter updated_since and cursor order.
            models.Index(fields=["updated_at", "id"], name="article_updated"),
        ]

    def __str__(self):
        return self.title


class ArticleRevision(models.Model):
    """The text of an article as it was at each revision, so nothing is lost on re-import."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    body = models.TextField()
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["article_id", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number")]

    def __str__(self):
        return f"{self.article_id} r{self.number}"


CHANGED_IN_REVISION = "changed"


class Span(models.Model):
    """A highlight: code-point offsets into the article body plus the quote that re-anchors it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    # Revision of the article text the offsets refer to.
    revision = models.PositiveIntegerField(default=1)
    # Set when a revision of the text could not place the quote; never deleted for it.
    orphaned = models.BooleanField(default=False)
    anchor_method = models.CharField(max_length=10, default="exact")
    # "Changed in revision" (anchor_method "changed", orphaned too, so it is highlighted
    # nowhere): the revision has only other words (or another sentence) where the quote
    # was. `quote` keeps the wording that was checked; these hold the candidate in the
    # current body until a person re-places, accepts the new wording or orphans it.
    revised_start = models.PositiveIntegerField(null=True, blank=True)
    revised_end = models.PositiveIntegerField(null=True, blank=True)
    revised_quote = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["article_id", "start", "-end", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__gte=0) & models.Q(start__lt=models.F("end")), name="span_start_before_end"),
            models.CheckConstraint(condition=~models.Q(quote=""), name="span_quote_not_empty"),
        ]
        indexes = [
            # The review page loads an article's spans in text order.
            models.Index(fields=["article", "start", "end"], name="span_article_start"),
        ]

    def __str__(self):
        return f"{self.quote[:40]} [{self.start}:{self.end}]"

    @property
    def changed_in_revision(self):
        return self.anchor_method == CHANGED_IN_REVISION
