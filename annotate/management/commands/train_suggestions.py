"""Retrain each project's check-worthiness model from its reviewers' decisions.

    python manage.py train_suggestions [--project SLUG] [--min-labels 200]

Run it on a schedule (nightly is plenty: a desk makes tens of decisions a day), e.g. cron:

    15 3 * * *  cd /srv/factmark && .venv/bin/python manage.py train_suggestions

A project with fewer labels than --min-labels keeps the rules alone (and says so).
A new version is stored only when the labels changed since the last one.
"""

from django.core.management.base import BaseCommand, CommandError

from annotate import suggestions
from annotate.models import Project
from annotate.suggest import learn


class Command(BaseCommand):
    help = "Train each project's suggestion model from accepted, dismissed and hand-highlighted sentences."

    def add_arguments(self, parser):
        parser.add_argument("--project", help="slug of one project (default: every project)")
        parser.add_argument("--min-labels", type=int, default=learn.MIN_LABELS)
        parser.add_argument("--force", action="store_true", help="store a new version even if the labels did not change")

    def handle(self, *args, project=None, min_labels=learn.MIN_LABELS, force=False, **options):
        projects = Project.objects.order_by("slug")
        if project:
            projects = projects.filter(slug=project)
            if not projects.exists():
                raise CommandError(f"No project with the slug {project!r}.")
        for p in projects:
            last = suggestions.latest_model_row(p.pk)
            try:
                texts, features, y = suggestions.labels(p)
                if last and not force and last.label_count == len(y) and last.positive_count == sum(y):
                    self.stdout.write(f"{p.slug}: unchanged ({len(y)} labels), model v{last.version} kept")
                    continue
                row = suggestions.train(p, min_labels=min_labels)
            except learn.NotEnoughLabels as exc:
                self.stdout.write(f"{p.slug}: rules only — {exc}")
                continue
            self.stdout.write(self.style.SUCCESS(
                f"{p.slug}: model v{row.version} from {row.label_count} labels ({row.positive_count} check-worthy); held-out {row.metrics}"
            ))
