from rest_framework.views import exception_handler as drf_exception_handler

from annotate.middleware import database_unavailable_response, is_database_down


def exception_handler(exc, context):
    if is_database_down(exc):
        return database_unavailable_response(context["request"])
    return drf_exception_handler(exc, context)
