"""Forms of the public pages: the index's filters and the oEmbed endpoint's parameters."""

from django import forms


class PublicIndexFilterForm(forms.Form):
    rating = forms.TypedChoiceField(label="Rating", coerce=int, required=False, empty_value=None,
                                    error_messages={"invalid_choice": "That rating is not on this desk's scale."})
    claimant = forms.CharField(label="Claimant", required=False, max_length=200, strip=True)

    def __init__(self, *args, ratings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", "Any rating")] + [(r.pk, r.label) for r in ratings]


class OEmbedForm(forms.Form):
    # Checked against this site's own fact-check URLs by the view (a URLField would refuse hosts without a dot).
    url = forms.CharField(max_length=2000, error_messages={"required": "Give the url of a fact-check."})
    format = forms.CharField(required=False, max_length=10)
    maxwidth = forms.IntegerField(required=False, min_value=1, max_value=10_000)
    maxheight = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def clean_format(self):
        return self.cleaned_data.get("format") or "json"
