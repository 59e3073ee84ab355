"""Whom a user serves: the staff memberships read on every signed-in page (the navigation, the access door).

They are kept in the shared cache under a version that any change of a membership or of an organisation replaces
(the signals below), so reading them costs one cache round trip instead of a query joining two tables, and a
membership removed or a body deactivated in the admin takes effect on the next request of every process. The
version is replaced when the change is saved and again when it commits: a request that read the rows just before
the commit stored them under the version that the commit then retires. An entry also expires after TTL seconds,
for a change made outside Django (SQL by hand)."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership, Organisation

VERSION_KEY = "shagym:memberships:version"
TTL = 300


def _key(user_id: int) -> str:
    return f"shagym:memberships:{user_id}"


def of_user(user_id: int) -> list[Membership]:
    """The user's memberships in active organisations, with each organisation loaded."""
    found = cache.get_many([VERSION_KEY, _key(user_id)])
    version = found.get(VERSION_KEY)
    if version is None:  # first use, or evicted: every entry stored under an older version is ignored
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    entry = found.get(_key(user_id))
    if entry is not None and entry[0] == version:
        return list(entry[1])
    rows = list(Membership.objects.filter(user_id=user_id, organisation__is_active=True).select_related("organisation"))
    cache.set(_key(user_id), (version, rows), TTL)
    return rows


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


@receiver([post_save, post_delete], sender=Membership)
@receiver([post_save, post_delete], sender=Organisation)
def _changed(**_: object) -> None:
    _new_version()
    transaction.on_commit(_new_version)
