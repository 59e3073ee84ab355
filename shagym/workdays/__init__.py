"""Working-day calendar for Kazakhstan and the term arithmetic built on it.

Pure Python (no Django): RULES §6 (registration day), §14 (extension), §16-19 (counting working days).
The base calendar is the `holidays` package (country KZ); an administrator's overrides win over it
(RULES §18), and `Calendar.version` names the exact calendar a deadline was computed with.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import importlib.metadata
import json
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

import holidays

__all__ = [
    "ALMATY",
    "Calendar",
    "DayInfo",
    "DayKind",
    "Override",
    "add_working_days",
    "due_date",
    "explain",
    "next_working_day",
    "registration_day",
    "skipped_days",
    "working_days_between",
]

# RULES §19: the whole country has used UTC+5 (Asia/Almaty) since 1 March 2024.
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")

# Guard for every search loop: no real calendar has a year without a working day, but an override
# set could declare one, and we must fail loudly rather than loop forever.
MAX_SEARCH_DAYS = 366

# Same as holidays.__version__, which the package does not export explicitly (mypy --strict).
_HOLIDAYS_VERSION = importlib.metadata.version("holidays")
_ONE_DAY = dt.timedelta(days=1)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_OBSERVED_SUFFIXES = ("(observed)", "(observed, estimated)")
_SUBSTITUTED_PREFIX = "Day off (substituted"
# The package writes the source day of a transfer in US order: "Day off (substituted from 05/04/2024)".
_SUBSTITUTED_FROM = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


class DayKind(enum.StrEnum):
    SATURDAY = "saturday"
    SUNDAY = "sunday"
    HOLIDAY = "holiday"  # a state holiday itself (incl. 7 Jan, Kurban Ait)
    HOLIDAY_OBSERVED = "observed"  # a day off moved from a holiday falling on a weekend
    TRANSFERRED_OFF = "transferred_off"  # a weekday made a day off by a transfer order
    OVERRIDE_OFF = "override_off"  # a day an administrator declared non-working
    # Working kinds, used by day_info():
    WORKDAY = "workday"
    TRANSFERRED_WORKING = "transferred_working"  # a Saturday/Sunday made working by a transfer order
    OVERRIDE_WORKING = "override_working"  # a day an administrator declared working


@dataclass(frozen=True)
class Override:
    """An administrator's correction of the base calendar (RULES §18)."""

    day: dt.date
    working: bool  # True: this day is a working day; False: a day off
    reason: str  # free text, e.g. "Kurban Ait 2026 (confirmed)"
    reference: str = ""  # the legal act, e.g. "Government decree No. 123 of 2026-01-10"


@dataclass(frozen=True)
class DayInfo:
    day: dt.date
    working: bool
    kind: DayKind
    name: str  # holiday name (English, from `holidays`), weekday name, or the override's reason
    reference: str = ""  # the override's reference, if any


def _holiday_kind(name: str) -> DayKind:
    """Classify a `holidays` entry by its English name; a date may carry several names joined by "; "."""
    parts = name.split("; ")
    if any(not p.startswith(_SUBSTITUTED_PREFIX) and not p.endswith(_OBSERVED_SUFFIXES) for p in parts):
        return DayKind.HOLIDAY  # the holiday itself, "(estimated)" included (Kurban Ait)
    if any(p.startswith(_SUBSTITUTED_PREFIX) for p in parts):
        return DayKind.TRANSFERRED_OFF
    return DayKind.HOLIDAY_OBSERVED


def _build_year(year: int) -> dict[dt.date, DayInfo]:
    """The days of `year` whose status differs from the plain Monday-Friday week (RULES §17-18)."""
    # RULES §17: the package already moves a holiday falling on a weekend to the next working day
    # ("... (observed)"), leaves 7 Jan and Kurban Ait unmoved, and holds the transfer orders.
    kz = holidays.country_holidays("KZ", years=year, language="en_US")
    special: dict[dt.date, DayInfo] = {}
    moved_to: dict[dt.date, dt.date] = {}  # working weekend day -> the weekday off it paid for
    for day, name in kz.items():
        if day.year != year:
            continue
        special[day] = DayInfo(day, False, _holiday_kind(name), name)
        if m := _SUBSTITUTED_FROM.search(name):
            month, dom, y = (int(g) for g in m.groups())
            moved_to[dt.date(y, month, dom)] = day
    # RULES §17: a transfer order can make a Saturday or Sunday a working day. `weekend_workdays`
    # also always holds every cross-year transfer source (e.g. 2013-12-28, worked for 2014-01-03)
    # whatever years were built, so trust only the dates of the year built here. Such a day is
    # working even if it is also a holiday, as in `HolidayBase.is_working_day`.
    for day in kz.weekend_workdays:
        if day.year != year or day.weekday() < 5:
            continue
        name = f"Working {_WEEKDAY_NAMES[day.weekday()]} (transfer order)"
        if day in moved_to:
            name += f", day off moved to {moved_to[day].isoformat()}"
        special[day] = DayInfo(day, True, DayKind.TRANSFERRED_WORKING, name)
    return special


class Calendar:
    """Kazakhstan working days: `holidays.KZ`, built lazily per year, plus administrator overrides."""

    def __init__(self, overrides: Iterable[Override] = ()) -> None:
        # RULES §18: overrides win over everything; for the same day the last one given wins.
        self._overrides: dict[dt.date, Override] = {}
        for override in overrides:
            self._overrides[override.day] = override
        self._years: dict[int, dict[dt.date, DayInfo]] = {}
        self._days: dict[dt.date, DayInfo] = {}
        self._version = self._compute_version()

    @property
    def overrides(self) -> tuple[Override, ...]:
        """The effective overrides (one per day), sorted by day."""
        return tuple(self._overrides[d] for d in sorted(self._overrides))

    @property
    def version(self) -> str:
        """RULES §18: every computed deadline records the calendar it used, e.g. "kz-0.109+3a5f9c1e"."""
        return self._version

    def _compute_version(self) -> str:
        if not self._overrides:
            return f"kz-{_HOLIDAYS_VERSION}+base"
        # Hash the effective overrides sorted by day: the same calendar always gets the same version,
        # whatever order the overrides came in.
        rows = [[o.day.isoformat(), o.working, o.reason, o.reference] for o in self.overrides]
        payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        return f"kz-{_HOLIDAYS_VERSION}+{hashlib.sha256(payload.encode()).hexdigest()[:8]}"

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_info(day).working

    def day_info(self, day: dt.date) -> DayInfo:
        info = self._days.get(day)
        if info is None:
            info = self._days[day] = self._decide(day)
        return info

    def _decide(self, day: dt.date) -> DayInfo:
        if (o := self._overrides.get(day)) is not None:
            kind = DayKind.OVERRIDE_WORKING if o.working else DayKind.OVERRIDE_OFF
            return DayInfo(day, o.working, kind, o.reason, o.reference)
        year = self._years.get(day.year)
        if year is None:
            year = self._years[day.year] = _build_year(day.year)
        if (info := year.get(day)) is not None:
            return info  # RULES §17: holiday, observed day, transferred day off or working weekend day
        weekday = day.weekday()
        if weekday == 5:
            return DayInfo(day, False, DayKind.SATURDAY, "Saturday")
        if weekday == 6:
            return DayInfo(day, False, DayKind.SUNDAY, "Sunday")
        return DayInfo(day, True, DayKind.WORKDAY, _WEEKDAY_NAMES[weekday])


def registration_day(cal: Calendar, received: dt.datetime) -> dt.date:
    """RULES §6 (АППК 64(3)): registered on the day of receipt in Almaty local time; a complaint
    received on a non-working day is registered on the next working day. A naive datetime is taken
    as Almaty local time already."""
    if received.tzinfo is not None and received.utcoffset() is not None:
        received = received.astimezone(ALMATY)
    day = received.date()
    return day if cal.is_working_day(day) else next_working_day(cal, day)


def next_working_day(cal: Calendar, day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    d = day
    for _ in range(MAX_SEARCH_DAYS):
        d += _ONE_DAY
        if cal.is_working_day(d):
            return d
    raise ValueError(f"no working day within {MAX_SEARCH_DAYS} days after {day.isoformat()}")


def add_working_days(cal: Calendar, start: dt.date, n: int) -> dt.date:
    """The n-th working day strictly after `start` (start itself never counts); n == 0 gives start."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    d = start
    for _ in range(n):
        d = next_working_day(cal, d)
    return d


def working_days_between(cal: Calendar, start: dt.date, end: dt.date) -> int:
    """The number of working days d with start < d <= end; 0 if end <= start."""
    return sum(1 for i in range(1, (end - start).days + 1) if cal.is_working_day(start + i * _ONE_DAY))


def skipped_days(cal: Calendar, start: dt.date, end: dt.date) -> list[DayInfo]:
    """Every non-working day d with start < d <= end, in order, with its kind and name."""
    infos = (cal.day_info(start + i * _ONE_DAY) for i in range(1, (end - start).days + 1))
    return [info for info in infos if not info.working]


def due_date(
    cal: Calendar,
    *,
    registered: dt.date,
    working_days: int,
    extension_days: int = 0,
    day_one_after_registration: bool = True,
) -> dt.date:
    """The last day of a term of `working_days` working days (it ends at 24:00 Almaty, Civil Code
    Art. 176), extended by `extension_days` working days (RULES §14). The 10-day cap on extensions
    is the caller's rule."""
    if working_days < 1:
        raise ValueError(f"working_days must be >= 1, got {working_days}")
    if extension_days < 0:
        raise ValueError(f"extension_days must be >= 0, got {extension_days}")
    # RULES §16 (Civil Code Art. 173): day 1 is the first working day after the registration day.
    # As a setting, the registration day itself may be day 1 when it is a working day.
    if not day_one_after_registration and cal.is_working_day(registered):
        due = add_working_days(cal, registered, working_days - 1)
    else:
        due = add_working_days(cal, registered, working_days)
    # RULES §14: the extension runs on from the original last day, in working days.
    return add_working_days(cal, due, extension_days)


def explain(cal: Calendar, *, registered: dt.date, due: dt.date) -> list[DayInfo]:
    """The non-working days skipped between registration and the due date (for display)."""
    return skipped_days(cal, registered, due)
