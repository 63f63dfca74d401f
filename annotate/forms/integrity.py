"""Forms of the claim panel's "changed in revision" block: shape only (services check the rules)."""

from django import forms

from annotate.forms.base import BaseForm

_VERSION_ERRORS = {"required": "The form is missing the claim's version; reload the claim.", "invalid": "The claim's version must be a number."}


class AcceptWordingForm(BaseForm):
    id_prefix = "accept"

    text = forms.CharField(
        label="Claim as checked, with the new wording", required=False, max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Accepting re-opens the verdict: it was given on the old wording.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=_VERSION_ERRORS)


class OrphanForm(BaseForm):
    id_prefix = "orphan"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=_VERSION_ERRORS)
