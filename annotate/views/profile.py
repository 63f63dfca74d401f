"""The user's own page: projects and roles, and their REST API tokens (create, replace, revoke).

Tokens are stored hashed (annotate/models/tokens.py): the page lists them by their first
characters; a new key is shown in full once, on the page view right after its creation.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from annotate.models import ApiToken

# The new key waits in the session for the one page view that shows it in full.
NEW_TOKEN_SESSION_KEY = "factmark_new_api_token"
EXPIRY_CHOICES = {"": None, "30": 30, "90": 90, "365": 365}


@never_cache
@require_GET
def profile(request):
    tokens = list(ApiToken.objects.filter(user=request.user))
    new_key = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if new_key is not None and not any(token.matches(new_key) for token in tokens):
        # Revoked or replaced in another tab since: nothing to reveal.
        new_key = None
    return render(
        request,
        "annotate/profile.html",
        {
            "memberships": request.user.memberships.select_related("project").order_by("project__name"),
            "tokens": tokens,
            "token": tokens[0] if tokens else None,
            "new_key": new_key,
            "key_start": tokens[0].prefix if tokens else "",
            "api_url": request.build_absolute_uri("/api/v1/claimreviews/"),
        },
    )


@require_POST
def token_create(request):
    """Create the user's token; existing ones are replaced (one token per person on this page)."""
    expires_in_days = EXPIRY_CHOICES.get(request.POST.get("expires", ""))
    with transaction.atomic():
        replaced, _ = ApiToken.objects.filter(user=request.user).delete()
        _, key = ApiToken.objects.issue(request.user, expires_in_days=expires_in_days)
    request.session[NEW_TOKEN_SESSION_KEY] = key
    if replaced:
        messages.success(request, "New API token created; the old one no longer works. Copy the new one now: it is shown only once.")
    else:
        messages.success(request, "API token created. Copy it now: it is shown only once.")
    return redirect("profile")


@require_POST
def token_revoke(request):
    deleted, _ = ApiToken.objects.filter(user=request.user).delete()
    request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if deleted:
        messages.success(request, "API token revoked: requests that use it are now refused.")
    else:
        messages.info(request, "You had no API token.")
    return redirect("profile")
