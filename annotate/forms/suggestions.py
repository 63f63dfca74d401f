"""Accepting a suggestion: optionally a narrower selection inside its sentence."""

from django import forms

from annotate.forms.claims import MAX_QUOTE


class AcceptSuggestionForm(forms.Form):
    """All three empty: the whole suggested sentence. Otherwise a selection inside it."""

    start = forms.IntegerField(min_value=0, required=False)
    end = forms.IntegerField(min_value=0, required=False)
    quote = forms.CharField(strip=False, max_length=MAX_QUOTE, required=False)

    def clean(self):
        data = super().clean()
        given = [data.get(k) not in (None, "") for k in ("start", "end", "quote")]
        if any(given) and not all(given):
            raise forms.ValidationError("A narrower selection needs its start, end and quote; send none of them for the whole sentence.")
        if all(given) and data["end"] <= data["start"]:
            raise forms.ValidationError("The selection is empty: select some words in the article.")
        if not any(given):
            data["start"] = data["end"] = data["quote"] = None
        return data
