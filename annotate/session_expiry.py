"""Login required, answered so that nothing typed is lost when a session has ended.

Django's LoginRequiredMiddleware redirects every anonymous request to the login page
with `next` set to the request's own path. Two answers hurt a reviewer mid-work:

- an htmx request follows that redirect inside the XMLHttpRequest and swaps the whole
  login page into a side panel, replacing the form and the text typed in it;
- a plain form POST (e.g. /claims/7/verdict/) sends the login page `next=/claims/7/verdict/`,
  which after logging in is fetched with GET: a 405.

Here an htmx request gets a 401 with an `HX-Trigger: session-expired` event naming the
login URL (static/js/session.js shows a dialog, keeps the form as it is, and the drafts
kept in sessionStorage fill it again after logging in); a non-GET request gets `next`
set to a page that can be fetched with GET: the page the browser was on (HX-Current-URL
or the same-origin Referer), else the home page.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

SAFE_METHODS = ("GET", "HEAD")
SESSION_EXPIRED_EVENT = "session-expired"
MESSAGE = "Your session has ended. Your text is kept on this device: log in again to save it."


def gettable_next(request):
    """A same-origin path that can be fetched with GET after logging in, for `?next=`."""
    htmx = getattr(request, "htmx", None)
    if htmx:
        # Any htmx request, GET or not: the fragment URL is no page; the page around it is.
        return htmx.current_url_abs_path or resolve_url(settings.LOGIN_REDIRECT_URL)
    if request.method in SAFE_METHODS:
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        parts = urlsplit(referer)
        if not parts.netloc or parts.netloc == request.get_host():
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def login_url_for(request, view_func=None, middleware=None):
    """The login page with `next` set to `gettable_next(request)`."""
    middleware = middleware or SessionAwareLoginRequiredMiddleware(lambda r: None)
    login = resolve_url(middleware.get_login_url(view_func))
    return redirect_to_login(gettable_next(request), login, middleware.get_redirect_field_name(view_func))["Location"]


class SessionAwareLoginRequiredMiddleware(LoginRequiredMiddleware):
    """LoginRequiredMiddleware whose answers an htmx page and a plain form both understand."""

    def handle_no_permission(self, request, view_func):
        url = login_url_for(request, view_func, self)
        if getattr(request, "htmx", None):
            response = HttpResponse(MESSAGE, status=401, content_type="text/plain; charset=utf-8")
            # 401 needs a challenge; "Session" is no HTTP scheme, so browsers show no password prompt.
            response["WWW-Authenticate"] = 'Session realm="Factmark", login="' + url + '"'
            response["HX-Trigger"] = json.dumps({SESSION_EXPIRED_EVENT: {"login": url, "message": MESSAGE}})
            response["Cache-Control"] = "no-store"
            return response
        return HttpResponseRedirect(url)
