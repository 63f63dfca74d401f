"""Writes that settle a claim "changed in revision" (see services.revise_article).

A revision that left only other words where a claim's quote was (40 became 14, a
name or a "not" changed, or the sentence went and the same words stand elsewhere)
does not move the claim: it flags it, keeping the wording that was checked, with
the candidate in the new text. A person then chooses:

- re-place it on a selection (services.replace_span, as for an orphan),
- accept the new wording: the highlight goes on the candidate, the claim text
  follows, and the verdict re-opens (a settled claim goes back into review, since
  its verdict was about other words),
- orphan it: no place in the new text.

Each runs under the article lock the other span writes take, checks that the
candidate still stands in the current text, and writes a history entry.
"""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now

from annotate import anchoring, lifecycle, wording
from annotate.models import CHANGED_IN_REVISION, Claim, HistoryAction, HistoryEntry, Span, Status, Verdict
from annotate.services.articles import lock_article_text
from annotate.writes import Conflict, Invalid

REOPENED_FROM = lifecycle.SETTLED


def reworded_text(text, old_quote, new_quote):
    """The claim text with the old wording replaced by the new one, when the text quotes it;
    otherwise the new wording itself (the text restated words that are gone).

    >>> reworded_text("Tax will fall by 40 percent", "tax will fall by 40 percent", "tax will fall by 14 percent")
    'tax will fall by 14 percent'
    >>> reworded_text("The minister: 40 percent", "40 percent", "14 percent")
    'The minister: 14 percent'
    """
    old, new = " ".join(old_quote.split()), " ".join(new_quote.split())
    text = " ".join((text or "").split())
    if old and old in text:
        return text.replace(old, new)
    return new


def _flagged_span(claim):
    span = Span.objects.select_for_update().get(pk=claim.span_id)
    if span.anchor_method != CHANGED_IN_REVISION:
        raise Invalid("This claim is no longer flagged as changed in revision: someone has dealt with it. Reload the claim.")
    return span


def accept_revised_wording(claim, user, version, text=""):
    """Put the highlight on the candidate, take its wording and re-open the verdict.

    `text`: the claim as checked from now on; empty means `reworded_text`. A stale
    `version` is a Conflict; a candidate no longer in the text is Invalid.
    """
    article = claim.article
    with transaction.atomic():
        current, body, _ = lock_article_text(article)
        span = _flagged_span(claim)
        start, end = span.revised_start, span.revised_end
        if start is None or end is None or body[start:end] != span.revised_quote or not span.revised_quote.strip():
            raise Invalid("The new wording is no longer in the article's text (it was revised again). Reload the claim.")
        new = anchoring.select(body, start, end)
        values = {"text": (text or "").strip() or reworded_text(claim.text, span.quote, new.exact)}
        status = claim.status
        if status in REOPENED_FROM:
            status = Status.IN_REVIEW if Verdict.objects.filter(claim_id=claim.pk).exists() else Status.OPEN
            values["status"] = status
            values["published_at"] = None
        rows = Claim.objects.filter(pk=claim.pk, version=version).update(version=F("version") + 1, updated_at=Now(), **values)
        if rows == 0:
            raise Conflict(Claim.objects.get(pk=claim.pk))
        old_quote = span.quote
        span.start, span.end = start, end
        span.quote, span.prefix, span.suffix = new.exact, new.prefix, new.suffix
        span.orphaned, span.anchor_method, span.revision = False, "accepted", current
        span.revised_start = span.revised_end = None
        span.revised_quote = ""
        span.save()
        HistoryEntry.objects.create(claim_id=claim.pk, actor=user, action=HistoryAction.WORDING_ACCEPTED, changes={
            "revision": current, "quote": [old_quote, new.exact], "text": [claim.text, values["text"]],
            "status": [claim.status, status], "kinds": list(wording.describe_change(old_quote, new.exact)),
        })
    claim.refresh_from_db()
    return claim


def orphan_changed_span(claim, user, version):
    """The candidate is not this claim's text: leave the claim without a place in the new text."""
    with transaction.atomic():
        current, _, _ = lock_article_text(claim.article)
        span = _flagged_span(claim)
        rows = Claim.objects.filter(pk=claim.pk, version=version).update(version=F("version") + 1, updated_at=Now())
        if rows == 0:
            raise Conflict(Claim.objects.get(pk=claim.pk))
        HistoryEntry.objects.create(claim_id=claim.pk, actor=user, action=HistoryAction.SPAN_ORPHANED, changes={
            "revision": current, "quote": span.quote, "rejected": span.revised_quote,
        })
        Span.objects.filter(pk=span.pk).update(anchor_method="orphaned", revised_start=None, revised_end=None, revised_quote="")
    claim.refresh_from_db()
    return claim


CHANGE_LABELS = {
    "number": "a number changed",
    "negation": "a negation changed",
    "name": "a name changed",
    "wording": "the wording changed",
}


def proposal(claim):
    """What the claim panel shows of a claim changed in revision: both wordings side by side,
    what differs, and the claim text that accepting the new wording would give."""
    span = claim.span
    kinds = wording.describe_change(span.quote, span.revised_quote)
    return {
        "old": span.quote,
        "new": span.revised_quote,
        "kinds": [CHANGE_LABELS[k] for k in kinds],
        "text": reworded_text(claim.text, span.quote, span.revised_quote),
    }
