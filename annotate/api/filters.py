"""Query filters of the API (django-filter): the same names on every endpoint that has them.

project (slug), article (id), claim (id), status (claim workflow status), rating (label,
case-insensitive, or id), reviewer (username), updated_since (ISO 8601 datetime, inclusive),
published (true/false).
"""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q

from annotate.models import Article, Claim, Source, Status, Verdict

UPDATED_SINCE_HELP = "Only what changed at or after this ISO 8601 datetime, e.g. 2025-05-01T00:00:00Z (UTC when no offset is given)."
RATING_HELP = "A rating label (case-insensitive, e.g. False) or a rating id."


# Largest primary key the database can hold (bigint); a larger number is no row's id, and
# passing it to the driver would overflow (a 500) instead of matching nothing.
MAX_ID = 2**63 - 1


def _rating(field):
    def method(queryset, name, value):
        value = value.strip()
        # isascii: "²".isdigit() is True but int("²") fails.
        if value.isascii() and value.isdigit():
            number = int(value)
            return queryset.filter(**{f"{field}_id": number}) if number <= MAX_ID else queryset.none()
        return queryset.filter(**{f"{field}__label__iexact": value})

    return method


class SinceFilter(django_filters.IsoDateTimeFilter):
    """A datetime compared in UTC: ISO 8601 allows offsets such as -20:08 that PostgreSQL refuses (a 500)."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(datetime.timezone.utc)
            except OverflowError:
                # Before year 1 or after 9999 in UTC: since the dawn of time, or since a day that never comes.
                return qs if value.year < 5000 else qs.none()
        return super().filter(qs, value)


class IdFilter(django_filters.NumberFilter):
    """An object id: a number no row can have (fractional, or beyond bigint) matches nothing."""

    def filter(self, qs, value):
        if value not in (None, "") and (value != value.to_integral_value() or not -MAX_ID <= value <= MAX_ID):
            return qs.none()
        return super().filter(qs, value)


class ArticleFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="Project slug.")
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP)

    class Meta:
        model = Article
        fields = ("project", "updated_since")


class ClaimFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="Project slug.")
    article = IdFilter(field_name="article_id", help_text="Article id.")
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False, help_text="Workflow status; repeat for several.")
    rating = django_filters.CharFilter(method="filter_rating", help_text="The final rating: " + RATING_HELP)
    reviewer = django_filters.CharFilter(field_name="verdicts__reviewer__username", help_text="Claims with a verdict by this username.")
    published = django_filters.BooleanFilter(method="filter_published", help_text="true: only published claims; false: only unpublished.")
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP)
    assignee = django_filters.CharFilter(method="filter_assignee", help_text="Claims assigned to this username; `me` for yours.")

    class Meta:
        model = Claim
        fields = ("project", "article", "status", "rating", "reviewer", "published", "updated_since", "assignee")

    def filter_assignee(self, queryset, name, value):
        through = Claim.assignees.through.objects.filter(claim_id=OuterRef("pk"))
        if value == "me":
            return queryset.filter(Exists(through.filter(user_id=self.request.user.pk)))
        return queryset.filter(Exists(through.filter(user__username=value)))

    filter_rating = staticmethod(_rating("final_rating"))

    def filter_published(self, queryset, name, value):
        published = Q(status=Status.PUBLISHED)
        return queryset.filter(published if value else ~published)


class VerdictFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="claim__project__slug", help_text="Project slug.")
    article = IdFilter(field_name="claim__article_id", help_text="Article id.")
    claim = IdFilter(field_name="claim_id", help_text="Claim id.")
    status = django_filters.MultipleChoiceFilter(field_name="claim__status", choices=Status.choices, distinct=False, help_text="The claim's workflow status; repeat for several.")
    rating = django_filters.CharFilter(method="filter_rating", help_text="The reviewer's rating: " + RATING_HELP)
    reviewer = django_filters.CharFilter(field_name="reviewer__username", help_text="Reviewer username.")
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP)

    class Meta:
        model = Verdict
        fields = ("project", "article", "claim", "status", "rating", "reviewer", "updated_since")

    filter_rating = staticmethod(_rating("rating"))


class SourceFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="Project slug.")
    claim = IdFilter(field_name="evidence__claim_id", help_text="Sources attached to this claim id.")
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP)

    class Meta:
        model = Source
        fields = ("project", "claim", "updated_since")


class ClaimReviewFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="Project slug.")
    article = IdFilter(field_name="article_id", help_text="Article id.")
    rating = django_filters.CharFilter(method="filter_rating", help_text="The final rating: " + RATING_HELP)
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP)

    class Meta:
        model = Claim
        fields = ("project", "article", "rating", "updated_since")

    filter_rating = staticmethod(_rating("final_rating"))
