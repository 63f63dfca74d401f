"""API tokens looked up in the shared cache first (issue 16): one cache read instead of a query.

On when the cache is shared and cheaper than the database (`FACTMARK_TOKEN_CACHE`, by default
on when REDIS_URL is set; the database cache would only move the query elsewhere). The entry
is the token with its user, keyed by the key's digest (never the key), for `TIMEOUT` seconds.

Revocation is immediate: deleting or changing a token, or saving or deleting its user (an
account switched off, a password or name changed), writes a tombstone over the token's entry,
in the same moment and again after the commit. A look-up that finds a tombstone asks the
database and does not cache; a look-up that read the database before a revocation cannot
cache its stale answer afterwards either, since entries are only ever added (cache.add),
never written over a tombstone. Expiry is checked at each use from the cached `expires`.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from annotate.models import ApiToken
from annotate.models.tokens import digest

TIMEOUT = 600
TOMBSTONE_TIMEOUT = 24 * 3600
REVOKED = "revoked"


def enabled():
    return getattr(settings, "FACTMARK_TOKEN_CACHE", False)


def _key(token_digest):
    return f"apitoken:{token_digest}"


def token_for_key(key):
    """The ApiToken (its user loaded) whose key this is, or None."""
    if not enabled():
        return ApiToken.objects.for_key(key)
    cache_key = _key(digest(key))
    hit = cache.get(cache_key)
    if isinstance(hit, ApiToken):
        return hit
    token = ApiToken.objects.for_key(key)
    if token is not None and hit is None:
        cache.add(cache_key, token, TIMEOUT)
    return token


def forget(digests):
    """Tombstones over these tokens' entries, now and once the current transaction commits."""
    keys = [_key(d) for d in digests]
    if not keys or not enabled():
        return

    def write():
        cache.set_many(dict.fromkeys(keys, REVOKED), TOMBSTONE_TIMEOUT)

    write()
    transaction.on_commit(write)


@receiver(post_save, sender=ApiToken, dispatch_uid="tokencache-token-saved")
@receiver(post_delete, sender=ApiToken, dispatch_uid="tokencache-token-deleted")
def _token_changed(sender, instance, raw=False, created=False, **kwargs):
    # A token just made was never looked up, so nothing can be cached for it.
    if not raw and not created:
        forget([instance.digest])


@receiver(post_save, sender=get_user_model(), dispatch_uid="tokencache-user-saved")
@receiver(post_delete, sender=get_user_model(), dispatch_uid="tokencache-user-deleted")
def _user_changed(sender, instance, raw=False, **kwargs):
    if not raw and enabled():
        forget(ApiToken.objects.filter(user_id=instance.pk).values_list("digest", flat=True))
