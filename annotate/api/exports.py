"""Export endpoints: ClaimReview JSON-LD, W3C Web Annotation, and the streamed verdict files.

Scope as everywhere in the API: the user's projects only.
- claimreviews/: published claims only (public output), schema.org ClaimReview.
- annotations/: every claim of the user's projects (their editors' and reviewers' work, not
  only what is published), with the final verdict when there is one, else the reviewers'
  verdicts; `?published=true` keeps only what the public sees.
- export/verdicts.{csv,jsonl,json}: one row per reviewer verdict, streamed with constant memory.
"""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.pagination import Cursor
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param

from annotate import exports
from annotate.api import filters, jsonld_schema, renderers
from annotate.api.pagination import StableCursorPagination
from annotate.access import blind_hidden, member_project_ids
from annotate.api.views import NOT_FOUND
from annotate.models import Claim, Verdict


class JSONErrors:
    """Errors (401, 404, 400 for a bad filter, 406) answer as plain JSON, not in the endpoint's format."""

    def handle_exception(self, exc):
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


def origin(request):
    """"https://host" of the request: the base every exported absolute URL starts with."""
    return request.build_absolute_uri("/").rstrip("/")


@extend_schema_view(
    list=extend_schema(
        summary="Published claims as schema.org ClaimReview",
        description="One ClaimReview JSON-LD object per published claim of your projects (Google Fact Check tools format).",
        responses={200: OpenApiResponse(response=jsonld_schema.CLAIM_REVIEW)},
    ),
    retrieve=extend_schema(
        summary="One published claim as ClaimReview",
        responses={200: OpenApiResponse(response=jsonld_schema.CLAIM_REVIEW), 404: NOT_FOUND},
    ),
)
class ClaimReviewViewSet(JSONErrors, viewsets.GenericViewSet):
    queryset = Claim.objects.none()  # for the schema; get_queryset() scopes to the user
    lookup_value_regex = "[0-9]+"  # ids only: anything else is a 404, not a 500 from int()
    filterset_class = filters.ClaimReviewFilter
    renderer_classes = [renderers.JSONLDRenderer, JSONRenderer]

    def get_queryset(self):
        return exports.published_claims(Claim.objects.filter(project_id__in=member_project_ids(self.request.user)))

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(exports.claim_reviews(page, origin(request)))

    def retrieve(self, request, pk=None):
        claim = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(exports.claim_reviews([claim], origin(request))[0])


class AnnotationPagination(StableCursorPagination):
    """Cursor pages by claim id; the list view shapes them as AnnotationCollection / AnnotationPage."""

    def get_paginated_response_schema(self, schema):
        return jsonld_schema.ANNOTATION_LIST


_CURSOR = OpenApiParameter(
    "cursor", OpenApiTypes.STR, description="Absent: the AnnotationCollection (first page embedded). Present: that AnnotationPage."
)


@extend_schema_view(
    list=extend_schema(
        summary="Claims as W3C Web Annotations",
        description=(
            "An AnnotationCollection whose pages are AnnotationPages (follow `next`). Each annotation has motivation "
            "`assessing`, a TextQuoteSelector and a TextPositionSelector (code points) on the article, and the "
            "verdict and sources in its body: the final verdict when there is one, else each reviewer's verdict. "
            "Every claim of your projects is included, published or not; `published=true` keeps only what the "
            "public page shows. Content-Type: "
            '`application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`.'
        ),
        parameters=[_CURSOR],
        responses={200: OpenApiResponse(response=jsonld_schema.ANNOTATION)},
    ),
    retrieve=extend_schema(
        summary="One claim as a W3C Web Annotation",
        responses={200: OpenApiResponse(response=jsonld_schema.ANNOTATION), 404: NOT_FOUND},
    ),
)
class AnnotationViewSet(JSONErrors, viewsets.GenericViewSet):
    queryset = Claim.objects.none()  # for the schema; get_queryset() scopes to the user
    lookup_value_regex = "[0-9]+"  # ids only: anything else is a 404, not a 500 from int()
    filterset_class = filters.ClaimFilter
    pagination_class = AnnotationPagination
    renderer_classes = [renderers.AnnotationRenderer, JSONRenderer]

    def get_queryset(self):
        return Claim.objects.filter(project_id__in=member_project_ids(self.request.user))

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(exports.claims_for_annotations(queryset))
        paginator = self.paginator
        url = request.build_absolute_uri()
        collection_id = remove_query_param(url, paginator.cursor_query_param)
        as_page = paginator.cursor_query_param in request.query_params
        # The first page has an address of its own: an empty cursor decodes to "from the start".
        page_id = url if as_page else paginator.encode_cursor(Cursor(offset=0, reverse=False, position=None))
        total = queryset.count()
        page = exports.annotation_page(
            exports.annotations(rows, origin(request)),
            page_id,
            collection_id,
            total,
            next_url=paginator.get_next_link(),
            prev_url=paginator.get_previous_link(),
        )
        if as_page:
            return Response(page)
        return Response(exports.annotation_collection(collection_id, total, page))

    def retrieve(self, request, pk=None):
        rows = exports.claims_for_annotations(self.get_queryset().filter(pk=pk))
        items = exports.annotations(rows, origin(request))
        if not items:
            raise Http404("No such claim.")
        return Response(items[0])


class _VerdictExport(JSONErrors, generics.GenericAPIView):
    """One row per verdict, streamed: never the whole file in memory, never an article body."""

    queryset = Verdict.objects.none()  # for the schema; get_queryset() scopes to the user
    filterset_class = filters.VerdictFilter
    pagination_class = None
    fmt = ""  # csv, jsonl or json

    def get_queryset(self):
        # Blind review (issue 11): the export hides what the verdicts list hides.
        return Verdict.objects.filter(claim__project_id__in=member_project_ids(self.request.user)).filter(~blind_hidden(self.request.user))

    def get(self, request):
        queryset = exports.verdict_export_queryset(self.filter_queryset(self.get_queryset()))
        # The database is asked once here, inside the view: lost before the first byte, it is the
        # JSON 503 (exception handler), not a stream that dies after its 200 as a bare 500.
        exports.check_database(queryset.db)
        response = StreamingHttpResponse(exports.verdict_chunks(queryset, self.fmt), content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="verdicts.{self.fmt}"'
        return response


def _export_schema(media_type, what, body=OpenApiTypes.STR):
    return extend_schema(
        filters=True,
        summary=f"All verdicts as {what}, streamed",
        description=(
            f"One row per reviewer verdict: {', '.join(exports.VERDICT_KEYS)}. Streamed with constant memory, "
            "in verdict id order; filter like verdicts/. CSV cells starting with = + - @ get a leading apostrophe "
            "so spreadsheets show them as text."
        ),
        responses={
            (200, media_type): OpenApiResponse(response=body, description=what),
            (400, "application/json"): OpenApiResponse(description="A filter value is invalid."),
        },
    )


@_export_schema("text/csv", "CSV")
class VerdictCSVExport(_VerdictExport):
    renderer_classes = [renderers.CSVStreamRenderer]
    content_type = "text/csv; charset=utf-8"
    fmt = "csv"


@_export_schema("application/x-ndjson", "JSON Lines")
class VerdictJSONLinesExport(_VerdictExport):
    renderer_classes = [renderers.JSONLinesStreamRenderer]
    content_type = "application/x-ndjson; charset=utf-8"
    fmt = "jsonl"


# The JSON export is an array of row objects, not a string (schemathesis caught the mismatch).
@_export_schema("application/json", "a JSON array", body={"type": "array", "items": {"type": "object"}})
class VerdictJSONExport(_VerdictExport):
    renderer_classes = [renderers.JSONStreamRenderer]
    content_type = "application/json"
    fmt = "json"
