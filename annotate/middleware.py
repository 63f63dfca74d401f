"""A database outage answers 503 (HTML page, or JSON under /api/), never a traceback;
a request body over the upload limit answers 413 the same way."""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.http import HttpResponse

MESSAGE = "The database is not answering. Your last change may not have been saved; please try again in a minute."

# SQLSTATE classes and codes that mean "the server cannot serve us now": connection
# exceptions (08…), the server shutting down or starting (57P01–57P03) and a statement
# cancelled by its timeout (57014: the database is too slow to answer).
OUTAGE_SQLSTATES = {"57P01", "57P02", "57P03", "57014"}
# What the drivers say, without a SQLSTATE, when the database cannot be reached.
OUTAGE_WORDS = (
    "could not connect",
    "connection refused",
    "connection timed out",
    "server closed the connection",
    "connection is closed",
    "connection already closed",
    "consuming input failed",
    "sending query failed",
    "timeout expired",
    "unable to open database file",
    "database is locked",
    "disk i/o error",
)


def database_unavailable_response(request):
    if request.path.startswith("/api/") or request.path == "/healthz":
        response = JsonResponse({"status": "unavailable", "detail": MESSAGE}, status=503)
    else:
        # Rendered without a request context: the context processors would query the database.
        response = HttpResponse(render_to_string("503.html", {"message": MESSAGE}), status=503)
    response["Retry-After"] = "30"
    return response


def is_database_down(exc):
    """True only for a lost, refused or timed-out connection: an outage (503).

    A missing table, a syntax error or any other ProgrammingError/OperationalError is a
    bug in our code or schema, not an outage: it must surface as a 500 with its
    traceback in the log, never be worded as "the database is not answering".
    """
    if isinstance(exc, InterfaceError):
        # Django raises it for a connection that is already closed.
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ if exc.__cause__ is not None else exc
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith("08") or sqlstate in OUTAGE_SQLSTATES
    if type(cause).__module__.startswith("psycopg"):
        # psycopg raises OperationalError without a SQLSTATE only from the client side:
        # the connection could not be made, was lost, or timed out.
        return True
    message = str(cause).lower()
    return any(word in message for word in OUTAGE_WORDS)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_down(exception):
            return database_unavailable_response(request)
        return None


def _size(n):
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} kB"


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than DATA_UPLOAD_MAX_MEMORY_SIZE with a 413 before anything reads it.

    Django enforces that limit only when form data is parsed (and answers a bare 400);
    DRF's parsers read the raw stream, which Django does not limit, so a 50 MB JSON body
    would otherwise be parsed and stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            message = (
                f"The request is too large: {_size(length)}; the limit is {_size(limit)}. "
                f"An article may have at most {_size(settings.FACTMARK_MAX_ARTICLE_BYTES)} of text."
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(render_to_string("413.html", {"message": message}), status=413)
        return self.get_response(request)
