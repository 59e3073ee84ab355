"""Registration and routing (RULES §4-§9): register on the day of receipt, forward from the appealed body, satisfy
there in full, redirect to the competent body, ask for missing content and return the complaint if it does not
come, and replace a lost talon."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F

from shagym import workdays
from shagym.directory.calendar import current_calendar
from shagym.directory.models import Organisation

from ..attachments import store_all as store_attachments
from ..models import Complaint, ComplaintEvent, Counter
from ..states import Action, ContentRequestData, MoveData, SupplyData, TextData
from .common import check, due, local_date, lock, now_or, transition, working_days_after

if TYPE_CHECKING:
    from shagym.accounts.models import User


def _next_number(organisation_id: int, year: int) -> str:
    # The counter row is locked so two clerks registering at once get different numbers.
    counter, _ = Counter.objects.select_for_update().get_or_create(organisation_id=organisation_id, year=year)
    Counter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
    counter.refresh_from_db()
    # Short enough to read out on the phone to the contact centre: year, body, sequence ("26-009-00042").
    return f"{year % 100:02d}-{organisation_id:03d}-{counter.value:05d}"


@transaction.atomic
def register_complaint(*, actor: User | None, complaint: Complaint, now: dt.datetime | None = None) -> ComplaintEvent:
    """RULES §5-§6 (АППК 64(2)-(3)): the office registers the complaint on the day of receipt (the next working
    day if received on a non-working day) and the term runs from that day. A complaint received by a body other
    than the one addressed (the appealed body, RULES §8) opens the 3-working-day forwarding window instead."""
    at = now_or(now)
    lock(complaint)
    cal = current_calendar()
    # The receipt that counts is the one at the current holder (after a forward or redirect, its own receipt).
    received = complaint.received_at
    last_move = complaint.events.filter(action__in=[Action.FORWARD, Action.REDIRECT]).order_by("-at").first()
    if last_move is not None:
        received = last_move.at
    registered_on = workdays.registration_day(cal, received)
    checked = check(complaint, Action.REGISTER, actor=actor, at=at)
    changes: dict[str, Any] = {"registered_at": at, "registered_on": registered_on}
    if not complaint.number:
        changes["number"] = _next_number(complaint.holder_id, registered_on.year)
    if complaint.holder_id != complaint.reviewing_body_id:
        changes["forward_due"] = workdays.add_working_days(cal, registered_on, settings.SHAGYM_NOTICE_DAYS)
    else:
        day, version = due(registered_on, complaint.term_days)
        changes.update(due_date=day, calendar_version=version, forward_due=None)
    return checked.apply(changes=changes)


@transaction.atomic
def forward_complaint(*, actor: User, complaint: Complaint, now: dt.datetime | None = None) -> ComplaintEvent:
    """RULES §8 (АППК 91(4)): the appealed body sends the complaint with the case file to the reviewing body."""
    lock(complaint)
    source = complaint.holder_id
    return transition(
        complaint, Action.FORWARD, actor=actor, at=now_or(now),
        changes={"holder_id": complaint.reviewing_body_id, "forwarded_from_id": source, "forward_due": None},
        payload=MoveData(from_body=source, to_body=complaint.reviewing_body_id),
    )


@transaction.atomic
def satisfy_in_full(*, actor: User, complaint: Complaint, text: str, now: dt.datetime | None = None) -> ComplaintEvent:
    """RULES §8: within the 3 working days the appealed body itself satisfies the demands in full."""
    at = now_or(now)
    lock(complaint)
    return transition(
        complaint, Action.SATISFY, actor=actor, at=at, text=text, payload=TextData(text=text.strip()),
        changes={"decided_at": at, "decision_reasons": text.strip(), "forward_due": None},
    )


@transaction.atomic
def redirect_complaint(
    *, actor: User, complaint: Complaint, target: Organisation | None, reason: str, now: dt.datetime | None = None
) -> ComplaintEvent:
    """RULES §9 (АППК 65): outside this body's competence; sent to the competent body, applicant told why."""
    lock(complaint)
    source = complaint.holder_id
    target_id = target.pk if target else None
    return transition(
        complaint, Action.REDIRECT, actor=actor, at=now_or(now), target_id=target_id, holder_id=source, reason=reason,
        changes={"holder_id": target_id, "reviewing_body_id": target_id, "forwarded_from_id": source,
                 "due_date": None},
        payload=MoveData(from_body=source, to_body=target_id, reason=reason.strip()),
    )


@transaction.atomic
def request_content(
    *, actor: User, complaint: Complaint, missing: str, days: int | None = None, now: dt.datetime | None = None
) -> ComplaintEvent:
    """RULES §4 (АППК 64(6)): name what is missing and give a reasonable term to supply it."""
    at = now_or(now)
    days = days or settings.SHAGYM_CONTENT_FIX_DAYS
    lock(complaint)
    checked = check(complaint, Action.REQUEST_CONTENT, actor=actor, at=at, missing=missing, days=days)
    return checked.apply(changes={"content_due": working_days_after(local_date(at), days)},
                         payload=ContentRequestData(missing=missing.strip(), days=days))


@transaction.atomic
def supply_content(
    *,
    actor: User,
    complaint: Complaint,
    text: str,
    attachments: list[UploadedFile] | None = None,
    now: dt.datetime | None = None,
) -> ComplaintEvent:
    """RULES §4: the applicant supplies what is missing (text, files, or both); the complaint resumes where it was."""
    uploads = attachments or []
    lock(complaint)
    checked = check(complaint, Action.SUPPLY_CONTENT, actor=actor, at=now_or(now), text=text, files=len(uploads))
    stored = store_attachments(complaint=complaint, uploads=uploads)
    return checked.apply(changes={"content_due": None},
                         payload=SupplyData(text=text.strip(), attachments=[a.name for a in stored]))


@transaction.atomic
def return_complaint(*, actor: User, complaint: Complaint, now: dt.datetime | None = None) -> ComplaintEvent:
    """RULES §4 (АППК 64(7)-(8)): not fixed in time, so returned; the applicant may file it again."""
    lock(complaint)
    return transition(complaint, Action.RETURN, actor=actor, at=now_or(now))


@transaction.atomic
def reissue_talon(*, actor: User, complaint: Complaint, now: dt.datetime | None = None) -> ComplaintEvent:
    """RULES §5: a new talon for a paper complaint, with a new access code (the documents layer prints it after
    commit); the code on the old talon stops working then."""
    lock(complaint)
    return transition(complaint, Action.REISSUE_TALON, actor=actor, at=now_or(now))
