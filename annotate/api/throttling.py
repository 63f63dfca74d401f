"""Throttling that runs before authentication can fail.

DRF checks throttles after authentication and permissions, so a request with a bad token
(AuthenticationFailed) or with no credentials on a members-only endpoint (NotAuthenticated)
was refused before any throttle counted it: token guessing and anonymous hammering were
never slowed down. Here both are counted per client address, in the shared cache, while
authentication runs:

- a token that does not authenticate counts against the address (HashedTokenAuthentication);
- a request with no credentials at all counts in AnonymousThrottle, the last authenticator.

Past the rate ("unauthenticated" in DEFAULT_THROTTLE_RATES, API_THROTTLE_UNAUTHENTICATED),
the answer is 429 with Retry-After, before anything else is looked at.
"""

from rest_framework import authentication, exceptions, throttling
from rest_framework.settings import api_settings


class UnauthenticatedThrottle(throttling.SimpleRateThrottle):
    scope = "unauthenticated"

    def get_rate(self):
        # Read at each use, not copied at import (DRF's THROTTLE_RATES is), so settings changes apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        # Never request.user here: this runs while the user is being worked out.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def count_unauthenticated(request):
    """Count one unauthenticated request from this address; 429 once over the rate."""
    throttle = UnauthenticatedThrottle()
    if throttle.rate is not None and not throttle.allow_request(request, None):
        raise exceptions.Throttled(throttle.wait())


class AnonymousThrottle(authentication.BaseAuthentication):
    """Last in DEFAULT_AUTHENTICATION_CLASSES: reached only when no credentials were given."""

    def authenticate(self, request):
        count_unauthenticated(request)
        return None
