"""Sentences for the history entries the source checks write (see annotate/snapshots.py)."""

from annotate.models import HistoryAction

_STATES = {
    "unchecked": "not checked",
    "found": "found on the page",
    "close": "a close match",
    "not_found": "not found on the page",
    "no_excerpt": "no excerpt",
}


def describe(action: str, changes: dict) -> str:
    """
    >>> describe("source_excerpt_checked", {"url": "https://a.example/", "verification": ["found", "not_found"]})
    'the excerpt from https://a.example/ is now not found on the page (was found on the page)'
    """
    url = changes.get("url", "a source")
    if action == HistoryAction.SOURCE_EXCERPT_CHECKED:
        before, after = (list(changes.get("verification") or []) + ["", ""])[:2]
        return f"the excerpt from {url} is now {_STATES.get(after, after)} (was {_STATES.get(before, before)})"
    if action == HistoryAction.SOURCE_GONE:
        status = changes.get("status")
        return f"the page {url} is gone" + (f" (HTTP {status})" if status else f": {changes.get('error', '')}".rstrip(": "))
    if action == HistoryAction.SOURCE_BACK:
        return f"the page {url} answers again"
    if action == HistoryAction.SOURCE_ARCHIVED:
        return f"archived {url} at {changes.get('archived_url', '')}"
    return action.replace("_", " ")
