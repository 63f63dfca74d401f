"""Token authentication against hashed tokens (annotate.models.tokens), same header as DRF's:
`Authorization: Token <key>`. One query, as DRF's own: the token and its user by digest; none
when the shared cache holds it (annotate/tokencache.py)."""

from rest_framework import authentication, exceptions

from annotate import tokencache
from annotate.api.throttling import count_unauthenticated
from annotate.models import ApiToken


class HashedTokenAuthentication(authentication.TokenAuthentication):
    model = ApiToken

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            count_unauthenticated(request)  # a 429 instead, once an address guesses too often
            raise

    def authenticate_credentials(self, key):
        token = tokencache.token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.expired:
            raise exceptions.AuthenticationFailed("This token has expired: make a new one on your profile page.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)
