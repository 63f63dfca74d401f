from django.contrib import admin
from django.db.models import URLField

from annotate import models

# A bare "example.org/x" typed into a URL field means https (Django 6's default).
HTTPS_URLS = {URLField: {"assume_scheme": "https"}}


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["user"]


class RatingInline(admin.TabularInline):
    model = models.Rating
    extra = 0


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, RatingInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role"]
    list_filter = ["role", "project"]
    list_select_related = ["user", "project"]
    autocomplete_fields = ["user", "project"]


@admin.register(models.Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["label", "project", "value", "position", "colour"]
    list_filter = ["project"]
    list_select_related = ["project"]


class RevisionInline(admin.TabularInline):
    model = models.ArticleRevision
    extra = 0
    fields = ["number", "title", "content_hash", "created_by", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(models.Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "project", "publisher", "revision", "created_at"]
    list_filter = ["project"]
    list_select_related = ["project"]
    search_fields = ["title", "source_url"]
    readonly_fields = ["content_hash", "revision", "created_at", "updated_at"]
    raw_id_fields = ["created_by"]
    inlines = [RevisionInline]


@admin.register(models.ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "number", "created_at"]
    list_select_related = ["article"]
    raw_id_fields = ["article", "created_by"]


@admin.register(models.Span)
class SpanAdmin(admin.ModelAdmin):
    list_display = ["quote", "article", "start", "end", "orphaned", "anchor_method"]
    list_filter = ["orphaned"]
    list_select_related = ["article"]
    raw_id_fields = ["article", "created_by"]
    search_fields = ["quote"]


class EvidenceInline(admin.TabularInline):
    model = models.Evidence
    extra = 0
    raw_id_fields = ["source", "added_by"]


@admin.register(models.Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["text", "project", "article", "status", "final_rating", "version", "updated_at"]
    list_filter = ["status", "project"]
    list_select_related = ["project", "article", "final_rating"]
    search_fields = ["text", "claimant"]
    raw_id_fields = ["article", "span", "created_by", "approved_by", "final_rating"]
    filter_horizontal = ["assignees"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [EvidenceInline]


@admin.register(models.Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["claim", "reviewer", "rating", "version", "updated_at"]
    list_select_related = ["claim", "reviewer", "rating"]
    raw_id_fields = ["claim", "reviewer", "rating"]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "url", "publisher", "project"]
    list_filter = ["project"]
    list_select_related = ["project"]
    search_fields = ["title", "url", "publisher"]
    raw_id_fields = ["created_by"]


@admin.register(models.Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["claim", "source", "stance", "added_by"]
    list_filter = ["stance"]
    list_select_related = ["claim", "source", "added_by"]
    raw_id_fields = ["claim", "source", "added_by"]


@admin.register(models.Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["claim", "author", "created_at"]
    list_select_related = ["claim", "author"]
    raw_id_fields = ["claim", "author"]


@admin.register(models.HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["claim", "action", "actor", "created_at"]
    list_filter = ["action"]
    list_select_related = ["claim", "actor"]
    raw_id_fields = ["claim", "verdict", "actor"]

    def has_change_permission(self, request, obj=None):
        return False  # history is a record, not something to edit

# The admin's login refuses an over-long name before authentication, as the site's does (forms/auth.py).
from annotate.forms.auth import AdminLoginForm  # noqa: E402

admin.site.login_form = AdminLoginForm


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens by their first characters only (they are stored hashed); revoke by deleting.
    New ones are made where the key can be shown once: the profile page or `create_token`."""

    list_display = ["prefix", "user", "created", "expires"]
    list_select_related = ["user"]
    search_fields = ["prefix", "user__username"]
    fields = ["prefix", "user", "created", "expires"]
    readonly_fields = ["prefix", "user", "created"]

    def has_add_permission(self, request):
        return False
