"""Re-fetch sources, store a snapshot when the page changed, and flag what no longer holds.

    python manage.py recheck_sources [--project SLUG] [--older-than DAYS]
    python manage.py recheck_sources --schedule      # queue the periodic task for db_worker (once)

Evidence whose page is gone (HTTP 4xx/5xx, unknown host) or whose excerpt is no longer
found is flagged in the claim panel and the editor queue, with a history entry on the
claim. The same re-check runs as a scheduled task (annotate.tasks.recheck_due_sources)
every FACTMARK_RECHECK_EVERY_HOURS once `--schedule` has queued it; the worker re-queues it.
"""

from django.core.management.base import BaseCommand, CommandError

from annotate import tasks
from annotate.models import CheckState, Evidence, Project


class Command(BaseCommand):
    help = "Re-fetch sources (all, one project's, or those not checked for DAYS) and flag pages gone or excerpts no longer found."

    def add_arguments(self, parser):
        parser.add_argument("--project", help="slug of one project (default: every project)")
        parser.add_argument("--older-than", type=int, metavar="DAYS", help="only sources not checked in the last DAYS days")
        parser.add_argument("--schedule", action="store_true", help="queue the periodic re-check task (if none is waiting) and exit")

    def handle(self, *args, project=None, older_than=None, schedule=False, **options):
        if schedule:
            queued = tasks.schedule_recheck()
            self.stdout.write("Periodic re-check queued." if queued else "A periodic re-check is already queued (or tasks run immediately).")
            return
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than takes a number of days, 0 or more.")
        if project and not Project.objects.filter(slug=project).exists():
            raise CommandError(f"No project with the slug {project!r}.")

        def report(source):
            flagged = Evidence.objects.filter(source=source, verification__in=("close", "not_found")).count()
            note = f", {flagged} excerpt{'s' if flagged != 1 else ''} not found exactly" if flagged else ""
            detail = f" ({source.check_error})" if source.check_state in (CheckState.GONE, CheckState.FAILED) else ""
            self.stdout.write(f"{source.url}: {source.get_check_state_display().lower()}{detail}{note}")

        counts = tasks.recheck(project, older_than, on_each=report)
        total = sum(counts.values())
        summary = ", ".join(f"{n} {CheckState(state).label.lower()}" for state, n in sorted(counts.items()))
        self.stdout.write(f"Re-checked {total} source{'s' if total != 1 else ''}" + (f": {summary}." if total else "."))
