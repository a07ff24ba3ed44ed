import pytest
from django.core.cache import cache

from portal import ratelimit

TEST_IPS = ("127.0.0.1", "10.0.0.1", "10.0.0.2", "203.0.113.5", "203.0.113.6")


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """The bad-token counters live in the shared Redis: start each test clean."""
    keys = [ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": ip}})()) for ip in TEST_IPS]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)
