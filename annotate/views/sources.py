"""Source snapshots in the claim panel: the snapshot page, and "Re-check" / "Archive a copy".

Everything is reached through the claim (get_claim_for_user: members only, 404 for
outsiders) and the source must be attached to that claim. POSTs only queue a task
(annotate/tasks.py) and answer like the panel's other actions: a redirect for a plain
form, the refreshed panel for htmx.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from annotate import archiving, snapshots, tasks, verify
from annotate.access import get_claim_for_user
from annotate.models import Evidence, Snapshot, Source
from annotate.views.claims import failed, saved


def _attached(claim, source_id):
    source = Source.objects.filter(pk=source_id, project_id=claim.project_id, evidence__claim=claim).first()
    if source is None:
        raise Http404("No such source on this claim.")
    return source


@require_GET
def evidence_snapshot(request, pk, evidence_id):
    """The snapshot's text (text, never the page's HTML) with the excerpt's match highlighted."""
    claim = get_claim_for_user(request.user, pk)
    evidence = Evidence.objects.filter(pk=evidence_id, claim=claim).select_related("source").first()
    if evidence is None:
        raise Http404("No such evidence on this claim.")
    snapshot = (
        Snapshot.objects.filter(pk=evidence.verified_snapshot_id).first() if evidence.verified_snapshot_id
        else snapshots.latest_snapshot(evidence.source_id)
    )  # fmt: skip
    before = match = after = ""
    if snapshot is not None:
        text = snapshot.text
        start, end = evidence.match_start, evidence.match_end
        if evidence.verified_snapshot_id == snapshot.pk and start is not None and end is not None and 0 <= start <= end <= len(text):
            before, match, after = text[:start], text[start:end], text[end:]
        else:
            before = text
    context = {
        "claim": claim,
        "project": claim.project,
        "evidence": evidence,
        "source": evidence.source,
        "snapshot": snapshot,
        "before": before,
        "match": match,
        "after": after,
        "difference": verify.difference(evidence.excerpt, match) if evidence.verification == "close" and match else [],
        "history": Snapshot.objects.filter(source_id=evidence.source_id).only("id", "fetched_at", "sha256", "http_status").order_by("-fetched_at", "-id")[:20],
    }
    return render(request, "annotate/source_snapshot.html", context)


@require_POST
def source_recheck(request, pk, source_id):
    claim = get_claim_for_user(request.user, pk)
    source = _attached(claim, source_id)
    tasks.snapshot_source.enqueue(source.pk, request.user.pk)
    return saved(request, pk, "Re-check queued: the snapshot and excerpt checks update when it has run.")


@require_POST
def source_archive(request, pk, source_id):
    claim = get_claim_for_user(request.user, pk)
    source = _attached(claim, source_id)
    if not archiving.enabled():
        return failed(request, claim, 409, "Archive requests are turned off on this installation; paste an archive link instead.")
    Source.objects.filter(pk=source.pk).update(archive_requested_at=timezone.now(), archive_error="")
    tasks.archive_source.enqueue(source.pk, request.user.pk)
    return saved(request, pk, "Archive copy requested from the Internet Archive.")
