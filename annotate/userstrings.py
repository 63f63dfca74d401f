"""Every stored string without bidirectional control characters (issue 18, item 8).

One function, textclean.strip_bidi, applied where every write passes: before any model of
this app (and a user account) is saved, whichever way it came (form, API serializer,
admin, command), and to the values of the services' locked updates (which use
QuerySet.update and so send no pre_save). Article bodies are stripped at import
(textclean.normalise), before any offset points into them; span quotes and contexts are
slices of that body, so they are left as they are.
"""

from functools import cache

from django.db import models

from annotate.textclean import strip_bidi

# Slices of an article body (already clean at import): changing them would move offsets.
EXEMPT = {("annotate", "article", "body"), ("annotate", "articlerevision", "body"),
          ("annotate", "span", "quote"), ("annotate", "span", "prefix"), ("annotate", "span", "suffix")}
APPS = {"annotate", "auth"}


def clean_value(value):
    return strip_bidi(value) if isinstance(value, str) else value


def clean_values(values):
    """A services update's `values` (field -> value), their strings cleaned."""
    return {name: clean_value(value) for name, value in values.items()}


@cache  # a model's fields are fixed once the app registry is ready; save() runs this on every write
def _text_fields(model):
    meta = model._meta
    return tuple(
        field.attname for field in meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and field.name != "password"
        and (meta.app_label, meta.model_name, field.name) not in EXEMPT
    )


def strip_before_save(sender, instance, raw=False, **kwargs):
    if raw or sender._meta.app_label not in APPS:
        return
    for name in _text_fields(sender):
        value = getattr(instance, name)
        if isinstance(value, str):
            setattr(instance, name, strip_bidi(value))
