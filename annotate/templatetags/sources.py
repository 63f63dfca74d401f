"""Template helpers of the sources feature: the excerpt's difference and the archive switch."""

from django import template
from django.conf import settings

from annotate import verify

register = template.Library()


@register.filter
def excerpt_difference(evidence):
    """(op, words) pieces between the reviewer's excerpt and the passage found (close matches)."""
    if not evidence.matched_text:
        return []
    return verify.difference(evidence.excerpt, evidence.matched_text)


@register.simple_tag
def archive_enabled():
    return bool(settings.FACTMARK_ARCHIVE_ENABLED)
