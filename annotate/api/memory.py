"""API of desk memory: search, similar claims, confirmed matches, and deciding a match.

GET  /api/v1/search/?project=<slug>&q=…        ranked hits with highlighted snippets (<mark>)
GET  /api/v1/claims/{id}/similar/               earlier claims that may say the same (score, reasons)
GET  /api/v1/claims/{id}/matches/               decided pairs: confirmed appearances, and dismissals
POST /api/v1/claims/{id}/matches/               {"earlier": id, "decision": "confirmed"|"dismissed"}

Every member of the project (reviewers and editors) may decide; outsiders get 404.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate.access import get_claim_for_user, get_project_for_user
from annotate.api.views import BAD_REQUEST, NOT_FOUND
from annotate.forms.memory import SearchForm
from annotate.memory import search, similar
from annotate.models import ClaimMatch, MatchDecision, SearchKind


class ClaimBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    status = serializers.CharField()
    rating = serializers.CharField(allow_null=True, help_text="The final rating's label, when settled.")
    article = serializers.IntegerField()
    article_title = serializers.CharField()


def brief(claim):
    return {"id": claim.pk, "text": claim.text, "status": claim.status,
            "rating": claim.final_rating.label if claim.final_rating_id else None,
            "article": claim.article_id, "article_title": claim.article.title}


class SimilarSerializer(serializers.Serializer):
    claim = ClaimBriefSerializer()
    score = serializers.FloatField(help_text="0..1; shown from the project's suggest threshold.")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="The signals in words: trigrams, full text, numbers, claimant.")


class MatchSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="The later claim.")
    earlier = ClaimBriefSerializer()
    decision = serializers.ChoiceField(choices=MatchDecision.values)
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    automatic = serializers.BooleanField(help_text="Linked by the auto-link threshold rather than a person.")
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField()


class DecideSerializer(serializers.Serializer):
    earlier = serializers.IntegerField(min_value=1, help_text="An earlier claim of the same project.")
    decision = serializers.ChoiceField(choices=MatchDecision.values)


class HitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SearchKind.values)
    id = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="Escaped text with the matched words in <mark>.")
    rank = serializers.FloatField()
    article = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(help_text="Claims: workflow status.")
    rating = serializers.CharField(help_text="Claims: final rating label, or empty.")
    url = serializers.CharField(help_text="Sources: the source's address.", required=False)


class SearchPageSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    results = HitSerializer(many=True)


def _match(m):
    return {"claim": m.claim_id, "earlier": brief(m.earlier), "decision": m.decision, "score": m.score, "reasons": m.reasons,
            "automatic": m.automatic, "decided_by": m.decided_by.username if m.decided_by else None, "decided_at": m.decided_at}


SEARCH_PARAMETERS = [
    OpenApiParameter("project", str, required=True, description="Project slug."),
    OpenApiParameter("q", str, required=True, description='Web-search syntax: words, "quoted phrase", -word, OR.'),
    OpenApiParameter("kind", str, many=True, enum=SearchKind.values),
    OpenApiParameter("rating", int, description="Final rating id (claims)."),
    OpenApiParameter("status", str, description="Workflow status (claims)."),
    OpenApiParameter("claimant", str, description="Claimant name, normalised before matching."),
    OpenApiParameter("article", int),
    OpenApiParameter("date_from", str, description="YYYY-MM-DD, created on or after."),
    OpenApiParameter("date_to", str, description="YYYY-MM-DD, created on or before."),
    OpenApiParameter("page", int),
]


class SearchView(APIView):
    @extend_schema(summary="Search a project", parameters=SEARCH_PARAMETERS,
                   responses={200: SearchPageSerializer, 400: BAD_REQUEST, 404: NOT_FOUND})
    def get(self, request):
        slug = request.query_params.get("project")
        if not slug:
            raise ValidationError({"project": ["Give the project's slug."]})
        project = get_project_for_user(request.user, slug)
        form = SearchForm(request.query_params, project=project, ratings=list(project.ratings.order_by("position", "id")))
        if not form.is_valid():
            raise ValidationError(form.errors)
        params = form.params()
        if not params.q:
            raise ValidationError({"q": ["Give something to search for."]})
        hits, has_next = search.search(project, params)
        results = [{"kind": h.kind, "id": h.id, "title": h.title, "snippet": str(h.snippet), "rank": h.rank, "article": h.article_id,
                    "status": h.status, "rating": h.rating, **({"url": h.extra["url"]} if "url" in h.extra else {})} for h in hits]
        return Response({"page": params.page, "has_next": has_next, "results": results})


class SimilarView(APIView):
    @extend_schema(summary="Earlier claims that may say the same (Checked before)",
                   description="Ranked, best first; only scores from the project's suggest threshold; dismissed pairs and decided ones left out.",
                   responses={200: SimilarSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, pk):
        claim = get_claim_for_user(request.user, pk)
        suggestions, _ = similar.checked_before(claim)
        suggestions.sort(key=lambda s: (-s.score, s.claim.pk))
        return Response([{"claim": brief(s.claim), "score": s.score, "reasons": list(s.reasons)} for s in suggestions])


class MatchesView(APIView):
    @extend_schema(summary="Decided matches of a claim (confirmed appearances and dismissals)",
                   parameters=[OpenApiParameter("decision", str, enum=MatchDecision.values)],
                   responses={200: MatchSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, pk):
        claim = get_claim_for_user(request.user, pk)
        qs = ClaimMatch.objects.filter(claim=claim).select_related("earlier__article", "earlier__final_rating", "decided_by").order_by("earlier_id")
        decision = request.query_params.get("decision")
        if decision:
            if decision not in MatchDecision.values:
                raise ValidationError({"decision": ["Use confirmed or dismissed."]})
            qs = qs.filter(decision=decision)
        return Response([_match(m) for m in qs])

    @extend_schema(summary="Confirm (same claim) or dismiss an earlier claim",
                   description="Recorded with who and when, and in the claim's history; a dismissed pair is never suggested again.",
                   request=DecideSerializer, responses={200: MatchSerializer, 400: BAD_REQUEST, 404: NOT_FOUND})
    def post(self, request, pk):
        claim = get_claim_for_user(request.user, pk)
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            match, _ = similar.decide(claim, request.user, data.validated_data["earlier"], data.validated_data["decision"])
        except similar.NotAMatch as exc:
            raise ValidationError({"earlier": [exc.message]}) from None
        match = ClaimMatch.objects.select_related("earlier__article", "earlier__final_rating", "decided_by").get(pk=match.pk)
        return Response(_match(match), status=status.HTTP_200_OK)
