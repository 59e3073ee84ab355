"""Template filters for dates, in the active language: {% load dates %} {{ day|long_date }}."""

from __future__ import annotations

import datetime as dt

from django import template

from shagym.directory import dates

register = template.Library()


@register.filter
def long_date(day: dt.date | None) -> str:
    return dates.long(day)


@register.filter
def long_date_weekday(day: dt.date | None) -> str:
    return dates.long(day, weekday=True)


@register.filter
def day_month_weekday(day: dt.date | None) -> str:
    """2 желтоқсан, сс: a day in a list of the same year."""
    if day is None:
        return "—"
    return f"{dates.day_and_month(day)}, {dates.weekday_name(day, short=True)}"


@register.filter
def numeric_date(day: dt.date | dt.datetime | None) -> str:
    return dates.numeric(day)
