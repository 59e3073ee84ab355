"""Limits on the API and Open311: the size of a request body (413) and the number of requests in a fixed window,
per client address and per API key (429 with Retry-After).

The counters are shared by every process: on PostgreSQL one upsert per counter in the `api_ratecounter` table (the
database cache would take four to six queries for the same count); elsewhere (SQLite, development) Django's cache."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from shagym.redis_cache import counter

from . import problems

PREFIXES = ("/api/", "/open311/")
UPLOAD_SUFFIX = "/uploads"


def _window() -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    length = settings.SHAGYM_API_RATE_WINDOW_SECONDS
    now = time.time()
    window = int(now // length)
    return window, max(1, math.ceil((window + 1) * length - now))


_UPSERT = """
INSERT INTO api_ratecounter (key, slot, count) VALUES (%s, %s, 1)
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN api_ratecounter.slot = EXCLUDED.slot THEN api_ratecounter.count + 1 ELSE 1 END,
  slot = EXCLUDED.slot
RETURNING count
"""


def hit(name: str) -> int:
    """Count one request for this counter in the current window; return the count so far."""
    window, _left = _window()
    redis = counter()
    if redis is not None:  # atomic in Redis, one round trip, no row written (shagym.redis_cache)
        return redis.add_to_many([f"shagym-rate:{name}:{window}"], 1,
                                 timeout=settings.SHAGYM_API_RATE_WINDOW_SECONDS + 5)[0]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [name[:200], window])
            row = cursor.fetchone()
        return int(row[0]) if row else 1
    key = f"shagym-rate:{name}:{window}"
    cache.add(key, 0, timeout=settings.SHAGYM_API_RATE_WINDOW_SECONDS + 5)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.SHAGYM_API_RATE_WINDOW_SECONDS + 5)
        return 1


def check(name: str, limit: int) -> None:
    """Raise a 429 problem when the counter is past its limit (0: no limit)."""
    if limit <= 0:
        return
    if hit(name) > limit:
        _window_number, left = _window()
        raise problems.ApiProblem(
            429,
            gettext("Too many requests: at most %(limit)d in %(seconds)d seconds. Try again in %(left)d seconds.")
            % {"limit": limit, "seconds": settings.SHAGYM_API_RATE_WINDOW_SECONDS, "left": left},
            headers={"Retry-After": str(left)},
        )


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR: behind nginx, the client's address from X-Forwarded-For, set by shagym.proxy for requests from
    SHAGYM_TRUSTED_PROXIES only."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:60]


def max_body(path: str) -> int:
    if path.rstrip("/").endswith(UPLOAD_SUFFIX):
        # An upload: the files allowed at once, each at its limit, and room for the form.
        return (settings.SHAGYM_ATTACHMENT_MAX_FILES * settings.SHAGYM_ATTACHMENT_MAX_MB + 1) * 1024 * 1024
    return settings.SHAGYM_API_MAX_BODY_KB * 1024


class ApiGuardMiddleware:
    """Before the API's views: the body's declared size, and the per-address rate limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(PREFIXES):
            return self.get_response(request)
        length = request.META.get("CONTENT_LENGTH") or "0"
        size = int(length) if (length.isascii() and length.isdigit()) else 0
        if size > max_body(path):
            return problems.response(413, gettext("The request body is larger than %(kb)d KB.")
                                     % {"kb": max_body(path) // 1024})
        try:
            check(f"a:{client_address(request)}", settings.SHAGYM_API_RATE_PER_ADDRESS)
        except problems.ApiProblem as exc:
            return problems.response(exc.status, exc.detail, headers=exc.headers)
        return self.get_response(request)
