"""The one lockout for every sign-in (django-axes): the portal's and back office's sign-in (allauth), the Django
admin's, the second factor, and API keys. Failures are counted per account and client address
(AXES_LOCKOUT_PARAMETERS): SHAGYM_LOGIN_ATTEMPTS wrong tries lock that pair for SHAGYM_LOGIN_LOCKOUT_MINUTES,
whichever door the tries came through. An administrator unlocks with `manage.py unlock` or the users' admin."""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

# The name under which wrong API keys are counted (with the caller's address): a key names no person.
API_KEY_ACCOUNT = "api-key"
API_PREFIXES = ("/api/", "/open311/")


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, as the other limits (behind a reverse proxy, let it set the client's address); None when there
    is none that is an address (a sign-in made in code): axes stores it in an address column."""
    value = str(request.META.get("REMOTE_ADDR") or "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in names, the same whichever way it is written: an e-mail address is counted under the
    user name of its account, so that switching between the two does not double the tries."""
    credentials = credentials or {}
    value = (credentials.get("username") or credentials.get("email") or credentials.get("login")
             or request.POST.get("login") or request.POST.get("username") or "")
    value = str(value).strip().lower()[:150]
    if not value:
        return None
    if "@" in value:
        found = get_user_model().objects.filter(email__iexact=value).values_list("username", flat=True).first()
        if found:
            return str(found).lower()
    return value


def minutes() -> int:
    return settings.SHAGYM_LOGIN_LOCKOUT_MINUTES


def message() -> str:
    return ngettext(
        "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minute; try again later, or ask your "
        "administrator to unlock it.",
        "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minutes; try again later, or ask your "
        "administrator to unlock it.",
        minutes(),
    ) % {"minutes": minutes()}


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """What a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE): 429 with a translated page, or a problem for the
    API. A half sign-in (password given, second factor pending) ends here too."""
    retry_after = str(minutes() * 60)
    if request.path_info.startswith(API_PREFIXES):
        from django.http import JsonResponse

        response: HttpResponse = JsonResponse(
            {"type": "about:blank", "title": gettext("Too many requests"), "status": 429, "detail": message()},
            status=429, content_type="application/problem+json")
    else:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            logout(request)
        response = render(request, "security/locked_out.html", {"message": message()}, status=429)
    response["Retry-After"] = retry_after
    return response


def is_locked(request: HttpRequest, account: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": account})


def record_failure(request: HttpRequest, account: str) -> bool:
    """Count one failed try for this account from this address, whichever door; True once it is locked."""
    user_login_failed.send(sender=__name__, credentials={"username": account}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def forget_failures(request: HttpRequest, account: str) -> None:
    """A complete sign-in (with its second factor, if any) clears the failures of this account from this address."""
    address = client_address(request)
    if address is not None:  # without an address, reset() would clear the account's lockouts from everywhere
        reset(ip=address, username=account)


def unlock(account: str) -> int:
    """The administrator's unlock: every lockout of this account, from every address; return how many."""
    account = account.strip().lower()
    if not account:  # an empty name would match every lockout
        return 0
    return int(reset(username=account) or 0)
