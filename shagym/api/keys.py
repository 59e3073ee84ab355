"""API keys: issue (the key shown once), revoke, and find the key of a request.

A key looks like `shg_1a2b3c4d_<43 random characters>`: its first 12 characters are the prefix, stored and shown
to tell keys apart; the whole key is stored only as its sha256. A key acts as a system user of its organisation
(`api-1a2b3c4d`), a member in the key's roles: `submit` needs the clerk's role (a complaint received by the
organisation, as at its office); `act` takes the actions the key's roles may take, checked by the state table as
for a person (clerk: register, forward, redirect, request content, deliver, close; head: assign, sign, leave,
satisfy, return a draft; executor: extend, hearing, propose, on the complaints assigned to the key's user)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Collection
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shagym.db import only_row
from shagym.directory.models import Membership, Organisation
from shagym.directory.roles import Role

from .models import ApiKey, Scope

if TYPE_CHECKING:
    from shagym.accounts.models import User

PREFIX_LENGTH = 12  # "shg_" and 8 hex digits
KEY_ROLES = (Role.CLERK, Role.HEAD, Role.EXECUTOR, Role.INSPECTOR)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def roles_for_scopes(scopes: Collection[str], roles: Collection[str]) -> list[str]:
    """The roles a key's user holds: the ones chosen, and the clerk's when it may submit (default: the clerk's)."""
    chosen = {Role(r) for r in roles if r in KEY_ROLES}
    if Scope.SUBMIT in scopes or not chosen:
        chosen.add(Role.CLERK)
    return sorted(chosen)


@transaction.atomic
def issue(
    *,
    organisation: Organisation,
    name: str,
    scopes: Collection[str],
    roles: Collection[str] = (),
    expires_at: dt.datetime | None = None,
    created_by: User | None = None,
) -> tuple[ApiKey, str]:
    """Make a key and its system user; return the key and its plain text (shown once, never stored)."""
    from shagym.accounts.models import User

    scopes = sorted({Scope(s) for s in scopes})
    prefix = f"shg_{secrets.token_hex(4)}"
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    user = User(username=f"api-{prefix[4:]}", first_name=name[:150], last_name="API")
    user.set_unusable_password()
    user.save()
    if expires_at is None and settings.SHAGYM_API_KEY_DAYS:
        expires_at = timezone.now() + dt.timedelta(days=settings.SHAGYM_API_KEY_DAYS)
    key = ApiKey.objects.create(
        organisation=organisation, name=name, prefix=prefix, hash=digest(token), scopes=scopes,
        roles=roles_for_scopes(scopes, roles), user=user, expires_at=expires_at, created_by=created_by,
    )
    sync_memberships(key)
    return key, token


def sync_memberships(key: ApiKey) -> None:
    """The system user is a member of the key's organisation in the key's roles, and of nothing else."""
    roles = roles_for_scopes(key.scopes, key.roles)
    if roles != key.roles:
        ApiKey.objects.filter(pk=key.pk).update(roles=roles)
        key.roles = roles
    Membership.objects.filter(user=key.user).exclude(organisation=key.organisation, role__in=roles).delete()
    for role in roles:
        Membership.objects.get_or_create(user=key.user, organisation=key.organisation, role=role)


def revoke(key: ApiKey, *, at: dt.datetime | None = None) -> None:
    """The key stops working at once; its user stays (the events it wrote name it) but can do nothing."""
    at = at or timezone.now()
    with transaction.atomic():
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=at)
        type(key.user).objects.filter(pk=key.user_id).update(is_active=False)


def find(token: str) -> ApiKey | None:
    """The key this text is, if it is one (usable or not); None otherwise. Compared in constant time."""
    token = (token or "").strip()
    if len(token) < PREFIX_LENGTH + 20 or len(token) > 200 or not token.startswith("shg_"):
        return None
    key = only_row(ApiKey.objects.select_related("user", "organisation").filter(prefix=token[:PREFIX_LENGTH]))
    if key is None or not hmac.compare_digest(key.hash, digest(token)):
        return None
    return key


def touch(key: ApiKey, *, at: dt.datetime | None = None) -> None:
    """Record the use, at most once a minute per key (no write on every request)."""
    at = at or timezone.now()
    if key.last_used_at is None or at - key.last_used_at > dt.timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=at)
        key.last_used_at = at
