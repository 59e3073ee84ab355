"""What every back-office view shares: who may enter, pagination, today and tomorrow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property, wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from shagym.accounts.models import User
from shagym.complaints import access

PER_PAGE = 25
R = TypeVar("R", bound=HttpResponseBase)  # a page, a file or a stream


class AuthenticatedRequest(HttpRequest):
    """The request a view behind staff_required or login_required receives: its user is signed in, never
    AnonymousUser. Only an annotation (Django passes its own request object); it tells the type checker so."""

    user: User


def staff_required(view: Callable[..., R]) -> Callable[..., R]:
    """Signed in and serving at least one body; applicants and strangers get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> R:
        if not access.is_staff_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def require_role(request: AuthenticatedRequest, *roles: str) -> None:
    """A page for one role (the clerk's desk, the head's inbox): 403 for a user who holds it nowhere."""
    if not access.organisation_ids(request.user, *roles):
        raise PermissionDenied


class CappedPaginator(Paginator):
    """Counts at most CAP rows: a list of a million complaints must not cost a full count on every page."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if isinstance(object_list, QuerySet):
            return object_list.order_by()[: self.CAP + 1].count()
        return len(object_list)

    @property
    def capped(self) -> bool:
        return self.count > self.CAP


def paginate(request: HttpRequest, queryset: Any, *, param: str = "page", per_page: int = PER_PAGE) -> Page:
    paginator = CappedPaginator(queryset, per_page)
    return paginator.get_page(request.GET.get(param))


def today_and_tomorrow() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today, today + dt.timedelta(days=1)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default
