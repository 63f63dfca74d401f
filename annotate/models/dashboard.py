"""The dashboard's daily partial totals (annotate/dashboard_totals.py).

`DashboardTotal` holds, per project, day and article, the counts the dashboard's charts
sum: a few hundred rows per project and chart instead of every claim and verdict. Rows
with article_id 0 hold the whole project's totals (a view without the article filter).
`DashboardDirty` lists the days whose totals a write has made stale: database triggers
(migration 0011) insert a row in the writer's own transaction for every day a changed
claim or verdict counts on, whatever wrote it (services, the admin, a bulk UPDATE, a
cascade, raw SQL). Rows are only ever inserted by writers, never updated, so writers do
not wait on each other here; the dashboard recomputes those days from the claims and
verdicts before it reads (`dashboard_totals.refresh`).

No foreign keys: the triggers insert rows while Django deletes a project, and stale
rows of a deleted project are removed with it (a post_delete receiver).
"""

from django.db import models


class DashboardDirty(models.Model):
    project_id = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["project_id", "day"], name="dashdirty_project_day")]

    def __str__(self):
        return f"project {self.project_id}, {self.day}"


class DashboardTotal(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created"  # claims by creation day
        VERDICTS = "verdicts"  # verdicts by the day they were given (the claim's article)
        PUBLISHED = "published"  # published claims by publication day and final rating
        SETTLED = "settled"  # settled claims by approval day, final rating and claimant (label)
        OUTLET = "outlet"  # settled claims by approval day, article and final rating (no article 0 rows)
        PROFILE = "profile"  # claims with two or more verdicts by creation day and their ratings (label)
        TTP = "ttp"  # time to publish of a whole week (day: its Monday): n, median and p90 in seconds

    project_id = models.BigIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    day = models.DateField()
    article_id = models.BigIntegerField()
    rating_id = models.BigIntegerField(null=True)
    label = models.TextField(default="", blank=True)
    n = models.IntegerField()
    median = models.FloatField(null=True)
    p90 = models.FloatField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["project_id", "kind", "article_id", "day"], name="dashtotal_project_kind_day"),
            models.Index(fields=["project_id", "day"], name="dashtotal_project_day"),
        ]

    def __str__(self):
        return f"{self.kind} {self.day} article {self.article_id}: {self.n}"
