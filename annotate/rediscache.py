"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per call.

Django's RedisCacheClient.get_client() builds a new `redis.Redis` object for every cache
operation, and each one fills its table of ~170 response callbacks: on the API's hot path
(the token cache and the throttle's read and write: three operations a request) that was
about 1 ms of CPU per request, more than the Redis round trips themselves (issue 16). A
redis-py client is safe to share between threads (each command takes a connection from the
pool) and its pool reconnects after a fork, so one client per pool does the same work.
Used by config/settings.py when REDIS_URL is set; behaves exactly as Django's backend.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class SharedClientRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_shared_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class SharedClientRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        return SharedClientRedisCacheClient(self._servers, **self._options)
