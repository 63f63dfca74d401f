"""A database outage answers 503 (HTML page, or JSON under /api/), never a traceback."""

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.http import HttpResponse

DB_DOWN_ERRORS = (OperationalError, InterfaceError)
MESSAGE = "The database is not answering. Your last change may not have been saved; please try again in a minute."


def database_unavailable_response(request):
    if request.path.startswith("/api/") or request.path == "/healthz":
        response = JsonResponse({"status": "unavailable", "detail": MESSAGE}, status=503)
    else:
        # Rendered without a request context: the context processors would query the database.
        response = HttpResponse(render_to_string("503.html", {"message": MESSAGE}), status=503)
    response["Retry-After"] = "30"
    return response


def is_database_down(exc):
    # OperationalError covers lost connections and refused connects; a plain
    # DatabaseError such as an IntegrityError is a bug or bad input, not an outage.
    return isinstance(exc, DB_DOWN_ERRORS) and not type(exc) is DatabaseError


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_down(exception):
            return database_unavailable_response(request)
        return None
