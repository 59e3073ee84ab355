from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from shagym.complaints import access
from shagym.notify import counts
from shagym.notify.models import Audience


def portal(request: HttpRequest) -> dict[str, object]:
    """`is_staff_user` for the navigation: the "My work" link is only for people with a staff membership.
    `unread_notices`: the applicant's unread cabinet messages, for "My complaints (2 new messages)".
    Both lazy, so a page that does not show the navigation queries nothing."""
    user = getattr(request, "user", None)

    # A cached function, not a SimpleLazyObject: the template calls it, and gets a real int that the plural
    # forms of {% blocktranslate count %} can compute with (they fail on a proxy). One count per request.
    @cache
    def unread_notices() -> int:
        # Applicant notices only: a staff member's inbox is read in the back office, not in the cabinet.
        return counts.unread(user, Audience.APPLICANT)

    @cache
    def has_own_complaints() -> bool:
        # A member of staff may also be an applicant; only then does the navigation show the cabinet.
        return counts.has_own_complaints(user)

    return {"is_staff_user": SimpleLazyObject(lambda: access.is_staff_user(user)), "unread_notices": unread_notices,
            "has_own_complaints": has_own_complaints}
