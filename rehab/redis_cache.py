"""Django's Redis cache backend, with one redis.Redis client per connection
pool instead of a new one for every call.

Django's RedisCacheClient builds a redis.Redis object for each get, set or
get_many; its constructor fills a table of some 170 response callbacks, about
0.2 ms each time, as long as the Redis round trip itself on this machine. The
portal reads the cache twice a page (the bad-token limit, the clinic's
content), so that was measurable (issue 13). A client holds no connection of
its own (the pool does, and the pool is per process), so sharing it is safe.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClientRedisCacheClient
