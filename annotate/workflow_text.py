"""Sentences for the workflow's history entries (corrections, assignments) and project events."""

from annotate.models import HistoryAction


def describe(action, changes, short):
    """One claim history entry: the old wording of a correction stays readable here."""
    if action == HistoryAction.CORRECTED:
        parts = []
        if "rating" in changes:
            parts.append(f"rating “{changes['rating'][0]}” → “{changes['rating'][1]}”")
        if "rationale" in changes:
            parts.append(f"rationale was “{short(changes['rationale'][0])}”")
        return "corrected the published fact-check: " + "; ".join(parts) + f". Note: “{short(changes.get('note', ''))}”"
    if action == HistoryAction.ASSIGNED:
        before, after = changes.get("assignees", [[], []])
        return f"assigned the claim to {', '.join(after) or 'nobody'} (was {', '.join(before) or 'nobody'})"
    if action == HistoryAction.TAKEN:
        return "took the claim"
    return action.replace("_", " ")


EVENT_SENTENCES = {
    "settings_changed": "changed the workflow settings",
    "rating_added": "added a rating to the scale",
    "rating_changed": "changed a rating",
    "rating_moved": "moved a rating",
    "rating_deleted": "deleted a rating",
    "member_added": "added a member",
    "member_role_changed": "changed a member's role",
    "member_removed": "removed a member",
    "article_assigned": "assigned every open claim of an article",
    "thresholds_changed": "changed the Checked before thresholds",
}


def describe_event(event):
    """One ProjectEvent as a sentence, with its details (old → new) in plain text."""
    head = EVENT_SENTENCES.get(event.action, event.action.replace("_", " "))
    details = []
    for key, value in (event.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            details.append(f"{key}: {value[0]} → {value[1]}")
        else:
            details.append(f"{key}: {value}")
    return head + (f" ({'; '.join(details)})" if details else "")
