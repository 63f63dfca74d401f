"""Hooks the integrity rules call when people must hear about a change.

`notify_changed_in_revision` is called (after commit) for every claim that a revision
of its article flagged "changed in revision": the text now says other words where the
claim's quote was, so a reviewer has to re-place it, accept the new wording (which
re-opens the verdict) or orphan it, and, for a published claim, editors must know the
public page shows wording the article no longer has.

For now it does nothing: notifications are being built separately (issue 11), and the
lead wires this function to them at merge. The history entry ("span_changed") is
written by the revision itself, in the same transaction, whatever this hook does.
"""


def notify_changed_in_revision(claim):
    """Tell the claim's editors (and assignees) that a revision changed its wording. No-op until wired."""
    return None
