"""Query expressions shared by list pages: one home for the correlated count.

Counting related rows with Count() over joins multiplies rows when several are counted
at once; a correlated subquery per count keeps each list one query whatever its size.
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def correlated_count(queryset, field, count=None):
    """COUNT of `queryset` rows whose `field` is the outer row's pk (0 when none), as an
    expression for .annotate(). `count` is the aggregate (default COUNT(*))."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")}).order_by().values(field)
        .annotate(n=count if count is not None else Count("*")).values("n")
    )  # fmt: skip
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
