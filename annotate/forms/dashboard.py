"""The dashboard's filters: a date range and optionally one article of the project."""

import datetime as dt

from django import forms

from annotate.stats import Filters

DEFAULT_WEEKS = 12
MAX_DAYS = 731  # two years: at most 105 weekly bars


def default_range(today):
    return today - dt.timedelta(weeks=DEFAULT_WEEKS) + dt.timedelta(days=1), today


class DashboardFilterForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": "“From” must be a date such as 2026-01-31."})
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": "“To” must be a date such as 2026-01-31."})
    article = forms.TypedChoiceField(label="Article", coerce=int, required=False, empty_value=None,
                                     error_messages={"invalid_choice": "That article is not in this project."})

    def __init__(self, *args, articles=(), today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["article"].choices = [("", "All articles")] + [(a.pk, a.title) for a in articles]
        start, end = default_range(today)
        self.fields["start"].widget.attrs["placeholder"] = start.isoformat()
        self.fields["end"].widget.attrs["placeholder"] = end.isoformat()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        default_start, default_end = default_range(self.today)
        end = data.get("end") or default_end
        start = data.get("start") or (end - (default_end - default_start))
        if start > end:
            raise forms.ValidationError("“From” must be on or before “To”.")
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(f"Choose a range of at most {MAX_DAYS} days (two years).")
        data["start"], data["end"] = start, end
        return data

    def filters(self):
        """Filters for annotate.stats; call after is_valid()."""
        data = self.cleaned_data
        return Filters(start=data["start"], end=data["end"], article_id=data.get("article"))
