"""The sources API's additions (issue 15): latest snapshot per source, and POST …/sources/{id}/recheck/."""

from django.db.models import OuterRef, Prefetch, Subquery
from rest_framework import status
from rest_framework.response import Response

from annotate import tasks
from annotate.api import serializers as s
from annotate.models import Evidence, Snapshot


def with_snapshot(sources):
    """Sources with their latest snapshot's id, hash, time and status (subqueries of the same statement)
    and their evidence (one more query for the page)."""
    latest = Snapshot.objects.filter(source=OuterRef("pk")).order_by("-fetched_at", "-id")
    return sources.annotate(
        snapshot_id=Subquery(latest.values("id")[:1]),
        snapshot_sha256=Subquery(latest.values("sha256")[:1]),
        snapshot_fetched_at=Subquery(latest.values("fetched_at")[:1]),
        snapshot_http_status=Subquery(latest.values("http_status")[:1]),
    ).prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("claim_id", "id")))


def recheck(view, request):
    """Queue a snapshot of the source (any member of its project may); 202 with the task and the source now."""
    source = view.get_object()
    result = tasks.snapshot_source.enqueue(source.pk, request.user.pk)
    fresh = view.get_queryset().get(pk=source.pk)
    body = {"task": str(result.id), "task_status": str(result.status), "source": s.SourceSerializer(fresh, context={"request": request}).data}
    return Response(body, status=status.HTTP_202_ACCEPTED)
