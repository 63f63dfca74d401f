"""manage.py export_verdicts: the API's export formats, written to a file or stdout."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from annotate import exports
from annotate.models import Claim, Project, Verdict

FORMATS = ("json", "jsonl", "csv", "claimreview", "annotations")
PROGRESS_EVERY = 10_000  # rows (verdicts or claims) between two progress lines


class _Output:
    """Where the export goes: a file written as bytes, or the command's stdout.

    Exports arrive as UTF-8 bytes (straight from PostgreSQL's COPY) and as text; both are
    written unchanged, so the file holds exactly the bytes the API sends.
    """

    def __init__(self, path, stdout):
        self.file = None if path == "-" else open(path, "wb")
        self.stdout = stdout._out  # the stream itself: OutputWrapper would add newlines

    def write(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if self.file is not None:
            self.file.write(data)
        elif hasattr(self.stdout, "buffer"):
            self.stdout.flush()
            self.stdout.buffer.write(data)
        else:  # a text stream, e.g. call_command(stdout=StringIO())
            self.stdout.write(data.decode("utf-8"))

    def close(self):
        if self.file is not None:
            self.file.close()
        else:
            self.stdout.flush()


class Command(BaseCommand):
    help = (
        "Export verdicts in one of the API's formats, with the same records and shapes as the API: "
        "json, jsonl and csv as export/verdicts.{json,jsonl,csv} (one row per reviewer verdict); "
        "claimreview as the results of claimreviews/ (published claims only) in one JSON array; "
        "annotations as annotations/, one AnnotationCollection with every annotation in its first page. "
        "Progress goes to stderr, so -o - (stdout) stays clean."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=FORMATS, help="Output format.")
        parser.add_argument("--project", metavar="SLUG", help="Only this project (default: every project).")
        parser.add_argument(
            "--since",
            metavar="ISO",
            help="Only what changed at or after this ISO 8601 date or datetime (UTC unless an offset is given), like updated_since in the API.",
        )
        parser.add_argument("-o", "--output", metavar="FILE", default="-", help="File to write (default: stdout).")
        parser.add_argument(
            "--base-url",
            default=settings.FACTMARK_PUBLIC_URL or "http://localhost:8000",
            help="Origin of the absolute URLs in claimreview and annotations output (default: FACTMARK_PUBLIC_URL, else http://localhost:8000).",
        )

    def handle(self, *args, format, project, since, output, base_url, **options):
        filters = {}
        if project:
            if not Project.objects.filter(slug=project).exists():
                known = ", ".join(Project.objects.order_by("slug").values_list("slug", flat=True)[:20]) or "none"
                raise CommandError(f"No project with the slug “{project}”. Known projects: {known}.")
            filters["project"] = project
        if since:
            filters["since"] = self.parse_since(since)
        base = base_url.rstrip("/")
        try:
            handle = _Output(output, self.stdout)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from None
        try:
            written = getattr(self, f"write_{format}")(handle, base, **filters)
        finally:
            handle.close()
        noun = "verdicts" if format in ("json", "jsonl", "csv") else "claims"
        self.stderr.write(f"Exported {written:,} {noun} as {format}" + ("" if output == "-" else f" to {output}") + ".")

    @staticmethod
    def parse_since(value):
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise CommandError(f"--since “{value}” is not an ISO 8601 date or datetime, e.g. 2025-05-01 or 2025-05-01T08:00:00Z.")
            moment = datetime.datetime.combine(day, datetime.time())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.timezone.utc)
        return moment

    def progress(self, count, noun):
        if count and count % PROGRESS_EVERY == 0:
            self.stderr.write(f"  {count:,} {noun}…")

    # --- verdict rows ---------------------------------------------------------------

    def _verdicts(self, fmt, handle, project=None, since=None):
        queryset = Verdict.objects.all()
        if project:
            queryset = queryset.filter(claim__project__slug=project)
        if since:
            queryset = queryset.filter(updated_at__gte=since)
        total = queryset.count()
        lines = 0
        for chunk in exports.verdict_chunks(exports.verdict_export_queryset(queryset), fmt):
            handle.write(chunk)
            before, lines = lines, lines + chunk.count(b"\n")
            if lines // PROGRESS_EVERY > before // PROGRESS_EVERY:
                # Lines, not rows: close enough for progress (a CSV cell may hold a line break).
                self.stderr.write(f"  {min(lines, total):,} of {total:,} verdicts…")
        return total

    def write_csv(self, handle, base, **filters):
        return self._verdicts("csv", handle, **filters)

    def write_jsonl(self, handle, base, **filters):
        return self._verdicts("jsonl", handle, **filters)

    def write_json(self, handle, base, **filters):
        return self._verdicts("json", handle, **filters)

    # --- claims: ClaimReview and Web Annotation ---------------------------------------

    @staticmethod
    def _claims(project=None, since=None):
        queryset = Claim.objects.all()
        if project:
            queryset = queryset.filter(project__slug=project)
        if since:
            queryset = queryset.filter(updated_at__gte=since)
        return queryset

    def write_claimreview(self, handle, base, **filters):
        count = 0
        handle.write("[")
        for batch in exports.in_batches(exports.published_claims(self._claims(**filters))):
            for review in exports.claim_reviews(batch, base):
                handle.write(("\n" if count == 0 else ",\n") + exports.encode_json(review))
                count += 1
                self.progress(count, "claims")
        handle.write("\n]\n" if count else "]\n")
        return count

    def write_annotations(self, handle, base, **filters):
        """One AnnotationCollection whose first (and only) page holds every annotation, streamed."""
        claims = self._claims(**filters)
        total = claims.count()
        query = {"project": filters.get("project"), "updated_since": exports.iso(filters.get("since"))}
        query = urlencode({key: value for key, value in query.items() if value})
        collection_id = base + exports.annotations_path() + (f"?{query}" if query else "")
        page = exports.annotation_page([], f"{collection_id}#all", collection_id, total)
        collection = exports.annotation_collection(collection_id, total, page)
        # Write the collection around its items: everything up to the empty list, the items, the rest.
        head, tail = exports.encode_json(collection).rsplit('"items":[]', 1)
        handle.write(head + '"items":[')
        count = 0
        for batch in exports.in_batches(exports.claims_for_annotations(claims)):
            for annotation in exports.annotations(batch, base):
                handle.write(("" if count == 0 else ",") + exports.encode_json(annotation))
                count += 1
                self.progress(count, "claims")
        handle.write("]" + tail + "\n")
        return count
