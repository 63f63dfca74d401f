import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Now


class Role(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Admin"


# What each role may do; higher roles include the lower ones.
ROLE_RANK = {Role.REVIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}

# (label, ordinal value or None, colour, description); best first.
DEFAULT_SCALE = [
    ("Accurate", 5, "#1a7f37", "The claim is correct and nothing significant is missing."),
    ("Mostly accurate", 4, "#4d8c2b", "The claim is correct but needs clarification or context."),
    ("Mixed", 3, "#9a6700", "The claim is partly correct and partly wrong."),
    ("Misleading", 2, "#bc4c00", "The claim contains facts but leaves a false impression."),
    ("False", 1, "#cf222e", "The claim is wrong."),
    ("Unverifiable", None, "#57606a", "The evidence available cannot settle the claim."),
]


ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


def embed_origin_lines(text):
    return [line.strip().rstrip("/") for line in (text or "").splitlines() if line.strip()]


def validate_embed_origins(text):
    """One origin per line, scheme and host (and port) only: https://news.example.org"""
    bad = [line for line in embed_origin_lines(text) if not ORIGIN_RE.match(line)]
    if bad:
        raise ValidationError(
            "Each line must be an origin such as https://news.example.org (no path, no wildcard): %(bad)s",
            params={"bad": ", ".join(bad)},
        )


class Project(models.Model):
    """A desk: every article, claim and verdict belongs to exactly one project."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(db_default=Now())
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    # Sites allowed to show this desk's fact-check cards in an <iframe> (CSP frame-ancestors).
    embed_origins = models.TextField(
        blank=True,
        validators=[validate_embed_origins],
        help_text="Sites that may embed this desk's fact-check cards, one origin per line (https://news.example.org).",
    )
    # Workflow settings (annotate/lifecycle.py): independent verdicts a claim needs before
    # it is ready for the editor, and whether reviewers see others' verdicts before giving theirs.
    required_verdicts = models.PositiveSmallIntegerField(
        default=1, help_text="Independent verdicts a claim needs before it is ready for the editor."
    )
    blind_review = models.BooleanField(
        default=True, help_text="Reviewers do not see other reviewers' verdicts until they have given their own."
    )
    # Claim matching ("Checked before"): scores at or above `match_suggest` are shown, at or
    # above `match_autolink` the new claim is linked to the earlier one without asking.
    match_suggest = models.FloatField(default=0.6, help_text="Show an earlier claim under Checked before from this score (0–1).")
    match_autolink = models.FloatField(default=0.95, help_text="Link a new claim to an earlier one without asking from this score (0–1); not below the suggest threshold.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(required_verdicts__gte=1) & models.Q(required_verdicts__lte=10),
                name="project_required_verdicts_range",
            ),
            models.CheckConstraint(
                condition=models.Q(match_suggest__gte=0) & models.Q(match_suggest__lte=models.F("match_autolink")) & models.Q(match_autolink__lte=1),
                name="project_match_thresholds_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        from annotate.memory.thresholds import validate_thresholds

        validate_thresholds(self.match_suggest, self.match_autolink)

    def frame_ancestors(self):
        return embed_origin_lines(self.embed_origins)

    def save(self, *args, **kwargs):
        created = self._state.adding
        super().save(*args, **kwargs)
        if created:
            self.create_default_scale()

    def create_default_scale(self):
        Rating.objects.bulk_create(
            Rating(project=self, label=label, value=value, colour=colour, description=description, position=i)
            for i, (label, value, colour, description) in enumerate(DEFAULT_SCALE)
        )


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.REVIEWER)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="membership_one_per_user_project"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} – {self.project} ({self.role})"


class Rating(models.Model):
    """One step of a project's ordered rating scale.

    `value` is the ordinal (higher is more accurate) that ClaimReview reports as
    ratingValue; a rating without one (Unverifiable) sits outside the order.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ratings")
    label = models.CharField(max_length=60)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    colour = models.CharField(max_length=7, default="#57606a")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "label"], name="rating_label_unique_per_project"),
            models.UniqueConstraint(fields=["project", "value"], name="rating_value_unique_per_project"),
            models.CheckConstraint(condition=models.Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="rating_colour_hex"),
        ]

    def __str__(self):
        return self.label
