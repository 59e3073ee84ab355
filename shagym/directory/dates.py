"""Dates for people, in Kazakh, Russian and English, written one way everywhere (pages, letters, messages).

The names are ours, not the locale data of the framework, which has Kazakh weekdays wrong ("Жума" for Жұма; "Сб",
Saturday's abbreviation, for Tuesday) and capitalises month names that Kazakh and Russian write in lower case in a
sentence. Kazakh writes "2026 жылғы 2 желтоқсан", Russian "2 декабря 2026 г.", English "2 December 2026"."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext

MONTHS = {
    "kk": ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша",
           "желтоқсан"],
    # Russian: the genitive, as after a day number.
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}
WEEKDAYS = {
    "kk": ["дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі"],
    "ru": ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
WEEKDAYS_SHORT = {
    "kk": ["дс", "сс", "ср", "бс", "жм", "сб", "жс"],
    "ru": ["пн", "вт", "ср", "чт", "пт", "сб", "вс"],
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}


def _language(language: str | None) -> str:
    code = (language or get_language() or "kk")[:2]
    return code if code in MONTHS else "en"


def numeric(day: dt.date | dt.datetime | None) -> str:
    """02.12.2026: tables, letters, messages (the form every official document here uses)."""
    return day.strftime("%d.%m.%Y") if day else "—"


def day_and_month(day: dt.date, language: str | None = None) -> str:
    lang = _language(language)
    return f"{day.day} {MONTHS[lang][day.month - 1]}"


def long(day: dt.date | None, language: str | None = None, *, weekday: bool = False) -> str:
    """2 желтоқсан 2026 / 2 декабря 2026 г. / 2 December 2026, with the weekday if asked."""
    if day is None:
        return "—"
    lang = _language(language)
    month = MONTHS[lang][day.month - 1]
    text = {"kk": f"{day.year} жылғы {day.day} {month}", "ru": f"{day.day} {month} {day.year} г."}.get(
        lang, f"{day.day} {month} {day.year}")
    return f"{text}, {WEEKDAYS[lang][day.weekday()]}" if weekday else text


def weekday_name(day: dt.date, language: str | None = None, *, short: bool = False) -> str:
    lang = _language(language)
    return (WEEKDAYS_SHORT if short else WEEKDAYS)[lang][day.weekday()]


# Every date a person types is checked against this range (issue 10): a complaint, a postmark, a hearing, a delivery,
# a term. The working-day calendar covers these years; anything outside is a typing error.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def plausible(day: dt.date | None) -> None:
    """A form validator: a translated error for a date outside EARLIEST..LATEST."""
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ValidationError(
            gettext("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": numeric(EARLIEST), "latest": numeric(LATEST)},
            code="implausible",
        )
