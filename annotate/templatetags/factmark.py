from django import template

from annotate.claimreview import jsonld_script as _jsonld_script

register = template.Library()


@register.filter
def jsonld_script(data):
    """Render a dict as an escaped JSON-LD script block: {{ review|jsonld_script }}."""
    return _jsonld_script(data)
