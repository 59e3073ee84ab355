"""The working-day calendar in force: the `holidays` package (KZ) plus the administrator's overrides (RULES §18).

The arithmetic lives in `shagym.workdays` (pure Python); this module only loads the overrides and puts
translated words on the days it skips."""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shagym import workdays

from .models import CalendarOverride

_cache: dict[tuple, workdays.Calendar] = {}
_lock = threading.Lock()


# The overrides are kept in the shared cache (no query per call), dropped when an administrator changes one (the
# signals below) and at the latest after OVERRIDES_TTL seconds, so a process that missed the change catches up. A
# deadline computed meanwhile with the older calendar records that calendar's version, and the calendar-change
# review lists it like any other (RULES §18): nothing moves silently.
OVERRIDES_KEY = "shagym:calendar:overrides"
OVERRIDES_TTL = 60


def _overrides() -> tuple:
    rows = cache.get(OVERRIDES_KEY)
    if rows is None:
        rows = tuple(CalendarOverride.objects.order_by("day").values_list("day", "working", "reason", "reference"))
        cache.set(OVERRIDES_KEY, rows, OVERRIDES_TTL)
    return rows


@receiver([post_save, post_delete], sender=CalendarOverride)
def _overrides_changed(**_: object) -> None:
    cache.delete(OVERRIDES_KEY)


def current_calendar() -> workdays.Calendar:
    """The calendar with the administrator's overrides in force. The Calendar (and its per-year holiday tables) is
    reused while the overrides stay the same."""
    rows = _overrides()
    cal = _cache.get(rows)
    if cal is None:
        with _lock:
            cal = workdays.Calendar(
                workdays.Override(day=day, working=working, reason=reason, reference=reference)
                for day, working, reason, reference in rows
            )
            if len(_cache) > 16:
                _cache.clear()
            _cache[rows] = cal
    return cal


# The English names the `holidays` package gives, translated for the UI.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Orthodox Christmas": _("Orthodox Christmas"),
    "International Women's Day": _("International Women's Day"),
    "Nowruz Holiday": _("Nauryz"),
    "Kazakhstan's People Solidarity Holiday": _("Kazakhstan People's Unity Day"),
    "Defender of the Fatherland Day": _("Defender of the Fatherland Day"),
    "Victory Day": _("Victory Day"),
    "Eid al-Adha": _("Kurban Ait"),
    "Capital Day": _("Capital Day"),
    "Constitution Day": _("Constitution Day"),
    "Republic Day": _("Republic Day"),
    "Independence Day": _("Independence Day"),
}
# The package writes the source date month first: "Day off (substituted from 05/04/2024)" is 4 May.
_SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d{2})/(\d{2})/(\d{4})\)$")
_SUFFIXES = re.compile(r"\s*\((observed|estimated|observed, estimated)\)$")


def describe_day(info: workdays.DayInfo) -> str:
    """A short translated reason why a day is not (or, exceptionally, is) a working day."""
    kind = workdays.DayKind
    if info.kind == kind.SATURDAY:
        return gettext("Saturday")
    if info.kind == kind.SUNDAY:
        return gettext("Sunday")
    if info.kind in (kind.OVERRIDE_OFF, kind.OVERRIDE_WORKING):
        text = info.name
        if info.reference:
            text = gettext("%(reason)s (%(reference)s)") % {"reason": info.name, "reference": info.reference}
        return text
    if info.kind == kind.TRANSFERRED_WORKING:
        return gettext("working day by a transfer order")
    # One day can carry two names ("Eid al-Adha (estimated); Nowruz Holiday").
    return "; ".join(_describe_name(part) for part in info.name.split("; "))


def _describe_name(name: str) -> str:
    match = _SUBSTITUTED.match(name)
    if match:
        month, day, year = match.groups()
        return gettext("day off transferred from %(date)s") % {"date": f"{day}.{month}.{year}"}
    label = str(HOLIDAY_NAMES.get(_SUFFIXES.sub("", name), _SUFFIXES.sub("", name)))
    if "(observed" in name:
        return gettext("%(holiday)s (day off moved from a weekend)") % {"holiday": label}
    if "estimated)" in name:
        return gettext("%(holiday)s (date not yet confirmed)") % {"holiday": label}
    return label


@dataclass(frozen=True)
class ExplainedDay:
    day: dt.date
    reason: str
    kind: str


@dataclass(frozen=True)
class DeadlineResult:
    received: dt.date
    registered: dt.date
    working_days: int
    extension_days: int
    due: dt.date
    skipped: list[ExplainedDay]
    calendar_version: str
    day_one_after_registration: bool


def explain_days(cal: workdays.Calendar, start: dt.date, end: dt.date) -> list[ExplainedDay]:
    """Every non-working day after `start` up to `end`, with its translated reason."""
    return [ExplainedDay(info.day, describe_day(info), str(info.kind)) for info in workdays.skipped_days(cal, start, end)]


def deadline_for(*, received: dt.date, working_days: int, extension_days: int = 0) -> DeadlineResult:
    """The public calculator (RULES §6, §11-§17): registration day for a receipt on `received`, and the due date."""
    cal = current_calendar()
    registered = workdays.registration_day(cal, dt.datetime.combine(received, dt.time(9, 0)))
    due = workdays.due_date(
        cal,
        registered=registered,
        working_days=working_days,
        extension_days=extension_days,
        day_one_after_registration=settings.SHAGYM_DAY_ONE_AFTER_REGISTRATION,
    )
    return DeadlineResult(
        received=received,
        registered=registered,
        working_days=working_days,
        extension_days=extension_days,
        due=due,
        skipped=explain_days(cal, received - dt.timedelta(days=1), due),
        calendar_version=cal.version,
        day_one_after_registration=settings.SHAGYM_DAY_ONE_AFTER_REGISTRATION,
    )
