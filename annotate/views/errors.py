import sys

from django.http import JsonResponse
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import bad_request, page_not_found, permission_denied, server_error

from annotate.middleware import database_unavailable_response, is_database_down

SERVER_ERROR = "A server error occurred. It has been logged; please try again, and tell the desk's admin if it persists."


def _api(request):
    return request.path.startswith("/api/")


@requires_csrf_token
def handler500(request, template_name="500.html"):
    """Errors raised outside views (e.g. the session middleware) also become a 503 when the database is down.

    Under /api/ every error answers JSON, a 500 included: API clients parse the body.
    """
    exc = sys.exc_info()[1]
    if exc is not None and is_database_down(exc):
        return database_unavailable_response(request)
    if _api(request):
        return JsonResponse({"detail": SERVER_ERROR}, status=500)
    return server_error(request, template_name)


@requires_csrf_token
def handler404(request, exception, template_name="404.html"):
    if _api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception, template_name)


@requires_csrf_token
def handler400(request, exception, template_name="400.html"):
    if _api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return bad_request(request, exception, template_name)


@requires_csrf_token
def handler403(request, exception, template_name="403.html"):
    if _api(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return permission_denied(request, exception, template_name)
