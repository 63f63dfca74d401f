"""Forms of the management pages: a project's rating scale (editors) and its members (admins).

Their writes (add, edit, reorder, delete; add, change role, remove) are in services/manage.py; each
runs in one transaction and re-checks its rule under a lock, so two people clicking at
once cannot leave a project without an admin or with a clashing scale.
"""

import re

from django import forms
from django.contrib.auth import get_user_model

from annotate.models import Membership, Rating, Role

# --- rating scale -------------------------------------------------------------------

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Highlights and badges draw the rating colour on the white page: WCAG's 3:1 for
# graphical objects keeps them visible (the default scale is at 4:1 or more).
MIN_CONTRAST_ON_WHITE = 3.0


def contrast_on_white(colour):
    """WCAG contrast ratio of a #rrggbb colour against white, e.g. 21.0 for #000000."""

    def linear(channel):
        c = int(channel, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


class RatingForm(forms.ModelForm):
    class Meta:
        model = Rating
        fields = ["label", "value", "colour", "description"]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"value": "Ordinal value", "colour": "Colour"}
        help_texts = {
            "value": "Higher means more accurate; leave empty for a rating outside the order, such as “Unverifiable”.",
            "colour": "Dark enough to read on white (contrast at least 3:1).",
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def _others(self):
        others = Rating.objects.filter(project=self.project)
        return others.exclude(pk=self.instance.pk) if self.instance.pk else others

    def clean_label(self):
        label = " ".join(self.cleaned_data["label"].split())
        if not label:
            raise forms.ValidationError("Give the rating a label.")
        # Case-insensitive: "false" next to "False" would only confuse reviewers.
        if self._others().filter(label__iexact=label).exists():
            raise forms.ValidationError(f"The scale already has a rating called “{label}”.")
        return label

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None:
            clash = self._others().filter(value=value).first()
            if clash is not None:
                raise forms.ValidationError(f"“{clash.label}” already has the value {value}; each value is used once.")
        return value

    def clean_colour(self):
        colour = self.cleaned_data["colour"].strip()
        if not HEX_COLOUR.match(colour):
            raise forms.ValidationError("Give the colour as #rrggbb, e.g. #1a7f37.")
        ratio = contrast_on_white(colour)
        if ratio < MIN_CONTRAST_ON_WHITE:
            raise forms.ValidationError(f"This colour is too light to see on white (contrast {ratio:.1f}:1, at least 3:1 needed). Pick a darker one.")
        return colour.lower()


# --- members --------------------------------------------------------------------------


class AddMemberForm(forms.Form):
    username = forms.CharField(max_length=150, help_text="An existing Factmark account.")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.REVIEWER)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["username"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise forms.ValidationError(f"There is no user “{username}”. Check the spelling, or ask a site administrator to create the account.")
        existing = Membership.objects.filter(project=self.project, user=user).first()
        if existing is not None:
            raise forms.ValidationError(f"{username} is already a member ({existing.get_role_display().lower()}).")
        self.user = user
        return username


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
