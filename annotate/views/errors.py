import sys

from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error

from annotate.middleware import database_unavailable_response, is_database_down


@requires_csrf_token
def handler500(request, template_name="500.html"):
    """Errors raised outside views (e.g. the session middleware) also become a 503 when the database is down."""
    exc = sys.exc_info()[1]
    if exc is not None and is_database_down(exc):
        return database_unavailable_response(request)
    return server_error(request, template_name)
