"""The write layer's shared pieces: its two errors, the optimistic-locking update and the
caller's role. A module of its own so services, lifecycle, corrections and the workflow
services all import them from one place without importing each other."""

from django.db.models import F
from django.db.models.functions import Now

from annotate.models import Membership
from annotate.userstrings import clean_values


class Invalid(ValueError):
    """Bad input; `field` names the offending input when there is one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(Exception):
    """The object changed since the version the user saw; `current` is its state now."""

    def __init__(self, current, message=None):
        super().__init__(message or "Someone else changed this in the meantime. Your text is kept below; review the current version and save again.")
        self.current = current
        self.message = str(self)



def locked_update(model, pk, version, values, current):
    """Apply `values` only if the row is still at `version`; bump the version. Raise Conflict otherwise."""
    values = clean_values(values)  # no bidirectional controls in stored text (QuerySet.update sends no pre_save)
    rows = model.objects.filter(pk=pk, version=version).update(version=F("version") + 1, updated_at=Now(), **values)
    if rows == 0:
        raise Conflict(current())



def role_of(claim, user):
    """The user's role in the claim's project: annotated by annotate.access, else one query."""
    role = getattr(claim, "user_role", None)
    if role is None:
        role = Membership.objects.filter(project_id=claim.project_id, user=user).values_list("role", flat=True).first()
    return role
