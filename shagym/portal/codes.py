"""Access codes for the status check without an account (paper and post complaints, RULES §5).

The talon carries the registration number and a short code. We keep only a keyed hash of the code, so a leaked
database does not let anyone read a status. Wrong attempts are counted per client address and per number; the
answer never tells whether a number exists."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from shagym.complaints import selectors
from shagym.complaints.models import Complaint

from .models import AccessCode

# No 0/O, 1/I/L: the code is read off paper and typed on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
_SALT = "shagym.portal.codes"


def _hash(code: str) -> str:
    return salted_hmac(_SALT, normalise_code(code), algorithm="sha256").hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def normalise_number(number: str) -> str:
    return "".join(ch for ch in (number or "").strip() if ch.isdigit() or ch == "-")


def format_code(code: str) -> str:
    """"ABCD-EFGH": easier to read aloud and to copy."""
    return f"{code[:4]}-{code[4:]}"


@transaction.atomic
def issue_access_code(complaint: Complaint) -> str:
    """A new code for this complaint, returned in plain text this once (print it on the talon). Issuing again
    replaces the old code: a talon printed before stops working."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    AccessCode.objects.update_or_create(
        complaint=complaint, defaults={"code_hash": _hash(code), "created_at": timezone.now()}
    )
    return format_code(code)


def check_access_code(number: str, code: str) -> Complaint | None:
    """The complaint with this registration number, if the code is its code; otherwise None (no rate limit here:
    the status page calls `look_up`)."""
    complaint = selectors.complaint_by_number(normalise_number(number))
    expected = AccessCode.objects.filter(complaint=complaint).values_list("code_hash", flat=True).first() if complaint else None
    # Compare even when there is nothing to compare with, so the time taken does not tell whether the number exists.
    ok = constant_time_compare(_hash(code), expected or _hash("-"))
    return complaint if complaint is not None and expected is not None and ok else None


class TooManyAttempts(Exception):
    """Wrong codes were entered too often from this address or for this number."""


@dataclass(frozen=True)
class _Keys:
    client: str
    number: str


def _keys(number: str, client: str) -> _Keys:
    return _Keys(client=f"portal:status:ip:{client}", number=f"portal:status:no:{normalise_number(number)}")


def _limited(keys: _Keys) -> bool:
    limit = settings.SHAGYM_STATUS_CHECK_ATTEMPTS
    return any((cache.get(key) or 0) >= limit for key in (keys.client, keys.number))


def _count_failure(keys: _Keys) -> None:
    window = settings.SHAGYM_STATUS_CHECK_WINDOW_SECONDS
    for key in (keys.client, keys.number):
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)


def look_up(*, number: str, code: str, client: str) -> Complaint | None:
    """The status check: the complaint, or None for any wrong number or code; TooManyAttempts once the wrong
    attempts from this address or for this number reach the limit within the window."""
    keys = _keys(number, client)
    if _limited(keys):
        raise TooManyAttempts
    complaint = check_access_code(number, code)
    if complaint is None:
        _count_failure(keys)
    return complaint
