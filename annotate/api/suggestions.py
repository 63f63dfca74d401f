"""API: an article's suggestions, and accepting or dismissing one.

GET  /api/v1/articles/{id}/suggestions/                 open suggestions, article order
POST /api/v1/articles/{id}/suggestions/{key}/accept/    a claim of it (201), optionally a narrower span
POST /api/v1/articles/{id}/suggestions/{key}/dismiss/   remembered (200)

Project-scoped like every endpoint: a non-member gets 404. Offsets are code points.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate import services, suggestions
from annotate.access import get_article_for_user
from annotate.api.views import BAD_REQUEST, NOT_FOUND
from annotate.forms.claims import MAX_QUOTE


class PlaceSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Code-point offset into the article body.")
    end = serializers.IntegerField()
    quote = serializers.CharField(required=False)


class SuggestionDetailSerializer(serializers.Serializer):
    # check-worthy
    rule_score = serializers.FloatField(required=False, help_text="The rules' score before any blending with the desk's model.")
    scored_by = serializers.CharField(required=False, help_text='"rules", or "rules + desk model vN (…)".')
    # inconsistency
    check = serializers.ChoiceField(required=False, choices=["count_vs_list", "implied_base", "parts_exceed", "restated", "dates"])
    title = serializers.CharField(required=False, help_text='e.g. "8 named of the 9 stated".')
    arithmetic = serializers.CharField(required=False, help_text="The arithmetic spelled out.")
    places = PlaceSerializer(many=True, required=False, help_text="The two places in the text.")
    sentence = PlaceSerializer(required=False, help_text="The sentence(s) a claim of it quotes by default.")


class SuggestionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["check-worthy", "inconsistency"])
    key = serializers.CharField(help_text="Stable while the sentence's words stay; accept/dismiss by it.")
    start = serializers.IntegerField(help_text="Code-point offset into the article body, like claims.")
    end = serializers.IntegerField()
    quote = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    detail = SuggestionDetailSerializer()


class AcceptSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, required=False, help_text="A narrower span inside the sentence (code points); omit all three for the sentence.")
    end = serializers.IntegerField(min_value=0, required=False)
    quote = serializers.CharField(trim_whitespace=False, max_length=MAX_QUOTE, required=False)

    def validate(self, data):
        given = [k in data for k in ("start", "end", "quote")]
        if any(given) and not all(given):
            raise serializers.ValidationError("Send start, end and quote together, or none of them for the whole sentence.")
        return data


class DecisionSerializer(serializers.Serializer):
    key = serializers.CharField()
    decision = serializers.ChoiceField(choices=["accepted", "dismissed"])
    claim = serializers.IntegerField(allow_null=True, help_text="The claim made of it (accepted), else null.")


ALREADY = OpenApiResponse(description="Already accepted or dismissed.")


def _decided(exc):
    if isinstance(exc, suggestions.UnknownSuggestion):
        raise NotFound(exc.message)
    if isinstance(exc, suggestions.AlreadyDecided):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    raise ValidationError({exc.field or "non_field_errors": [exc.message]})


class ArticleSuggestions(APIView):
    @extend_schema(
        summary="Suggestions for an article: check-worthy sentences and inconsistencies",
        description="Open suggestions (not accepted, not dismissed, not already under a claim) in article order. "
        "Computed once per revision of the article and model version, then served from the database.",
        responses={200: SuggestionSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        article = get_article_for_user(request.user, pk)
        return Response(SuggestionSerializer(suggestions.open_suggestions(article), many=True).data)


class AcceptSuggestion(APIView):
    @extend_schema(
        summary="Make a claim of a suggestion",
        request=AcceptSerializer,
        responses={201: DecisionSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: ALREADY},
    )
    def post(self, request, pk, key):
        article = get_article_for_user(request.user, pk)
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            claim = suggestions.accept(article, request.user, key, d.get("start"), d.get("end"), d.get("quote"))
        except services.Invalid as exc:
            return _decided(exc)
        return Response({"key": key, "decision": "accepted", "claim": claim.pk}, status=status.HTTP_201_CREATED)


class DismissSuggestion(APIView):
    @extend_schema(
        summary="Dismiss a suggestion (remembered)",
        request=None,
        responses={200: DecisionSerializer, 404: NOT_FOUND, 409: ALREADY},
    )
    def post(self, request, pk, key):
        article = get_article_for_user(request.user, pk)
        try:
            suggestions.dismiss(article, request.user, key)
        except services.Invalid as exc:
            return _decided(exc)
        return Response({"key": key, "decision": "dismissed", "claim": None})
