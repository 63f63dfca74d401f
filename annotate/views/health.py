from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from annotate import dbdeadline
from annotate.middleware import is_database_down


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 when it cannot be reached (any other error is a 500)."""
    try:
        # Its own short budget, connecting included: a silent database is a 503 within it.
        with dbdeadline.within(dbdeadline.health_timeout()), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        if not is_database_down(exc):
            raise
        # Drop the broken connection so the next request reconnects.
        connection.close_if_unusable_or_obsolete()
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503, headers={"Retry-After": "30"})
    return JsonResponse({"status": "ok"})
