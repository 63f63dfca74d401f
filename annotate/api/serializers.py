"""Serializers: explicit fields, separate read and write shapes.

Claims and verdicts are read in bulk (10,000 claims of one article through the API), so
their read serializers only declare the shape for the schema: the database builds each
item as JSON text (annotate/sqljson.py). The schema test validates real responses
against these declarations, so they cannot drift.

Timestamps everywhere are ISO 8601 as Python's isoformat() writes them (annotate.exports.common.iso).
"""

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotate import limits
from annotate.exports.common import iso
from annotate.urltemplates import absolute_url_template
from annotate.models import Article, Claim, Evidence, Project, Rating, Source, Status, Verdict



def url_template(request, name):
    """Absolute URL of a detail route with "{}" in place of the id, for string formatting per row."""
    return absolute_url_template(request, name)


class _SelfURLField(serializers.Field):
    """The absolute API URL of the object itself."""

    def __init__(self, route, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("help_text", "This object in the API.")
        self.route = route
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        template = self.context.get(f"_url_{self.route}")
        if template is None:
            template = self.context[f"_url_{self.route}"] = url_template(self.context["request"], self.route)
        return template.format(instance.slug if isinstance(instance, Project) else instance.pk)


extend_schema_field({"type": "string", "format": "uri", "readOnly": True})(_SelfURLField)


class IsoDateTimeField(serializers.DateTimeField):
    """A timestamp as every API output writes it (annotate.exports.common.iso), "+00:00" for UTC."""

    def to_representation(self, value):
        return iso(self.enforce_timezone(value)) if value else None


class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, models.DateTimeField: IsoDateTimeField}


# --- read shapes ----------------------------------------------------------------------


class RatingSerializer(ModelSerializer):
    class Meta:
        model = Rating
        fields = ("id", "label", "value", "colour", "description", "position")


class RatingBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="Ordinal, higher is more accurate; null for a rating outside the order (Unverifiable).")


class ProjectSerializer(ModelSerializer):
    url = _SelfURLField("api:project-detail")
    role = serializers.ChoiceField(source="user_role", choices=("reviewer", "editor", "admin"), read_only=True, help_text="Your role in the project.")
    ratings = RatingSerializer(many=True, read_only=True, help_text="The rating scale, best first.")

    class Meta:
        model = Project
        fields = ("id", "url", "slug", "name", "description", "role", "ratings", "created_at")


class ArticleSerializer(ModelSerializer):
    url = _SelfURLField("api:article-detail")
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Article
        fields = ("id", "url", "project", "title", "source_url", "publisher", "author", "published_on", "revision", "content_hash", "created_at", "updated_at")


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.CharField(read_only=True, help_text="Plain text; claim offsets count its code points.")
    length = serializers.SerializerMethodField(help_text="Length of the body in code points.")

    class Meta(ArticleSerializer.Meta):
        fields = ArticleSerializer.Meta.fields + ("length", "body")

    def get_length(self, article) -> int:
        return len(article.body)


class SnapshotBriefSerializer(serializers.Serializer):
    """The source's latest snapshot (annotated on the row by the viewset: no query per source)."""

    id = serializers.IntegerField(help_text="Snapshot id.")
    sha256 = serializers.CharField(help_text="SHA-256 of the page's bytes as fetched.")
    fetched_at = serializers.DateTimeField()
    http_status = serializers.IntegerField(help_text="HTTP status of that fetch.")


class EvidenceBriefSerializer(ModelSerializer):
    snapshot = serializers.IntegerField(source="verified_snapshot_id", allow_null=True, read_only=True,
                                        help_text="The snapshot the excerpt was checked against.")  # fmt: skip

    class Meta:
        model = Evidence
        fields = ("id", "claim", "stance", "excerpt", "verification", "match_score", "verified_at", "snapshot")
        extra_kwargs = {
            "verification": {"help_text": "unchecked, found, close (a near match), not_found, or no_excerpt."},
            "match_score": {"help_text": "0-100: how closely the best passage of the snapshot matches the excerpt."},
        }


class SourceSerializer(ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    snapshot = serializers.SerializerMethodField(help_text="The latest snapshot, null before the first successful fetch.")
    evidence = EvidenceBriefSerializer(many=True, read_only=True, help_text="Claims citing this source, with the excerpt's verification.")

    class Meta:
        model = Source
        fields = ("id", "project", "url", "title", "publisher", "published_on", "archived_url", "created_at", "updated_at",
                  "check_state", "checked_at", "check_status", "check_error", "snapshot", "evidence")  # fmt: skip
        extra_kwargs = {
            "url": {"help_text": "The source's web address."},
            "check_state": {"help_text": "pending, ok, gone (4xx/5xx or unknown host at the last fetch), or failed."},
        }

    @extend_schema_field(SnapshotBriefSerializer(allow_null=True))
    def get_snapshot(self, source):
        if getattr(source, "snapshot_id", None) is None:
            return None
        return SnapshotBriefSerializer(
            {"id": source.snapshot_id, "sha256": source.snapshot_sha256, "fetched_at": source.snapshot_fetched_at,
             "http_status": source.snapshot_http_status}  # fmt: skip
        ).data


class SourceRecheckSerializer(serializers.Serializer):
    task = serializers.CharField(help_text="Id of the queued task.")
    task_status = serializers.CharField(help_text="READY when queued for the worker; SUCCESSFUL when it already ran.")
    source = SourceSerializer()


class ClaimSerializer(ModelSerializer):
    """A claim with its span. Declares the shape; the rows are built by the database (annotate/sqljson.py)."""

    url = _SelfURLField("api:claim-detail")
    project = serializers.CharField(read_only=True, help_text="Project slug.")
    article = serializers.IntegerField(read_only=True, help_text="Article id.")
    start = serializers.IntegerField(read_only=True, help_text="Start offset in the article body, in Unicode code points.")
    end = serializers.IntegerField(read_only=True, help_text="End offset (exclusive), in Unicode code points.")
    quote = serializers.CharField(read_only=True, help_text="The exact text between start and end.")
    prefix = serializers.CharField(read_only=True, help_text="Up to 32 characters before the quote, for re-anchoring.")
    suffix = serializers.CharField(read_only=True, help_text="Up to 32 characters after the quote.")
    orphaned = serializers.BooleanField(read_only=True, help_text="True when a revision of the text could not place the quote.")
    changed_in_revision = serializers.BooleanField(
        read_only=True, help_text="True when a revision left other words where the quote was (orphaned too): "
        "`quote` keeps the wording that was checked, `revised_quote` is the new text, until someone re-places, accepts or orphans it.")
    revised_quote = serializers.CharField(read_only=True, help_text="The article's new wording for a claim changed in revision; empty otherwise.")
    final_rating = RatingBriefSerializer(read_only=True, allow_null=True, help_text="The editor's final rating, null until settled.")
    approved_by = serializers.CharField(read_only=True, allow_null=True, help_text="Username of the editor who settled the final verdict.")
    created_by = serializers.CharField(read_only=True, allow_null=True, help_text="Username of the reviewer who created the claim.")
    assignees = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="Usernames of the members assigned to the claim, sorted.")

    class Meta:
        model = Claim
        fields = (
            "id", "url", "project", "article", "start", "end", "quote", "prefix", "suffix", "orphaned",
            "changed_in_revision", "revised_quote", "text", "claimant", "claim_date", "status", "final_rating", "final_rationale",
            "approved_by", "approved_at", "published_at", "assignees", "corrected_at", "version", "created_by", "created_at", "updated_at",
        )  # fmt: skip


class VerdictSerializer(ModelSerializer):
    """One reviewer's verdict. Declares the shape; the rows are built by the database (annotate/sqljson.py)."""

    url = _SelfURLField("api:verdict-detail")
    claim = serializers.IntegerField(read_only=True, help_text="Claim id.")
    project = serializers.CharField(read_only=True, help_text="Project slug.")
    article = serializers.IntegerField(read_only=True, help_text="Article id.")
    reviewer = serializers.CharField(read_only=True, help_text="Username of the reviewer.")
    rating = RatingBriefSerializer(read_only=True)

    class Meta:
        model = Verdict
        fields = ("id", "url", "claim", "project", "article", "reviewer", "rating", "rationale", "version", "created_at", "updated_at")


# --- write shapes ---------------------------------------------------------------------


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "A rating of the claim's project: its id or its label (case-insensitive)."})
class RatingRefField(serializers.Field):
    default_error_messages = {"invalid": "Give a rating id or a rating label."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("invalid")
        if isinstance(data, int):
            return data
        data = data.strip()
        if not data:
            self.fail("invalid")
        return int(data) if data.isdigit() else data

    def to_representation(self, value):
        return value


class ClaimCreateSerializer(serializers.Serializer):
    article = serializers.IntegerField(help_text="Id of the article the claim is in.")
    start = serializers.IntegerField(min_value=0, help_text="Start offset of the selection in the article body, in Unicode code points (or UTF-16 units with offsets=utf16).")
    end = serializers.IntegerField(min_value=0, help_text="End offset (exclusive), same unit as start.")
    quote = serializers.CharField(trim_whitespace=False, help_text="The exact selected text; it must match the body between start and end.")
    text = serializers.CharField(required=False, allow_blank=True, max_length=limits.CLAIM_TEXT, help_text="The claim as checked; defaults to the quote.")
    claimant = serializers.CharField(required=False, allow_blank=True, max_length=limits.CLAIMANT)
    claim_date = serializers.DateField(required=False, allow_null=True)
    offsets = serializers.ChoiceField(
        choices=("codepoints", "utf16"),
        default="codepoints",
        help_text="Unit of start/end: Unicode code points (Python, W3C TextPositionSelector) or UTF-16 code units (JavaScript).",
    )
    revision = serializers.IntegerField(
        required=False, min_value=1,
        help_text="The article revision the selection was made on (the article's `revision`). If the article has been "
        "revised since, nothing is saved and the answer is 409: fetch the article again and select anew.",
    )


class ClaimCreatedSerializer(serializers.Serializer):
    """The short answer to a new claim."""

    id = serializers.IntegerField()
    url = serializers.URLField()
    article = serializers.IntegerField()
    start = serializers.IntegerField(help_text="Code points.")
    end = serializers.IntegerField(help_text="Code points.")
    quote = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    version = serializers.IntegerField()
    revision = serializers.IntegerField(help_text="The article revision the span's offsets refer to.")


class ClaimUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you based the change on; a stale one gets 409 with the current claim.")
    text = serializers.CharField(required=False, max_length=limits.CLAIM_TEXT, help_text="The claim as checked.")
    claimant = serializers.CharField(required=False, allow_blank=True, max_length=limits.CLAIMANT)
    claim_date = serializers.DateField(required=False, allow_null=True)
    final_rating = RatingRefField(required=False, help_text="Editors: the final rating (id or label).")
    final_rationale = serializers.CharField(required=False, allow_blank=True, max_length=limits.RATIONALE, help_text="Editors: the rationale of the final verdict.")
    status = serializers.ChoiceField(choices=Status.choices, required=False, help_text="Editors: workflow status, along the lifecycle table only (409 otherwise); published needs a final verdict.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="Editors: why a published claim is unpublished (status approved); kept in the history.")
    correction_note = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="Editors: the public note of a correction to a published fact-check's final rating or rationale.")
    assignees = serializers.ListField(child=serializers.CharField(max_length=150), required=False, max_length=100, help_text="Editors: usernames of project members to assign (replaces the list).")


class VerdictCreateSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="Id of the claim.")
    rating = RatingRefField()
    rationale = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.RATIONALE)


class VerdictUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you based the change on; a stale one gets 409 with the current verdict.")
    rating = RatingRefField(required=False)
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=limits.RATIONALE)


class ArticleCreateSerializer(serializers.Serializer):
    project = serializers.SlugField(help_text="Slug of the project to import into.")
    url = serializers.URLField(required=False, help_text="A web page to fetch and extract; or give body or text.")
    body = serializers.CharField(required=False, trim_whitespace=False, help_text="The article text, with title given separately.")
    text = serializers.CharField(required=False, trim_whitespace=False, help_text="The whole document in `format`; plain text takes its title from the first line.")
    format = serializers.ChoiceField(choices=("text", "html", "markdown"), default="text", help_text="Format of `text`.")
    title = serializers.CharField(required=False, max_length=limits.TITLE)
    source_url = serializers.URLField(required=False, allow_blank=True, max_length=limits.URL, validators=[limits.web_url])
    publisher = serializers.CharField(required=False, allow_blank=True, max_length=limits.PUBLISHER)
    author = serializers.CharField(required=False, allow_blank=True, max_length=limits.AUTHOR)
    published_on = serializers.DateField(required=False, allow_null=True)

    def validate(self, data):
        given = [key for key in ("url", "body", "text") if data.get(key)]
        if len(given) != 1:
            raise serializers.ValidationError("Give exactly one of url, body (with title) or text.")
        if data.get("body") and not data.get("title"):
            raise serializers.ValidationError({"title": ["A title is needed with body (or send the whole document as text)."]})
        return data


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ClaimConflictSerializer(ConflictSerializer):
    current = ClaimSerializer(help_text="The claim as it is now.")


class VerdictConflictSerializer(ConflictSerializer):
    current = VerdictSerializer(allow_null=True, help_text="The verdict as it is now (null when it was deleted).")


class ExistingArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    title = serializers.CharField()


class DuplicateArticleSerializer(ConflictSerializer):
    existing = ExistingArticleSerializer(help_text="The article already imported with this text.")
