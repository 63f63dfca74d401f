"""Archive copies of sources through the Internet Archive's Save Page Now (the `savepagenow` client).

Off by default (FACTMARK_ARCHIVE_ENABLED): many newsrooms run behind firewalls, and asking
archive.org to capture a page tells it which pages the desk is checking. When on, a
reviewer's "Archive a copy" queues a task that calls Save Page Now and stores the capture's
address as the source's archived URL. A reviewer can always paste an archive link instead.
SAVEPAGENOW_ACCESS_KEY / SAVEPAGENOW_SECRET_KEY (archive.org keys) authenticate the
request when both are set, as the client expects.
"""

from __future__ import annotations

import os

import requests
import savepagenow
from savepagenow import exceptions as spn
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from annotate.models import Evidence, HistoryAction, HistoryEntry, Source

USER_AGENT = "Factmark/1.0 (fact-checking; archive request)"


class ArchiveDisabled(Exception):
    """Archive requests are off on this installation."""


def enabled() -> bool:
    return bool(settings.FACTMARK_ARCHIVE_ENABLED)


def capture(source: Source, actor=None) -> str:
    """Ask Save Page Now for a copy of the source's page; store and return the archive URL ('' on failure)."""
    if not enabled():
        raise ArchiveDisabled("Archive requests are turned off on this installation (FACTMARK_ARCHIVE_ENABLED).")
    authenticate = bool(os.environ.get("SAVEPAGENOW_ACCESS_KEY") and os.environ.get("SAVEPAGENOW_SECRET_KEY"))
    try:
        archived = savepagenow.capture(
            source.url, user_agent=USER_AGENT, accept_cache=True, timeout=settings.FACTMARK_ARCHIVE_TIMEOUT,
            authenticate=authenticate,
        )  # fmt: skip
    except (spn.WaybackRuntimeError, spn.BlockedByRobots,
            spn.TooManyRequests, spn.BadGateway, spn.Forbidden,
            spn.Unauthorized, spn.UnknownError, spn.CachedPage,
            requests.RequestException, ValueError) as error:  # fmt: skip
        message = f"The Internet Archive did not archive the page: {type(error).__name__}."
        Source.objects.filter(pk=source.pk).update(archive_error=message[:500])
        source.archive_error = message
        return ""
    if not archived.startswith(("http://", "https://")) or len(archived) > 2000:
        Source.objects.filter(pk=source.pk).update(archive_error="The Internet Archive answered without a usable address.")
        return ""
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(archived_url=archived, archive_error="", updated_at=timezone.now())
        HistoryEntry.objects.bulk_create(
            HistoryEntry(claim_id=claim_id, actor=actor, action=HistoryAction.SOURCE_ARCHIVED, changes={"url": source.url, "archived_url": archived})
            for claim_id in Evidence.objects.filter(source=source).values_list("claim_id", flat=True)
        )
    source.archived_url, source.archive_error = archived, ""
    return archived
