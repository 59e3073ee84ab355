"""The status check without an account (paper and post complaints, RULES §5): the registration number and the access
code printed on the talon (shagym.complaints.codes keeps the code's hash). The answer never tells whether a number
exists.

Wrong attempts are counted in three counters (shagym.security.counters, one atomic upsert each, so parallel attempts
cannot all pass the check before any is counted): for this number from this address (SHAGYM_STATUS_CHECK_ATTEMPTS),
from this address for any number (SHAGYM_STATUS_CHECK_ADDRESS_ATTEMPTS: trying many numbers), and for this number
from every address (SHAGYM_STATUS_CHECK_NUMBER_ATTEMPTS, much higher: someone who knows only the number cannot lock
the holder of the talon out from elsewhere). Each attempt is counted before it is evaluated; a right one is taken
back. A counter that refuses stops the counting there, so an attempt refused by its own pair counter never raises
the number's ceiling."""

from __future__ import annotations

from django.conf import settings

from shagym.complaints.codes import check_access_code, normalise_number
from shagym.complaints.models import Complaint
from shagym.security import counters


class TooManyAttempts(Exception):
    """Wrong codes were entered too often for this number from this address, from this address, or for this number."""


def _counters(number: str, client: str) -> list[tuple[str, int]]:
    number = normalise_number(number)
    return [
        (f"status:pair:{number}:{client}", settings.SHAGYM_STATUS_CHECK_ATTEMPTS),
        (f"status:address:{client}", settings.SHAGYM_STATUS_CHECK_ADDRESS_ATTEMPTS),
        (f"status:number:{number}", settings.SHAGYM_STATUS_CHECK_NUMBER_ATTEMPTS),
    ]


def look_up(*, number: str, code: str, client: str) -> Complaint | None:
    """The status check: the complaint, or None for any wrong number or code; TooManyAttempts once a counter has
    reached its limit within the window (the attempt is then not evaluated)."""
    window = settings.SHAGYM_STATUS_CHECK_WINDOW_SECONDS
    checks = _counters(number, client)
    # The three counted in one statement; a counter that refuses stops the counting there, so the ones after it are
    # taken back at once (an attempt refused by its pair never raises the number's ceiling).
    counts = counters.hit_many(*(key for key, _ in checks), seconds=window)
    for index, ((_, limit), count) in enumerate(zip(checks, counts, strict=True)):
        if count > limit:
            counters.take_back(*(key for key, _ in checks[index + 1:]), seconds=window)
            raise TooManyAttempts
    complaint = check_access_code(number, code)
    if complaint is not None:
        counters.take_back(*(key for key, _ in checks), seconds=window)
    return complaint
