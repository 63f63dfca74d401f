"""The user's own page: projects and roles, and their REST API token (create, replace, revoke)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authtoken.models import Token

# The new key waits in the session for the one page view that shows it in full.
NEW_TOKEN_SESSION_KEY = "factmark_new_api_token"
VISIBLE_KEY_CHARS = 6


@never_cache
@require_GET
def profile(request):
    token = Token.objects.filter(user=request.user).first()
    new_key = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if token is None or new_key != token.key:
        # Revoked or replaced in another tab since: nothing to reveal.
        new_key = None
    return render(
        request,
        "annotate/profile.html",
        {
            "memberships": request.user.memberships.select_related("project").order_by("project__name"),
            "token": token,
            "new_key": new_key,
            "key_start": token.key[:VISIBLE_KEY_CHARS] if token else "",
            "api_url": request.build_absolute_uri("/api/v1/claimreviews/"),
        },
    )


@require_POST
def token_create(request):
    """Create the user's token; an existing one is replaced (DRF keeps one per user)."""
    with transaction.atomic():
        replaced, _ = Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
    request.session[NEW_TOKEN_SESSION_KEY] = token.key
    if replaced:
        messages.success(request, "New API token created; the old one no longer works. Copy the new one now: it is shown only once.")
    else:
        messages.success(request, "API token created. Copy it now: it is shown only once.")
    return redirect("profile")


@require_POST
def token_revoke(request):
    deleted, _ = Token.objects.filter(user=request.user).delete()
    request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if deleted:
        messages.success(request, "API token revoked: requests that use it are now refused.")
    else:
        messages.info(request, "You had no API token.")
    return redirect("profile")
