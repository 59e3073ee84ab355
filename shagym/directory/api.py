"""Public calendar API: GET /api/v1/calendar/deadline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictStr

from .calendar import deadline_for

router = Router(tags=["calendar"])


class DeadlineQuery(Schema):
    received: StrictStr = Field(description="Day the complaint was received, YYYY-MM-DD.")
    working_days: StrictStr = Field(description="Term in working days, 1 to 60 (5, 15 or 20 by the law).")
    extension_days: StrictStr = Field("0", description="Extension in working days, 0 to 10 (RULES §14).")


class SkippedDay(Schema):
    date: dt.date
    reason: str
    kind: str


class Deadline(Schema):
    received: dt.date
    registered: dt.date = Field(description="Registration day: the receipt day, or the next working day (RULES §6).")
    working_days: int
    extension_days: int
    due: dt.date = Field(description="Last day of the term, after the extension if any; it ends at 24:00 Almaty time.")
    skipped: list[SkippedDay] = Field(description="Every non-working day between registration and the due date.")
    calendar_version: str
    day_one_after_registration: bool


class ErrorOut(Schema):
    detail: str
    field: str | None = None


def _int(value: str, *, name: str, low: int, high: int) -> int:
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise ValueError(
            gettext("%(name)s must be a whole number from %(low)d to %(high)d.") % {"name": name, "low": low, "high": high}
        )
    return int(value)


@router.get("/deadline", response={200: Deadline, 422: ErrorOut}, summary="Compute a review deadline")
def deadline(request: HttpRequest, params: Query[DeadlineQuery]) -> Status:
    try:
        received = dt.date.fromisoformat(params.received) if len(params.received) == 10 else None
    except ValueError:
        received = None
    if received is None or not dt.date(2000, 1, 1) <= received <= dt.date(2100, 12, 31):
        return Status(422, ErrorOut(detail=gettext("received must be a date written YYYY-MM-DD."), field="received"))
    try:
        days = _int(params.working_days, name="working_days", low=1, high=60)
    except ValueError as exc:
        return Status(422, ErrorOut(detail=str(exc), field="working_days"))
    try:
        extension = _int(params.extension_days, name="extension_days", low=0, high=settings.SHAGYM_MAX_EXTENSION_DAYS)
    except ValueError as exc:
        return Status(422, ErrorOut(detail=str(exc), field="extension_days"))
    return Status(200, compute_deadline(received=received, working_days=days, extension_days=extension))


def compute_deadline(*, received: dt.date, working_days: int, extension_days: int = 0) -> Deadline:
    result = deadline_for(received=received, working_days=working_days, extension_days=extension_days)
    return Deadline(
        received=result.received,
        registered=result.registered,
        working_days=result.working_days,
        extension_days=result.extension_days,
        due=result.due,
        skipped=[SkippedDay(date=d.day, reason=d.reason, kind=d.kind) for d in result.skipped],
        calendar_version=result.calendar_version,
        day_one_after_registration=result.day_one_after_registration,
    )
