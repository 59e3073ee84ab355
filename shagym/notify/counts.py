"""The navigation's counts, on every page: a person's unread notices, the letters an office must print, whether a
member of staff has complaints of his own. They are read from the shared cache (no query on most pages) and forgotten
after the commit of every write that changes them: a new message, messages read, a letter entering or leaving the
print queue, a complaint filed. The pages that list these things always read the database; a count that a write
outside these services left stale (the admin, a console) corrects itself after TTL seconds."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count

from shagym.complaints import access
from shagym.complaints.models import ComplaintEvent

from .models import Audience, Delivery, DeliveryStatus, Medium, Message

if TYPE_CHECKING:
    from shagym.accounts.models import User

TTL = 300


def _unread_key(user_id: int, audience: str) -> str:
    return f"shagym:nav:unread:{audience}:{user_id}"


def _print_key(organisation_id: int) -> str:
    return f"shagym:nav:print:{organisation_id}"


def _own_key(user_id: int) -> str:
    return f"shagym:nav:own:{user_id}"


def unread(user: User | None, audience: str) -> int:
    """The user's unread notices of one audience: the applicant's cabinet, or the staff member's messages."""
    if user is None or not user.is_authenticated:
        return 0
    key = _unread_key(user.pk, audience)
    count = cache.get(key)
    if count is None:
        count = Message.objects.filter(recipient=user, audience=audience, read_at__isnull=True).count()
        cache.set(key, count, TTL)
    return int(count)


def letters_to_print(organisation_ids: Collection[int]) -> int:
    """The paper letters waiting in these offices' print queues (one grouped query for the offices not cached)."""
    if not organisation_ids:
        return 0
    keys = {_print_key(pk): pk for pk in organisation_ids}
    found = cache.get_many(list(keys))
    missing = [pk for key, pk in keys.items() if key not in found]
    if missing:
        rows = dict(
            Delivery.objects.filter(
                medium=Medium.PAPER, status=DeliveryStatus.AWAITING_PRINT, organisation_id__in=missing
            )
            .values_list("organisation_id")
            .annotate(n=Count("pk"))
            .values_list("organisation_id", "n")
        )
        fresh = {_print_key(pk): rows.get(pk, 0) for pk in missing}
        cache.set_many(fresh, TTL)
        found.update(fresh)
    return sum(int(n) for n in found.values())


def has_own_complaints(user: User | None) -> bool:
    """A member of staff may also be an applicant: only then does the navigation show the personal cabinet."""
    if user is None or not user.is_authenticated:
        return False
    key = _own_key(user.pk)
    own = cache.get(key)
    if own is None:
        own = access.complaints_for_applicant(user).exists()
        cache.set(key, own, TTL)
    return bool(own)


# ---- Forgetting, after commit -------------------------------------------------------------------------------------


def _forget(keys: Iterable[str]) -> None:
    # Now, so the rest of this request (the page drawn after marking its notices read) counts again, inside its own
    # transaction; and after commit, so no reader caches what it counted before the commit.
    keys = list(keys)
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


def forget_unread(user_ids: Iterable[int | None]) -> None:
    _forget(_unread_key(pk, audience) for pk in set(user_ids) if pk for audience in Audience.values)


def forget_letters(organisation_ids: Iterable[int | None]) -> None:
    _forget(_print_key(pk) for pk in set(organisation_ids) if pk)


def complaint_filed(event: ComplaintEvent) -> list[object]:
    """Subscriber to the filing of a complaint: its applicant now has complaints of his own. Makes nothing."""
    if event.complaint.applicant_user_id:
        cache.delete(_own_key(event.complaint.applicant_user_id))
    return []
