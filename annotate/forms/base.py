"""The forms' shared pieces: BaseForm (fields rendered with their label, help and error,
wired for aria-describedby) and add_service_error, which puts a services.Invalid on the field it names.

The rules (quote matches the body, rating on the project's scale, URL schemes, versions) live in
annotate/services/; forms check shape only.
"""

from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe


class BaseForm(forms.Form):
    """Ids prefixed per form: the claim panel shows several forms with a `text` field at once."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @property
    def groups(self):
        """`{{ form.groups.name }}`: label, control and errors of a field, as `field_group` renders them."""
        return _Groups(self)


class _Groups:
    def __init__(self, form):
        self.form = form

    def __getitem__(self, name):
        return field_group(self.form[name])


def field_group(bound):
    """A field's label, control and errors in plain HTML, with aria-invalid/aria-describedby.

    Django's `as_field_group` renders three templates per field; the claim panel has a
    dozen fields and is answered on every htmx save, so it is built here instead.
    """
    field, widget = bound.field, bound.field.widget
    # RadioSelect's id_for_label is "" (there is no single control), which gave ids like "_0"
    # and an error paragraph "_error" shared by every radio group; the group's own id is auto_id.
    id_ = bound.auto_id if isinstance(widget, forms.RadioSelect) else bound.id_for_label
    value = bound.value()
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    value = "" if value is None else str(value)
    if isinstance(widget, forms.HiddenInput):
        return format_html('<input type="hidden" name="{}" value="{}" id="{}">', bound.html_name, value, id_)
    errors = bound.errors
    attrs = {"name": bound.html_name, "id": id_}
    if field.required:
        attrs["required"] = True
    if getattr(field, "max_length", None):
        attrs["maxlength"] = field.max_length
    for key, attr_value in widget.attrs.items():
        attrs.setdefault(key, attr_value)
    described = [f"{id_}_helptext"] if field.help_text else []
    if errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{id_}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    label = bound.label
    if isinstance(widget, forms.RadioSelect):
        attrs.pop("maxlength", None)
        current = value
        radios = format_html_join(
            "",
            '<label for="{0}_{1}"><input type="radio" name="{2}" value="{3}" id="{0}_{1}"{4}{5}> {6}</label>',
            (
                (id_, i, bound.html_name, choice, " required" if field.required else "",
                 mark_safe(" checked") if str(choice) == current else "", choice_label)
                for i, (choice, choice_label) in enumerate(field.choices)
            ),
        )
        described_attr = format_html(' aria-describedby="{}"', attrs["aria-describedby"]) if described else ""
        return format_html(
            '<fieldset class="field radio-field{}"{}><legend>{}</legend><div>{}</div>{}</fieldset>',
            " has-error" if errors else "", described_attr, label, radios, _errors(id_, errors),
        )
    rendered_attrs = _attrs(attrs)
    if isinstance(widget, forms.Textarea):
        control = format_html("<textarea{}>\n{}</textarea>", rendered_attrs, value)
    else:
        control = format_html('<input type="{}"{} value="{}">', widget.input_type, rendered_attrs, value)
    help_html = format_html('<p class="helptext" id="{}_helptext">{}</p>', id_, field.help_text) if field.help_text else ""
    return format_html(
        '<div class="field{}"><label for="{}">{}</label>{}{}{}</div>',
        " has-error" if errors else "", id_, label, control, help_html, _errors(id_, errors),
    )


def _attrs(attrs):
    return mark_safe("".join(
        f" {key}" if value is True else f' {key}="{conditional_escape(value)}"' for key, value in attrs.items()
    ))


def _errors(id_, errors):
    if not errors:
        return ""
    return format_html('<p class="field-error" id="{}_error">{}</p>', id_, " ".join(str(e) for e in errors))


def add_service_error(form, error):
    """Attach a services.Invalid to the field it names, or to the form as a whole."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
