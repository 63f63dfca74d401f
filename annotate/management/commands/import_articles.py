import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from annotate import services
from annotate.extract import ImportProblem
from annotate.importing import Parts
from annotate.models import Project

SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm"}


class Command(BaseCommand):
    help = (
        "Import articles into a project from files, folders (searched recursively for "
        ".txt, .md and .html files) or web pages (--url). Each article is cleaned as in the "
        "import page and the API (services.import_parts, under the same size limit and fetch guards); duplicates of an article already in the project are reported and skipped. "
        "Prints progress and a summary; exits with status 1 when any import failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files or folders to import.")
        parser.add_argument("--project", required=True, help="Slug of the project to import into.")
        parser.add_argument("--url", action="append", default=[], help="A web page (http or https) to import; repeatable.")
        parser.add_argument("--user", help="Username recorded as the importer.")

    def handle(self, *args, paths, project, url, user, **options):
        try:
            target = Project.objects.get(slug=project)
        except Project.DoesNotExist:
            raise CommandError(f"No project with the slug “{project}”.") from None
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user “{user}”.")
        if not paths and not url:
            raise CommandError("Give at least one file, folder or --url.")
        items = [("file", p) for p in self._files(paths)] + [("url", u) for u in url]
        counts = {"imported": 0, "duplicates": 0, "failed": 0}
        total = len(items)
        # On a terminal, one progress line rewritten in place; in logs, one line per item.
        live = sys.stderr.isatty() and total > 1
        for number, (kind, item) in enumerate(items, 1):
            name = str(item)
            try:
                parts = Parts(url=item) if kind == "url" else Parts(upload=ContentFile(Path(item).read_bytes(), name=Path(item).name))
                article = services.import_parts(target, importer, parts)
            except services.Duplicate as exc:
                counts["duplicates"] += 1
                outcome = f"duplicate of #{exc.existing.pk} “{exc.existing.title}”"
            except (ImportProblem, services.Invalid, OSError) as exc:
                counts["failed"] += 1
                outcome = f"FAILED: {exc}"
            else:
                counts["imported"] += 1
                outcome = f"imported as #{article.pk} “{article.title}”"
            line = f"[{number}/{total}] {name}: {outcome}"
            if live and not outcome.startswith("FAILED"):
                self.stderr.write(f"\r{line[:120]:<120}", ending="")
            else:
                self.stderr.write(("\n" if live else "") + line)
        if live:
            self.stderr.write("")
        summary = f"{counts['imported']} imported, {counts['duplicates']} duplicates, {counts['failed']} failed"
        if counts["failed"]:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))

    def _files(self, paths):
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"No such file or folder: {raw}")
        return files
