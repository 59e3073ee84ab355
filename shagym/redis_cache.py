"""Django's Redis cache with one client per connection pool, and counters counted atomically in one round trip.

Django's own backend makes a new `redis.Redis` for every cache operation, and each construction copies the library's
table of response callbacks (about 500 dictionary writes): profiled at about a tenth of a millisecond per operation,
three operations per signed-in page. A client is safe to share between threads (each command takes a connection from
the pool), so one per pool is enough.

`add_to_many` counts several keys at once (INCRBY in a pipeline: one round trip, each key atomic): the rate limits and
the status check's attempt counters use it when the cache is Redis, instead of writing a row per count to the
database (shagym.security.counters, shagym.api.limits)."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # (The stubs do not declare the private helpers Django's own get_client uses.)
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client

    def add_to_many(self, keys: list[str], delta: int, *, timeout: int) -> list[int]:
        """Add `delta` to each key (a missing key counts from nought and expires after `timeout` seconds); return
        each key's new value, in order. Each key's change is atomic; the keys are sent in one round trip."""
        names = [self.make_and_validate_key(key) for key in keys]
        client = self._cache.get_client(write=True)  # type: ignore[attr-defined] # (Django's cached_property)
        with client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.incrby(name, delta)
                pipe.expire(name, timeout, nx=True)
            replies = pipe.execute()
        return [int(value) for value in replies[::2]]


def counter() -> SharedClientRedisCache | None:
    """The default cache, if it counts atomically in Redis (add_to_many); None for the database or memory."""
    from django.core.cache import caches

    default = caches["default"]
    return default if isinstance(default, SharedClientRedisCache) else None
