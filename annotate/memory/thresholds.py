"""The two per-project thresholds of claim matching, validated in one place (model, forms, API)."""

from django.core.exceptions import ValidationError


def validate_thresholds(suggest, autolink):
    """Both between 0 and 1, and suggest ≤ auto-link (a pair linked without asking must also be shown)."""
    errors = {}
    for name, value in (("match_suggest", suggest), ("match_autolink", autolink)):
        if value is None or not 0 <= value <= 1:
            errors[name] = "Give a score between 0 and 1."
    if not errors and suggest > autolink:
        errors["match_autolink"] = "The auto-link threshold cannot be below the suggest threshold."
    if errors:
        raise ValidationError(errors)
