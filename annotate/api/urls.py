"""API routes: the OpenAPI schema and its UI, and version 1 under /api/v1/ (route names "api:…")."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from annotate.api import exports, memory, revisions, suggestions, views

router = DefaultRouter()
# One URL per resource: no ".json" suffix variants (they would double every path in the schema).
router.include_format_suffixes = False
router.register("projects", views.ProjectViewSet, basename="project")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("verdicts", views.VerdictViewSet, basename="verdict")
router.register("sources", views.SourceViewSet, basename="source")
router.register("claimreviews", exports.ClaimReviewViewSet, basename="claimreview")
router.register("annotations", exports.AnnotationViewSet, basename="annotation")

v1 = [
    *router.urls,
    path("export/verdicts.csv", exports.VerdictCSVExport.as_view(), name="export-verdicts-csv"),
    path("export/verdicts.jsonl", exports.VerdictJSONLinesExport.as_view(), name="export-verdicts-jsonl"),
    path("export/verdicts.json", exports.VerdictJSONExport.as_view(), name="export-verdicts-json"),
    path("articles/<int:pk>/suggestions/", suggestions.ArticleSuggestions.as_view(), name="article-suggestions"),
    path("articles/<int:pk>/suggestions/<str:key>/accept/", suggestions.AcceptSuggestion.as_view(), name="suggestion-accept"),
    path("articles/<int:pk>/suggestions/<str:key>/dismiss/", suggestions.DismissSuggestion.as_view(), name="suggestion-dismiss"),
    # integrity: a new revision of an article's text (editors only once it has settled claims)
    path("articles/<int:pk>/revisions/", revisions.ArticleRevisions.as_view(), name="article-revisions"),
    # desk memory: search, similar claims, matches
    path("search/", memory.SearchView.as_view(), name="search"),
    path("claims/<int:pk>/similar/", memory.SimilarView.as_view(), name="claim-similar"),
    path("claims/<int:pk>/matches/", memory.MatchesView.as_view(), name="claim-matches"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script under our CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/", include((v1, "api"))),
]
