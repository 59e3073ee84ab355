"""The status check without an account (paper and post complaints, RULES §5): the registration number and the access
code printed on the talon (shagym.complaints.codes keeps the code's hash). Wrong attempts are counted per client
address and per number; the answer never tells whether a number exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from shagym.complaints.codes import check_access_code, normalise_number
from shagym.complaints.models import Complaint


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
