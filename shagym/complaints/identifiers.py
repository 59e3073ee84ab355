"""IIN and BIN: 12-digit identification numbers with a check digit (RULES §3, glossary). Pure functions."""

from __future__ import annotations

import datetime as dt

_FIRST = tuple(range(1, 12))
_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def check_digit(first11: str) -> int | None:
    """The 12th digit for these 11 digits, or None when no valid check digit exists (the sum is 10 twice)."""
    digits = [int(c) for c in first11]
    for weights in (_FIRST, _SECOND):
        value = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if value != 10:
            return value
    return None


def _checksum_ok(number: str) -> bool:
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return False
    return check_digit(number[:11]) == int(number[11])


def is_valid_iin(number: str) -> bool:
    """An IIN: YYMMDD date of birth, a century-and-sex digit (1-6; 0 for some foreigners), a serial, a check digit."""
    if not _checksum_ok(number):
        return False
    century = {"0": 1900, "1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}.get(number[6])
    if century is None:
        return False
    if number[6] == "0":
        return True
    try:
        dt.date(century + int(number[:2]), int(number[2:4]), int(number[4:6]))
    except ValueError:
        return False
    return True


def is_valid_bin(number: str) -> bool:
    """A BIN: YYMM of registration, a type digit (4 resident legal entity, 5 non-resident, 6 joint venture or
    branch), a sign digit, a serial, and a check digit."""
    if not _checksum_ok(number):
        return False
    return 1 <= int(number[2:4]) <= 12 and number[4] in "456"


def make_iin(birth: dt.date, *, sex: str = "m", serial: int = 1) -> str:
    """Build a valid IIN (for demo data and tests); tries serials until a check digit exists."""
    century_digit = {(1800, "m"): 1, (1800, "f"): 2, (1900, "m"): 3, (1900, "f"): 4, (2000, "m"): 5, (2000, "f"): 6}[
        (birth.year // 100 * 100, sex)
    ]
    for candidate in range(serial, serial + 100):
        first = f"{birth:%y%m%d}{century_digit}{candidate:04d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
    raise ValueError("no valid IIN for these inputs")


def make_bin(year: int, month: int, *, serial: int = 1) -> str:
    for candidate in range(serial, serial + 100):
        first = f"{year % 100:02d}{month:02d}40{candidate:05d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
    raise ValueError("no valid BIN for these inputs")
