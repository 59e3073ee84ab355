from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from shagym.complaints import access


def portal(request: HttpRequest) -> dict[str, object]:
    """`is_staff_user` for the navigation: the "My work" link is only for people with a staff membership.
    Lazy, so a page that does not show the navigation does not query memberships."""
    user = getattr(request, "user", None)
    return {"is_staff_user": SimpleLazyObject(lambda: access.is_staff_user(user))}
