"""POST /api/v1/articles/{id}/revisions/: store a new text of an article, as the import page's "new version of".

The text is cleaned as at import, every span is re-anchored (services.revise_article:
a span moves only onto its own words; others are flagged "changed in revision" or
orphaned), and the answer gives the counts. An article with approved or published
claims takes an editor (access.check_settled_change): a new text can change what a
settled fact-check quotes.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate import extract, services
from annotate.importing import Parts, read_parts
from annotate.access import check_settled_change, get_article_for_user
from annotate.api.views import invalid


class RevisionCreateSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, trim_whitespace=False, help_text="The new article text (cleaned as at import).")
    text = serializers.CharField(required=False, trim_whitespace=False, help_text="Or the whole new document in `format`.")
    format = serializers.ChoiceField(choices=("text", "html", "markdown"), default="text")
    title = serializers.CharField(required=False, max_length=500, help_text="A new title; the old one stays if not given.")
    revision = serializers.IntegerField(required=False, min_value=1, help_text="The revision this text replaces; an older one than the article's is refused with 409.")

    def validate(self, data):
        if len([key for key in ("body", "text") if data.get(key)]) != 1:
            raise serializers.ValidationError("Give exactly one of body or text.")
        return data


class RevisionResultSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    revision = serializers.IntegerField()
    placed = serializers.IntegerField(help_text="Spans on their own words in the new text.")
    moved = serializers.IntegerField(help_text="Of those, spans whose offsets changed.")
    changed = serializers.IntegerField(help_text="Spans flagged changed in revision: other words where their quote was.")
    orphaned = serializers.IntegerField(help_text="Spans newly without a place in the text.")


class ArticleRevisions(APIView):
    @extend_schema(
        summary="Store a new revision of an article's text",
        request=RevisionCreateSerializer,
        responses={
            201: RevisionResultSerializer,
            400: OpenApiResponse(description="Invalid input; nothing was changed."),
            403: OpenApiResponse(description="The article has approved or published claims and you are not an editor."),
            404: OpenApiResponse(description="Not found, or not in one of your projects."),
            409: OpenApiResponse(description="The article was revised after the `revision` you gave."),
        },
    )
    def post(self, request, pk):
        article = get_article_for_user(request.user, pk)
        data = RevisionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        check_settled_change(article)
        if d.get("revision") is not None and d["revision"] != article.revision:
            stale = services.StaleRevision(article.revision, d["revision"])
            return Response({"detail": stale.message, "revision": article.revision}, status=status.HTTP_409_CONFLICT)
        parts = Parts(body=d["body"], title=d.get("title", "")) if d.get("body") else Parts(text=d["text"], fmt=d["format"])
        try:
            extracted = read_parts(parts)
        except extract.ImportProblem as exc:
            raise ValidationError({parts.field: [str(exc)]}) from None
        if parts.body is None and d.get("title"):
            extracted.title = d["title"]
        try:
            result = services.revise_article(article, request.user, extracted, revision=d.get("revision"))
        except services.StaleRevision as exc:
            return Response({"detail": exc.message, "revision": exc.current}, status=status.HTTP_409_CONFLICT)
        except services.Duplicate as exc:
            return Response({"detail": exc.message, "existing": exc.existing.pk}, status=status.HTTP_409_CONFLICT)
        except services.Invalid as exc:
            raise invalid(exc) from None
        body = {"article": article.pk, "revision": result.article.revision, "placed": result.placed,
                "moved": result.moved, "changed": result.changed, "orphaned": result.orphaned}
        return Response(body, status=status.HTTP_201_CREATED)
