"""Pages every anonymous visitor sees alike (home, help), kept rendered in the shared cache for a minute: the landing
page of a public service is its busiest. A page is shared only when nothing in the request can make it personal (no
cookie but the CSRF and language ones: no session, no pending message; no query string) and nothing in the response
is (no cookie set, no CSRF token drawn into a form)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

TTL = 60
_HARMLESS_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}

View = Callable[[HttpRequest], HttpResponse]


def _shareable(request: HttpRequest) -> bool:
    return request.method == "GET" and not request.GET and set(request.COOKIES) <= _HARMLESS_COOKIES


def shared_for_anonymous(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        if not _shareable(request):
            return view(request)
        key = f"shagym:page:{get_language()}:{request.path}"
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request)
        user = getattr(request, "user", None)
        personal = (response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                    or (user is not None and user.is_authenticated))
        if response.status_code == 200 and not personal and not response.streaming:
            cache.set(key, response.content, TTL)
        return response

    return wrapped
