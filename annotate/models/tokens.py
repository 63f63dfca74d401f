"""API tokens, stored hashed at rest.

The key is shown once, when it is made (profile page or `manage.py create_token`), and only
its SHA-256 digest and first characters are kept: a copy of the database, a backup or the
admin reveals no working token. A plain hash (not a slow password hash) is enough: keys are
256-bit random strings, not guessable words. Clients send it as DRF's scheme wants,
`Authorization: Token <key>` (annotate.api.auth).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX_LENGTH = 8


def digest(key):
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class ApiTokenManager(models.Manager):
    def issue(self, user, expires_in_days=None):
        """A new token for `user`: (the stored ApiToken, the key to show once)."""
        key = secrets.token_urlsafe(32)
        expires = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        token = self.create(user=user, prefix=key[:PREFIX_LENGTH], digest=digest(key), expires=expires)
        return token, key

    def for_key(self, key):
        return self.select_related("user").filter(digest=digest(key)).first()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=PREFIX_LENGTH, help_text="The first characters of the key, to recognise it.")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key; the key itself is not stored.")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True, help_text="Refused from this moment on; empty: never expires.")

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def expired(self):
        return self.expires is not None and self.expires <= timezone.now()

    def matches(self, key):
        return secrets.compare_digest(self.digest, digest(key))
