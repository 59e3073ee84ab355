"""Cheap checks on every request: none of them queries the database (they read headers and the session, which
authentication loads anyway).

- SecurityHeadersMiddleware: switches off the browser features no page uses; lets the signing pages reach
  NCALayer.
- BodyLimitMiddleware: refuses a body over the limit by its declared length, before a byte of it is read (413 and a
  translated page); the API and Open311 have their own (shagym.api.limits, a problem in JSON).
- StaffSessionMiddleware: a staff session ends after SHAGYM_STAFF_IDLE_MINUTES without a request; while its second
  factor is owed it reaches only the second-factor pages and signing out (shagym.security.twofactor)."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import ngettext

from . import twofactor

API_PREFIXES = ("/api/", "/open311/")
Handler = Callable[[HttpRequest], HttpResponse]


class SecurityHeadersMiddleware:
    """Permissions-Policy on every answer; and NCALayer's address (SHAGYM_NCALAYER_URL, read per request) in the
    Content-Security-Policy's connect-src, the one place besides ourselves the signing pages' script may connect
    to. Inside CSPMiddleware, which then writes the policy."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.SHAGYM_PERMISSIONS_POLICY)
        ncalayer = urlsplit(getattr(settings, "SHAGYM_NCALAYER_URL", "") or "")
        if ncalayer.scheme and ncalayer.netloc:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["connect-src"] = [*update.get("connect-src", []), f"{ncalayer.scheme}://{ncalayer.netloc}"]
            response._csp_update = update  # type: ignore[attr-defined]
        return response


def upload_limit() -> int:
    """A form with files: the attachments allowed at once, each at its limit, and 1 MB for the rest of the form."""
    return (settings.SHAGYM_ATTACHMENT_MAX_FILES * settings.SHAGYM_ATTACHMENT_MAX_MB + 1) * 1024 * 1024


def body_limit(request: HttpRequest) -> int:
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
        return upload_limit()
    return settings.SHAGYM_MAX_BODY_KB * 1024


class BodyLimitMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIXES):
            return self.get_response(request)
        length = request.META.get("CONTENT_LENGTH") or ""
        limit = body_limit(request)
        if (length.isascii() and length.isdigit()) and int(length) > limit:
            megabytes = max(1, limit // (1024 * 1024))
            response = render(request, "security/too_large.html", {"megabytes": megabytes,
                                                                   "max_mb": settings.SHAGYM_ATTACHMENT_MAX_MB,
                                                                   "max_files": settings.SHAGYM_ATTACHMENT_MAX_FILES},
                              status=413)
            # The body was not read: the connection cannot carry another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


# The pages a session with its second factor pending may open (by URL name), besides the static files.
OPEN_WHILE_PENDING = {
    "two-factor-verify", "two-factor-enrol", "two-factor-enrolled", "account_logout", "set_language",
}


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class StaffSessionMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is None or not session.get(twofactor.STAFF):
            return self.get_response(request)
        now = int(time.time())
        idle = settings.SHAGYM_STAFF_IDLE_MINUTES * 60
        seen = int(session.get(twofactor.SEEN) or 0)
        if now - seen > idle:
            return self._expired(request)
        if now - seen >= 60:
            # Written at most once a minute: the session's expiry moves on with it, without a write per request.
            session[twofactor.SEEN] = now
        if session.get("_session_expiry") != idle:
            # Once per session: the sign-in (allauth's "remember me") may have set another expiry after ours.
            session.set_expiry(idle)
        pending = session.get(twofactor.PENDING)
        if pending and _url_name(request) not in OPEN_WHILE_PENDING:
            if request.path_info.startswith(API_PREFIXES):
                request.user = AnonymousUser()  # the API does not take a half sign-in
                return self.get_response(request)
            target = "two-factor-enrol" if pending == twofactor.ENROL else "two-factor-verify"
            return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        if request.path_info.startswith(API_PREFIXES):
            return self.get_response(request)
        minutes = settings.SHAGYM_STAFF_IDLE_MINUTES
        messages.info(request, ngettext(
            "You were signed out after %(minutes)d minute without activity. Sign in again.",
            "You were signed out after %(minutes)d minutes without activity. Sign in again.", minutes)
            % {"minutes": minutes})
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
