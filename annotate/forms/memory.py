"""Desk memory's forms: the search filters (page and API share them), a match decision, the thresholds."""

from django import forms

from annotate.memory.claimants import normalise_claimant
from annotate.memory.search import Params
from annotate.memory.thresholds import validate_thresholds
from annotate.models import Article, MatchDecision, Project, SearchKind, Status

MAX_QUERY = 500
MAX_PAGE = 500


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=MAX_QUERY, required=False, strip=True,
                        help_text='Words, "a quoted phrase", -word to leave out, OR between alternatives.')
    kind = forms.MultipleChoiceField(label="Kind", choices=SearchKind.choices, required=False, widget=forms.CheckboxSelectMultiple,
                                     error_messages={"invalid_choice": "Kind must be claim, article or source."})
    rating = forms.TypedChoiceField(label="Final rating", coerce=int, required=False, empty_value=None,
                                    error_messages={"invalid_choice": "That rating is not on this project's scale."})
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *Status.choices], required=False,
                               error_messages={"invalid_choice": "Unknown status."})
    claimant = forms.CharField(label="Claimant", max_length=200, required=False)
    article = forms.IntegerField(label="Article number", min_value=1, required=False,
                                 error_messages={"invalid": "Give an article number.", "min_value": "Give an article number."})
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": "“From” must be a date such as 2026-01-31."})
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": "“To” must be a date such as 2026-01-31."})
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False,
                              error_messages={"min_value": "Pages start at 1.", "max_value": f"Pages stop at {MAX_PAGE}: narrow the search."})

    def __init__(self, *args, project, ratings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["rating"].choices = [("", "Any rating")] + [(r.pk, r.label) for r in ratings]

    def clean_article(self):
        article = self.cleaned_data.get("article")
        if article and not Article.objects.filter(pk=article, project=self.project).exists():
            raise forms.ValidationError("That article is not in this project.")
        return article

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("“From” must be on or before “To”.")
        return data

    def params(self):
        d = self.cleaned_data
        return Params(
            q=d.get("q") or "", kinds=tuple(d.get("kind") or ("claim", "article", "source")), rating=d.get("rating"),
            status=d.get("status") or "", claimant=normalise_claimant(d.get("claimant") or ""), article=d.get("article"),
            date_from=d.get("date_from"), date_to=d.get("date_to"), page=d.get("page") or 1,
        )


class MatchDecisionForm(forms.Form):
    earlier = forms.IntegerField(min_value=1, error_messages={"required": "Say which earlier claim."})
    decision = forms.ChoiceField(choices=MatchDecision.choices, error_messages={"invalid_choice": "Decide “confirmed” or “dismissed”."})


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["match_suggest", "match_autolink"]
        labels = {"match_suggest": "Suggest from", "match_autolink": "Link without asking from"}
        widgets = {f: forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}) for f in ("match_suggest", "match_autolink")}

    def clean(self):
        data = super().clean()
        if "match_suggest" in data and "match_autolink" in data:
            try:
                validate_thresholds(data["match_suggest"], data["match_autolink"])
            except forms.ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field, errors)
        return data
