"""Forms of the editor's pages: queue filters, final verdict, workflow status.

They check shape only; the services check the rules (rating on the claim's scale,
version still current) and raise `services.Invalid` / `services.Conflict`.
"""

from django import forms

from annotate import limits
from annotate.models import Status

# Statuses of claims waiting for a final verdict (with at least one reviewer verdict).
QUEUE_STATUSES = (Status.OPEN, Status.IN_REVIEW, Status.SECOND_OPINION)

# What the status form accepts: a workflow status, or publish / unpublish, which go
# through their own services (publishing stamps published_at, unpublishing clears it).
PUBLISH, UNPUBLISH = "publish", "unpublish"
STATUS_ACTIONS = [(value, label) for value, label in Status.choices if value != Status.PUBLISHED] + [
    (PUBLISH, "Publish"),
    (UNPUBLISH, "Unpublish"),
]

_VERSION_ERRORS = {"required": "The form is missing the claim's version; reload the page.", "invalid": "The claim's version must be a number."}


class QueueFilterForm(forms.Form):
    tab = forms.ChoiceField(required=False, choices=[("", "All unsettled")] + [(k, k) for k in ("open", "waiting", "ready", "second", "approved")])
    article = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    assignee = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "Any status")] + [(s.value, s.label) for s in Status if s != Status.PUBLISHED])
    disagree = forms.BooleanField(required=False, label="Only where reviewers disagree")

    def __init__(self, *args, articles=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", "All articles")] + [(a.pk, a.title) for a in articles]
        self.fields["assignee"].choices = [("", "Anyone or nobody"), ("me", "Me"), ("none", "Nobody")] + [(u, u) for u in members]

    def filters(self):
        """The valid filters as a dict; a bad value is ignored rather than failing the page."""
        if self.is_valid():
            return self.cleaned_data
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}


class FinalVerdictForm(forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        error_messages={"required": "Pick a rating for the final verdict.", "invalid_choice": "That rating is not on this project's scale."},
    )
    final_rationale = forms.CharField(
        label="Rationale",
        max_length=limits.RATIONALE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the rationale for the final verdict."},
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, error_messages=_VERSION_ERRORS)
    # Only for a published fact-check: the public note of the correction (annotate/corrections.py).
    correction_note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ratings, **kwargs):
        super().__init__(*args, **kwargs)
        # The scale is already loaded by the view: choose from it without another query.
        self._ratings = {r.pk: r for r in ratings}
        self.fields["rating"].choices = [(r.pk, r.label) for r in ratings]

    def clean_rating(self):
        return self._ratings[self.cleaned_data["rating"]]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=STATUS_ACTIONS,
        error_messages={"required": "Pick a status.", "invalid_choice": "Unknown status “%(value)s”."},
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, error_messages=_VERSION_ERRORS)


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for unpublishing: it is kept in the claim's history."},
    )  # fmt: skip
    confirm = forms.BooleanField(
        label="Yes, take this fact-check off the public page",
        error_messages={"required": "Tick the box to confirm: unpublishing takes the fact-check off the public page and its feeds."},
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, error_messages=_VERSION_ERRORS)
