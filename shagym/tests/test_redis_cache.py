"""The Redis cache backend production runs with (SHAGYM_CACHE=redis): one client per connection pool, and every
operation the application uses works through it. Needs redis-server (Debian's); skipped without it (the database
cache is the default, and CI's PostgreSQL run covers it)."""

from __future__ import annotations

import shutil

import pytest

from shagym.redis_cache import SharedClientRedisCache

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


def test_one_client_serves_every_operation(redis_url):
    cache = SharedClientRedisCache(redis_url, {})
    cache.set("a", {"x": 1}, 30)
    assert cache.get("a") == {"x": 1}
    assert cache.add("a", 2) is False
    assert cache.get_many(["a", "missing"]) == {"a": {"x": 1}}
    cache.set("n", 0, 30)
    assert cache.incr("n") == 1
    cache.delete("a")
    assert cache.get("a") is None
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client  # one server: reads and writes share the pool


def test_the_memberships_cache_works_through_redis(redis_url, settings, clerk):
    from django.core.cache import caches

    from shagym.directory import memberships

    settings.CACHES = {"default": {"BACKEND": "shagym.redis_cache.SharedClientRedisCache", "LOCATION": redis_url}}
    caches["default"].clear()
    assert [m.role for m in memberships.of_user(clerk.pk)] == ["clerk"]
    assert caches["default"].get(f"shagym:memberships:{clerk.pk}") is not None
    clerk.memberships.all().delete()
    assert memberships.of_user(clerk.pk) == []
