"""Template helpers of the workflow: what the lifecycle table offers on a claim."""

from django import template

from annotate import lifecycle
from annotate.models import Role

register = template.Library()


@register.filter
def status_options(claim):
    """(value, label) of the Set status select for an editor: only moves the table allows.

    The editor actions are shown to editors and admins only, who share every transition.
    """
    return lifecycle.status_choices(claim, Role.EDITOR)
