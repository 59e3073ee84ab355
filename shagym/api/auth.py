"""Who calls: an organisation's system with an API key (`Authorization: Bearer <key>` or `X-API-Key: <key>`), or
the applicant's own session (the portal's pages; unsafe methods need the CSRF token, as for any form)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.security import APIKeyCookie, APIKeyHeader, HttpBearer

from shagym.security import lockout, twofactor

from . import keys, limits, problems
from .models import ApiKey, Scope

if TYPE_CHECKING:
    from shagym.accounts.models import User


@dataclass
class Caller:
    user: User
    key: ApiKey | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def as_applicant(self) -> bool:
        """A session reads and acts as the applicant of its own complaints; a key, as staff of its organisation."""
        return self.key is None

    @property
    def owner(self) -> str:
        return f"k{self.key.pk}" if self.key is not None else f"u{self.user.pk}"

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise problems.forbidden(
                gettext("This key may not do this: it needs the “%(scope)s” scope.") % {"scope": scope}
            )


# The applicant's session may read, submit, and take the applicant's own actions (withdraw, supply content).
SESSION_SCOPES = frozenset({Scope.READ, Scope.SUBMIT, Scope.ACT})


def _from_key(request: HttpRequest, token: str | None) -> Caller | None:
    if not token:
        return None
    key = keys.find(token)
    works = key is not None and key.is_usable() and key.user.is_active
    # The one sign-in lockout (shagym.security.lockout) counts wrong, revoked and expired keys per address; once
    # locked, the address gets 429 for any key that does not work. A key that works is taken even then: it cannot be
    # guessed, and a neighbour behind the same address must not be able to shut a partner out.
    if not works and (lockout.is_locked(request, lockout.API_KEY_ACCOUNT)
                      or lockout.record_failure(request, lockout.API_KEY_ACCOUNT)):
        raise problems.ApiProblem(429, lockout.message(), headers={"Retry-After": str(lockout.minutes() * 60)})
    if key is None:
        return None
    if not key.is_usable() or not key.user.is_active:
        raise problems.ApiProblem(
            401, gettext("This API key has been revoked or has expired."),
            headers={"WWW-Authenticate": 'Bearer realm="shagym", error="invalid_token"'},
        )
    limits.check(f"k:{key.pk}", settings.SHAGYM_API_RATE_PER_KEY)
    keys.touch(key)
    return Caller(user=key.user, key=key, scopes=frozenset(key.scopes))


class KeyBearer(HttpBearer):
    openapi_description = "An organisation's API key: `Authorization: Bearer shg_…`."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _from_key(request, token)


class KeyHeader(APIKeyHeader):
    param_name = "X-API-Key"
    openapi_description = "The same API key in the X-API-Key header."

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _from_key(request, key)


class Session(APIKeyCookie):
    """The applicant signed in on the portal (Django's session cookie); CSRF-checked for unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The applicant's portal session (cookie); unsafe methods need X-CSRFToken."

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if hasattr(user, "api_key"):
            return None  # a key's system user never has a session
        if twofactor.pending(request):
            return None  # a sign-in whose second factor is still owed
        return Caller(user=user, scopes=SESSION_SCOPES)


AUTH = [KeyBearer(), KeyHeader(), Session()]


def caller(request: HttpRequest) -> Caller:
    result = getattr(request, "auth", None)
    assert isinstance(result, Caller)
    return result
