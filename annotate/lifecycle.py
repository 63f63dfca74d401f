"""The publishing lifecycle: ONE table of which status may follow which, and who may move it.

Every page, API call and service that changes a claim's status asks this module, so a
forged form or PATCH cannot take a path the table does not list (the pages only offer
`offered(...)`). Pure Python on the Status/Role enums: no queries.

    open ─▶ in review ─▶ needs second opinion ─▶ approved ─▶ published
                  ◀──────────────┘                  ▲  │         │ correct (note)
                                                    │  ◀─ reopen │
                                                    └─ unpublish (reason)

Reviewers take no move by hand; their first verdict moves an open claim into review
(services.save_verdict), which is the one move made by the system rather than a person.

    >>> find(Status.PUBLISHED, Status.OPEN) is None      # Set status cannot unpublish
    True
    >>> str(find(Status.APPROVED, Status.PUBLISHED).role)
    'editor'
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from annotate.models import ROLE_RANK, Role, Status
from annotate.writes import Invalid


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    role: str  # the lowest role that may take it
    label: str  # what the button says
    needs_final: bool = False  # a final verdict must be settled first
    needs_reason: bool = False  # unpublish: the reason goes into the history
    via: str = "status"  # "status": the Set status form / API status; "final": settling; "unpublish": its own action


S = Status
TRANSITIONS = (
    Transition("start_review", S.OPEN, S.IN_REVIEW, Role.EDITOR, "In review"),
    Transition("second_opinion", S.IN_REVIEW, S.SECOND_OPINION, Role.EDITOR, "Needs second opinion"),
    Transition("back_to_review", S.SECOND_OPINION, S.IN_REVIEW, Role.EDITOR, "In review"),
    # Settling a final verdict approves (the final-verdict form); Set status approves a
    # claim whose final verdict was kept when it was reopened.
    Transition("approve", S.OPEN, S.APPROVED, Role.EDITOR, "Approved", needs_final=True, via="final"),
    Transition("approve", S.IN_REVIEW, S.APPROVED, Role.EDITOR, "Approved", needs_final=True),
    Transition("approve", S.SECOND_OPINION, S.APPROVED, Role.EDITOR, "Approved", needs_final=True),
    Transition("reopen", S.APPROVED, S.IN_REVIEW, Role.EDITOR, "In review"),
    Transition("publish", S.APPROVED, S.PUBLISHED, Role.EDITOR, "Publish", needs_final=True, via="publish"),
    # A published fact-check changes only through a correction (keeps its URL, public note)
    # or by being unpublished, on purpose, with a reason.
    Transition("correct", S.PUBLISHED, S.PUBLISHED, Role.EDITOR, "Correct", needs_final=True, via="final"),
    Transition("unpublish", S.PUBLISHED, S.APPROVED, Role.EDITOR, "Unpublish", needs_reason=True, via="unpublish"),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}

# Settled: the statuses only a settled final verdict leads to (approved, published). Their
# wording and place change only through an editor, and they are never deleted. The one
# definition: models/claims.py's check constraint spells the same pair out (models cannot
# import this module), and tests/unit/test_architecture.py holds the two equal.
SETTLED = tuple(dict.fromkeys(t.target for t in TRANSITIONS if t.needs_final))


def delete_refusal(claim, user, others_have_verdicts):
    """Why `user` may not delete `claim`, as the exception to raise; None when they may.
    Only the creator, only while no other reviewer gave a verdict, never once settled."""
    if claim.created_by_id != user.pk:
        return PermissionDenied("Only the reviewer who created this claim can delete it.")
    if others_have_verdicts:
        return Invalid("Another reviewer has given a verdict on this claim, so it cannot be deleted.")
    if claim.status in SETTLED:
        return Invalid("A settled claim cannot be deleted.")
    return None


class NotAllowed(Exception):
    """The table has no such move from the claim's current status (HTTP 409: nothing changed)."""

    def __init__(self, source, target):
        self.source, self.target = source, target
        allowed = [t.label for t in TRANSITIONS if t.source == source and t.target != source]
        hint = f" From here: {', '.join(dict.fromkeys(allowed))}." if allowed else ""
        super().__init__(f"A claim that is {label(source)} cannot become {label(target)}.{hint}")
        self.message = str(self)


def label(status):
    try:
        return Status(status).label.lower()
    except ValueError:
        return str(status)


def find(source, target):
    """The transition from `source` to `target`, or None when the table has none."""
    return _BY_PAIR.get((source, target))


def may(role, transition):
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(transition.role)]


class OtherControl(NotAllowed):
    """The move exists but has its own action (unpublish: confirmation and a reason)."""

    def __init__(self, transition):
        Exception.__init__(self, f"{transition.label} is its own action on the claim: use the {transition.label} button, give a reason and confirm.")
        self.source, self.target = transition.source, transition.target
        self.message = str(self)


def check(source, target, role, *, has_final, reason="", via=None):
    """The transition, or an exception saying why not (Invalid from annotate.writes).

    Order: a missing final verdict first (the most useful message), then the table, then
    the role, then the reason.
    """
    if target in (S.APPROVED, S.PUBLISHED) and not has_final:
        raise Invalid("Settle a final verdict before approving or publishing.", field="status")
    transition = find(source, target)
    if transition is None:
        raise NotAllowed(source, target)
    if via is not None and transition.via not in via:
        raise OtherControl(transition)
    if not may(role, transition):
        raise PermissionDenied(f"Only a project {Role(transition.role).label.lower()} may do this ({transition.label}).")
    if transition.needs_reason and not (reason or "").strip():
        raise Invalid("Give the reason for unpublishing: it is kept in the claim's history.", field="reason")
    return transition


def offered(claim, role, via="status"):
    """The transitions a page offers on `claim` for a user with `role` through one control."""
    return [
        t for t in TRANSITIONS
        if t.source == claim.status and t.via == via and may(role, t) and (claim.final_rating_id or not t.needs_final)
    ]


def status_choices(claim, role):
    """Choices of the Set status select: the current status first (unchanged), then the allowed ones."""
    return [(t.target, t.label) for t in offered(claim, role)]
