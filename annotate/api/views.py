"""REST API viewsets: projects, articles, claims, verdicts, sources.

Scope: every queryset keeps only the projects the user is a member of, so an outsider's
retrieve is a 404 and lists never show other projects. Writes look objects up through
`annotate.access` (404 outsider, 403 too-low role) and go through `annotate.services`.
Offsets are Unicode code points throughout (W3C TextPositionSelector), unless a create
says offsets=utf16.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from annotate import extract, lifecycle, services, sqljson
from annotate.importing import Parts
from annotate.access import (
    check_settled_change,
    get_article_for_claim,
    get_article_for_user,
    get_claim_for_user,
    get_own_verdict_for_user,
    get_project_for_user,
    member_project_ids,
    projects_with_role,
    blind_hidden,
)
from annotate.api import filters, serializers as s
from annotate.api import sources as sources_api
from annotate.api.pagination import BulkCursorPagination
from annotate.api.renderers import FastJSONRenderer, PreRendered
from annotate.models import Article, Claim, Project, Role, Source, Verdict

NOT_FOUND = OpenApiResponse(description="Not found, or not in one of your projects.")
FORBIDDEN = OpenApiResponse(description="Your role in the project is too low for this.")
BAD_REQUEST = OpenApiResponse(description="Invalid input; the body names each problem. Nothing was changed.")


def invalid(exc):
    """services.Invalid -> DRF 400 naming the field."""
    return ValidationError({exc.field or "non_field_errors": [exc.message]})


def _referenced(lookup, user, pk, field, label):
    """An object named in a request body: not visible -> 400 on that field (nothing leaks)."""
    try:
        return lookup(user, pk)
    except Http404:
        raise ValidationError({field: [f"No {label} {pk} in your projects."]}) from None


@extend_schema_view(
    list=extend_schema(summary="Your projects, with your role and the rating scale"),
    retrieve=extend_schema(summary="One project", responses={200: s.ProjectSerializer, 404: NOT_FOUND}),
)
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.none()  # for the schema; get_queryset() scopes to the user
    serializer_class = s.ProjectSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return projects_with_role(self.request.user).prefetch_related("ratings")


@extend_schema_view(
    list=extend_schema(summary="Articles (without their text)"),
    retrieve=extend_schema(summary="One article with its text and revision", responses={200: s.ArticleDetailSerializer, 404: NOT_FOUND}),
)
class ArticleViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Article.objects.none()  # for the schema; get_queryset() scopes to the user
    lookup_value_regex = "[0-9]+"  # ids only: anything else is a 404, not a 500 from int()
    filterset_class = filters.ArticleFilter

    def get_queryset(self):
        queryset = Article.objects.filter(project_id__in=member_project_ids(self.request.user)).select_related("project")
        if self.action == "list":
            # A list never carries article bodies (they can be megabytes each).
            queryset = queryset.defer("body", "project__description")
        return queryset

    def get_serializer_class(self):
        return s.ArticleDetailSerializer if self.action == "retrieve" else s.ArticleSerializer

    @extend_schema(
        summary="Import an article",
        description=(
            "From `title` + `body`, from a whole document in `text` (plain text, HTML or Markdown, see `format`), "
            "or from a web page (`url`). The text is cleaned as on the import page. The same text imported twice "
            "into a project answers 409 with a link to the existing article."
        ),
        request=s.ArticleCreateSerializer,
        responses={201: s.ArticleDetailSerializer, 400: BAD_REQUEST, 409: s.DuplicateArticleSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = s.ArticleCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        project = _referenced(get_project_for_user, request.user, d["project"], "project", "project")
        if d.get("url"):
            parts = Parts(url=d["url"])
        elif d.get("body"):
            parts = Parts(body=d["body"], title=d["title"])
        else:
            parts = Parts(text=d["text"], fmt=d["format"])
        metadata = {"title": d.get("title"), "source_url": d.get("source_url"), "publisher": d.get("publisher"),
                    "author": d.get("author"), "published": d.get("published_on")}
        try:
            article = services.import_parts(project, request.user, parts, **metadata)
        except extract.ImportProblem as exc:
            raise ValidationError({parts.field: [str(exc)]}) from None
        except services.Duplicate as exc:
            existing = exc.existing
            return Response(
                {
                    "detail": exc.message,
                    "existing": {"id": existing.pk, "url": s.url_template(request, "api:article-detail").format(existing.pk), "title": existing.title},
                },
                status=status.HTTP_409_CONFLICT,
            )
        except services.Invalid as exc:
            raise invalid(exc) from None
        article.project = project
        body = s.ArticleDetailSerializer(article, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


class DatabaseJSONRows:
    """list/retrieve whose items are JSON built by the database (see annotate/sqljson.py).

    A list page costs two queries. First the page of ids (cursor pagination on the primary
    key: an index-only scan). Then the rows of that id range under the same filters, with no
    ORDER BY: PostgreSQL would build the JSON of every matching row and then sort megabytes
    of text, so Python puts them in order instead. (A range, not `id IN (5,000 ids)`: the
    driver and the ORM handle a long parameter list slower than the database builds the rows.)
    """

    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]
    model = None
    row_columns = None  # sqljson.claim_columns / verdict_columns
    route = ""

    def json_rows(self, queryset):
        columns = type(self).row_columns(s.url_template(self.request, self.route))
        return sqljson.json_rows(queryset.order_by(), columns)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        ids = [item["id"] for item in self.paginate_queryset(queryset.values("id"))]
        rows = dict(self.json_rows(queryset.filter(id__gte=ids[0], id__lte=ids[-1]))) if ids else {}
        # .get: a row deleted between the two queries is left out, not an error.
        items = [row for row in map(rows.get, ids) if row is not None]
        return self.get_paginated_response(PreRendered("[" + ",".join(items) + "]"))

    def retrieve(self, request, pk=None, *args, **kwargs):
        rows = self.json_rows(self.filter_queryset(self.get_queryset()).filter(pk=pk))
        if not rows:
            raise Http404
        return Response(PreRendered(rows[0][1]))

    def current(self, pk):
        """The object now, for a 409 or after a change (already authorised)."""
        rows = self.json_rows(self.model.objects.filter(pk=pk))
        return PreRendered(rows[0][1]) if rows else None


@extend_schema_view(
    list=extend_schema(summary="Claims with their span offsets, quote, status and final verdict"),
    retrieve=extend_schema(summary="One claim", responses={200: s.ClaimSerializer, 404: NOT_FOUND}),
)
class ClaimViewSet(DatabaseJSONRows, viewsets.GenericViewSet):
    queryset = Claim.objects.none()  # for the schema; get_queryset() scopes to the user
    lookup_value_regex = "[0-9]+"  # ids only: anything else is a 404, not a 500 from int()
    model = Claim
    row_columns = staticmethod(sqljson.claim_columns)
    route = "api:claim-detail"
    serializer_class = s.ClaimSerializer
    filterset_class = filters.ClaimFilter
    pagination_class = BulkCursorPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Claim.objects.filter(project_id__in=member_project_ids(self.request.user))

    @extend_schema(
        summary="Create a claim from a selection",
        description=(
            "Validated like the review page: `quote` must be exactly the article text between `start` and `end`. "
            "Offsets count Unicode code points (Python, W3C TextPositionSelector); send `offsets=utf16` to give "
            "JavaScript's UTF-16 offsets instead. Any member of the article's project may create claims."
        ),
        request=s.ClaimCreateSerializer,
        responses={201: s.ClaimCreatedSerializer, 400: BAD_REQUEST, 409: OpenApiResponse(description="The article was revised after the `revision` you selected on; nothing was saved.")},
    )
    def create(self, request, *args, **kwargs):
        data = s.ClaimCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        # Code point offsets: the quote is checked without the body (services.add_claim).
        lookup = get_article_for_claim if d["offsets"] == "codepoints" else get_article_for_user
        article = _referenced(lookup, request.user, d["article"], "article", "article")
        try:
            claim = services.add_claim(
                article, request.user, d["start"], d["end"], d["quote"],
                text=d.get("text", ""), claimant=d.get("claimant", ""), claim_date=d.get("claim_date"), offsets=d["offsets"],
                revision=d.get("revision"),
            )  # fmt: skip
        except services.StaleRevision as exc:
            return Response({"detail": exc.message, "revision": exc.current}, status=status.HTTP_409_CONFLICT)
        except services.Invalid as exc:
            raise invalid(exc) from None
        span = claim.span
        url = s.url_template(request, "api:claim-detail").format(claim.pk)
        body = {"id": claim.pk, "url": url, "article": article.pk, "start": span.start, "end": span.end, "quote": span.quote, "status": claim.status, "version": claim.version, "revision": span.revision}
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": url})

    @extend_schema(
        summary="Edit a claim (optimistic locking)",
        description=(
            "`version` is required: the version you based the change on. If someone changed the claim since, "
            "nothing is saved and the answer is 409 with the current claim. Members may change text, claimant "
            "and claim_date while the claim is not approved or published (then only editors: 403 otherwise); "
            "final_rating, final_rationale and status need the editor role (403 otherwise). "
            "Several changes in one request are applied together or not at all."
        ),
        request=s.ClaimUpdateSerializer,
        responses={200: s.ClaimSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: s.ClaimConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        data = s.ClaimUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        version = d.pop("version")
        editor_fields = {"final_rating", "final_rationale", "status", "assignees"} & d.keys()
        claim = get_claim_for_user(request.user, pk, role=Role.EDITOR if editor_fields else Role.REVIEWER)
        if set(services.CLAIM_EDITABLE) & d.keys():
            check_settled_change(claim)  # published means settled: 403 for a reviewer
        if not d:
            raise ValidationError({"non_field_errors": ["Nothing to change: give at least one field besides version."]})
        try:
            claim = services.change_claim(claim, request.user, version, d)
        except services.Conflict as exc:
            return Response({"detail": exc.message, "current": self.current(pk)}, status=status.HTTP_409_CONFLICT)
        except lifecycle.NotAllowed as exc:
            return Response({"detail": exc.message, "current": self.current(pk)}, status=status.HTTP_409_CONFLICT)
        except services.Invalid as exc:
            raise invalid(exc) from None
        return Response(self.current(claim.pk))


@extend_schema_view(
    list=extend_schema(summary="Reviewers' verdicts"),
    retrieve=extend_schema(summary="One verdict", responses={200: s.VerdictSerializer, 404: NOT_FOUND}),
)
class VerdictViewSet(DatabaseJSONRows, viewsets.GenericViewSet):
    queryset = Verdict.objects.none()  # for the schema; get_queryset() scopes to the user
    lookup_value_regex = "[0-9]+"  # ids only: anything else is a 404, not a 500 from int()
    model = Verdict
    row_columns = staticmethod(sqljson.verdict_columns)
    route = "api:verdict-detail"
    serializer_class = s.VerdictSerializer
    filterset_class = filters.VerdictFilter
    pagination_class = BulkCursorPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Verdict.objects.filter(claim__project_id__in=member_project_ids(self.request.user)).filter(~blind_hidden(self.request.user))

    @extend_schema(
        summary="Give your verdict on a claim",
        description="One verdict per reviewer per claim: if you already gave one, the answer is 409 with it (change it with PATCH).",
        request=s.VerdictCreateSerializer,
        responses={201: s.VerdictSerializer, 400: BAD_REQUEST, 409: s.VerdictConflictSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = s.VerdictCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        # A verdict never needs the article's text.
        claim = _referenced(lambda user, pk: get_claim_for_user(user, pk, body=False), request.user, d["claim"], "claim", "claim")
        try:
            verdict = services.save_verdict(claim, request.user, d["rating"], d.get("rationale", ""), version=None)
        except services.Conflict as exc:
            current = self.current(exc.current.pk) if exc.current is not None else None
            return Response({"detail": exc.message, "current": current}, status=status.HTTP_409_CONFLICT)
        except services.Invalid as exc:
            raise invalid(exc) from None
        url = s.url_template(request, "api:verdict-detail").format(verdict.pk)
        return Response(self.current(verdict.pk), status=status.HTTP_201_CREATED, headers={"Location": url})

    @extend_schema(
        summary="Change your verdict (optimistic locking)",
        description="Only the reviewer who gave a verdict can change it (403 for others). `version` is required; a stale one gets 409 with the current verdict.",
        request=s.VerdictUpdateSerializer,
        responses={200: s.VerdictSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: s.VerdictConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        verdict = get_own_verdict_for_user(request.user, pk)
        data = s.VerdictUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if not ({"rating", "rationale"} & d.keys()):
            raise ValidationError({"non_field_errors": ["Nothing to change: give rating or rationale."]})
        try:
            if verdict.version != d["version"]:
                raise services.Conflict(verdict)
            services.save_verdict(verdict.claim, request.user, d.get("rating", verdict.rating_id), d.get("rationale", verdict.rationale), version=d["version"])
        except services.Conflict as exc:
            return Response({"detail": exc.message, "current": self.current(pk)}, status=status.HTTP_409_CONFLICT)
        except services.Invalid as exc:
            raise invalid(exc) from None
        return Response(self.current(pk))


@extend_schema_view(
    list=extend_schema(summary="Sources of your projects"),
    retrieve=extend_schema(summary="One source", responses={200: s.SourceSerializer, 404: NOT_FOUND}),
)
class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.none()  # for the schema; get_queryset() scopes to the user
    lookup_value_regex = "[0-9]+"  # ids only: anything else is a 404, not a 500 from int()
    serializer_class = s.SourceSerializer
    filterset_class = filters.SourceFilter

    def get_queryset(self):
        return sources_api.with_snapshot(
            Source.objects.filter(project_id__in=member_project_ids(self.request.user)).select_related("project")
        )

    @extend_schema(
        summary="Re-check a source now: fetch its page, store a snapshot if it changed, verify its excerpts",
        request=None,
        responses={202: s.SourceRecheckSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def recheck(self, request, pk=None):
        return sources_api.recheck(self, request)
