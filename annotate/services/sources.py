"""Sources attached to a claim as evidence.
"""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Now

from annotate import limits, tasks
from annotate.models import (
    HistoryAction,
    Claim,
    Evidence,
    HistoryEntry,
    Source,
    Stance,
)
from annotate.writes import Invalid


# --- sources and evidence ---------------------------------------------------

_url_validator = limits.web_url  # the one URL rule (annotate/limits.py)


def clean_url(url, field="url"):
    url = (url or "").strip()
    try:
        _url_validator(url)
    except ValidationError:
        raise Invalid("Enter a web address starting with http:// or https://.", field=field) from None
    return url


def add_evidence(claim, user, *, url, stance, title="", publisher="", published_on=None, archived_url="", excerpt="", note=""):
    """Attach a source (created in the project if new, shared if known) to a claim with a stance."""
    url = clean_url(url)
    if archived_url:
        archived_url = clean_url(archived_url, field="archived_url")
    if stance not in Stance.values:
        raise Invalid("Pick a stance: supports, refutes or context.", field="stance")
    with transaction.atomic():
        source, created = Source.objects.get_or_create(
            project_id=claim.project_id,
            url=url,
            defaults={"title": title[:500], "publisher": publisher[:200], "published_on": published_on, "archived_url": archived_url, "created_by": user},
        )
        if not created:
            # A known source: what the reviewer typed fills its empty fields, never overwrites them.
            typed = {"title": title[:500], "publisher": publisher[:200], "published_on": published_on, "archived_url": archived_url}
            empty = [field for field, value in typed.items() if value and not getattr(source, field)]
            for field in empty:
                setattr(source, field, typed[field])
            if empty:
                source.save(update_fields=empty)
        if Evidence.objects.filter(claim=claim, source=source).exists():
            raise Invalid("This source is already attached to the claim.", field="url")
        evidence = Evidence.objects.create(claim=claim, source=source, stance=stance, excerpt=excerpt, note=note, added_by=user)
        HistoryEntry.objects.create(claim=claim, actor=user, action=HistoryAction.SOURCE_ADDED, changes={"url": url, "stance": stance})
        Claim.objects.filter(pk=claim.pk).update(updated_at=Now())
        # Snapshot and excerpt check run in the background (annotate/tasks.py), after commit.
        tasks.queue_after_attach(source, evidence, user)
    return evidence
