"""Forms of the review page and the claim panel: a selection, the claim's wording, a verdict,
evidence and comments. Shape checks only; views turn services' `Invalid` into form errors.
"""

from django import forms

from annotate import limits
from annotate.forms.base import BaseForm
from annotate.models import Stance

MAX_QUOTE = 100_000


class SelectionForm(BaseForm):
    """A selection made in the browser: code-point offsets into the body and the quoted text."""

    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    # Whitespace is part of the quote and must reach the service unchanged.
    quote = forms.CharField(strip=False, max_length=MAX_QUOTE)
    # The article revision the page showed: a selection on an older text is refused.
    revision = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not self.errors and data["end"] <= data["start"]:
            raise forms.ValidationError("The selection is empty: select some words in the article.")
        return data


class ClaimEditForm(BaseForm):
    id_prefix = "edit"

    text = forms.CharField(label="Claim as checked", widget=forms.Textarea(attrs={"rows": 3}), max_length=limits.CLAIM_TEXT)
    claimant = forms.CharField(label="Claimant", required=False, max_length=limits.CLAIMANT)
    claim_date = forms.DateField(label="Claim date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def values(self):
        data = self.cleaned_data
        return {"text": data["text"], "claimant": data["claimant"], "claim_date": data["claim_date"]}


class VerdictForm(BaseForm):
    """The reviewer's own verdict. Choices come from ratings the view already loaded (no query here)."""

    id_prefix = "verdict"
    rating = forms.TypedChoiceField(label="Rating", coerce=int, widget=forms.RadioSelect)
    rationale = forms.CharField(label="Rationale", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=limits.RATIONALE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, ratings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ratings = list(ratings)
        self.fields["rating"].choices = [(r.pk, r.label) for r in self.ratings]
        self.fields["rating"].error_messages["invalid_choice"] = "That rating is not on this project's scale."

    def rating_object(self):
        pk = self.cleaned_data["rating"]
        return next(r for r in self.ratings if r.pk == pk)


class EvidenceForm(BaseForm):
    id_prefix = "evidence"

    url = forms.CharField(label="Source URL", max_length=limits.URL, widget=forms.URLInput(attrs={"autocomplete": "off"}))
    title = forms.CharField(label="Title", required=False, max_length=limits.TITLE)
    publisher = forms.CharField(label="Publisher", required=False, max_length=limits.PUBLISHER)
    # Sources (issue 15): the source's own date and an archive link the reviewer already has.
    published_on = forms.DateField(label="Source's date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    archived_url = forms.CharField(label="Archived copy", required=False, max_length=limits.URL,
                                   widget=forms.URLInput(attrs={"placeholder": "https://web.archive.org/web/…"}),
                                   help_text="A link to an archived copy (Internet Archive, archive.today, your own).")  # fmt: skip
    stance = forms.ChoiceField(label="Stance", choices=Stance.choices, widget=forms.RadioSelect)
    excerpt = forms.CharField(label="Excerpt", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=limits.EXCERPT)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.NOTE)


class CommentForm(BaseForm):
    id_prefix = "comment"

    text = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.COMMENT)
