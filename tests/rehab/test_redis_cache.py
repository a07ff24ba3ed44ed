"""The cache backend (rehab/redis_cache.py): Django's Redis cache on the real
Redis, with one client per connection pool rather than one per call."""

from django.core.cache import cache

from rehab.redis_cache import RedisCache


def test_values_round_trip_through_the_shared_client():
    cache.set("redis-cache-test", {"a": 1}, timeout=30)
    assert cache.get("redis-cache-test") == {"a": 1}
    assert cache.get_many(["redis-cache-test", "redis-cache-missing"]) == {"redis-cache-test": {"a": 1}}
    assert cache.add("redis-cache-test", 2, timeout=30) is False
    cache.delete("redis-cache-test")
    assert cache.get("redis-cache-test") is None


def test_one_client_serves_every_call():
    from django.core.cache import caches

    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    first = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is first
    assert backend._cache.get_client("c", write=True) is first  # one server: reads and writes share the pool
