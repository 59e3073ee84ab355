"""One function per action of the lifecycle. The only code that writes a complaint's status.

Each function: lock the row, find the actor's roles, check the state table and the guard (states.check),
change the complaint, append one event with before and after, all in one transaction; side effects run
after commit. Keyword-only arguments, actor first; `now` may be given (tests, sweeps)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from shagym import workdays
from shagym.directory.calendar import current_calendar
from shagym.directory.models import Organisation, Service

from . import access, states
from .identifiers import is_valid_bin, is_valid_iin
from .models import (
    AppealedOfficial,
    Attachment,
    Complaint,
    ComplaintEvent,
    Counter,
    Recommendation,
)
from .states import Action, ApplicantKind, Channel, NotAllowed, Refused, Role, State

if TYPE_CHECKING:
    from shagym.accounts.models import User


# ---------------------------------------------------------------------------------------------------------------
# The common steps


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, workdays.ALMATY).date()


def _lock(complaint: Complaint) -> None:
    # Re-read under a row lock so two people (or a person and the sweep) acting at once are serialised and the
    # second one sees the state the first left.
    complaint.refresh_from_db(from_queryset=Complaint.objects.select_for_update())


def _roles(actor: User | None, complaint: Complaint) -> set[Role]:
    return access.roles_for(actor, complaint)


def _append(
    complaint: Complaint,
    *,
    actor: User | None,
    roles: set[Role],
    action: Action,
    before: dict[str, Any],
    at: dt.datetime,
    data: dict[str, Any] | None = None,
) -> ComplaintEvent:
    rule_roles = states.TRANSITIONS[action].roles if action in states.TRANSITIONS else frozenset(roles)
    acting = sorted(r.value for r in roles & rule_roles) or sorted(r.value for r in roles)
    return ComplaintEvent.objects.create(
        complaint=complaint,
        action=action,
        actor=actor,
        role=acting[0] if acting else "",
        at=at,
        before=before,
        after=complaint.snapshot(),
        data=data or {},
    )


def _apply(
    complaint: Complaint,
    action: Action,
    *,
    actor: User | None,
    now: dt.datetime | None,
    roles: set[Role] | None = None,
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    **context: Any,
) -> Complaint:
    """Lock, check role and guard, apply the changes and the new status, append the event. Call inside atomic."""
    at = _now(now)
    _lock(complaint)
    roles = _roles(actor, complaint) if roles is None else roles
    target = states.check(complaint, action, roles=roles, **context)
    before = complaint.snapshot()
    for name, value in (changes or {}).items():
        setattr(complaint, name, value)
    complaint.status = target
    complaint.save()
    _append(complaint, actor=actor, roles=roles, action=action, before=before, at=at, data=data)
    return complaint


def _notify(kind: str, complaint: Complaint, **extra: Any) -> None:
    """Hand the message to the notification tasks once the transaction commits."""
    from . import tasks

    complaint_id = complaint.pk
    transaction.on_commit(lambda: tasks.enqueue_notice(kind, complaint_id, extra))


def _due(registered_on: dt.date, term_days: int, extension_days: int = 0) -> tuple[dt.date, str]:
    cal = current_calendar()
    due = workdays.due_date(
        cal,
        registered=registered_on,
        working_days=term_days,
        extension_days=extension_days,
        day_one_after_registration=settings.SHAGYM_DAY_ONE_AFTER_REGISTRATION,
    )
    return due, cal.version


def _working_days_after(day: dt.date, n: int) -> dt.date:
    return workdays.add_working_days(current_calendar(), day, n)


# ---------------------------------------------------------------------------------------------------------------
# Intake


@dataclass
class OfficialInput:
    position: str
    surname: str
    initials: str


@dataclass
class ComplaintInput:
    """What an applicant (or a clerk from a paper complaint) gives. Validated by `validate_input`."""

    applicant_kind: str
    channel: str
    language: str
    addressee_kind: str
    reviewing_body: Organisation
    respondent: Organisation
    appealed_act: str
    learned_on: dt.date
    circumstances: str
    reasons: str
    demands: str
    postal_address: str
    surname: str = ""
    first_name: str = ""
    patronymic: str = ""
    iin: str = ""
    legal_name: str = ""
    bin: str = ""
    outgoing_number: str = ""
    outgoing_date: dt.date | None = None
    phones: str = ""
    email: str = ""
    service: Service | None = None
    public_service: bool = True
    officials: list[OfficialInput] = field(default_factory=list)
    restoration_requested: bool = False
    restoration_reason: str = ""
    postmark_date: dt.date | None = None


def validate_input(data: ComplaintInput, *, today: dt.date) -> None:
    """RULES §3 (АППК 93): the content a complaint must have. Raises Refused naming the field to fix."""
    if data.applicant_kind == ApplicantKind.INDIVIDUAL:
        if not data.surname.strip() or not data.first_name.strip():
            raise Refused(gettext("Enter the applicant's surname and first name."), field="surname")
        if not is_valid_iin(data.iin):
            raise Refused(
                gettext("The IIN must be 12 digits with a valid check digit: check it against the ID card."),
                field="iin",
            )
    elif data.applicant_kind == ApplicantKind.LEGAL_ENTITY:
        if not data.legal_name.strip():
            raise Refused(gettext("Enter the name of the legal entity."), field="legal_name")
        if not is_valid_bin(data.bin):
            raise Refused(
                gettext("The BIN must be 12 digits with a valid check digit: check it against the registration."),
                field="bin",
            )
        if not data.outgoing_number.strip() or data.outgoing_date is None:
            raise Refused(gettext("Enter the outgoing number and date of the letter."), field="outgoing_number")
    else:
        raise Refused(gettext("Choose whether the applicant is an individual or a legal entity."), field="applicant_kind")
    if data.channel not in Channel.values:
        raise Refused(gettext("Choose how the complaint was received."), field="channel")
    if data.language not in states.Language.values:
        raise Refused(gettext("Choose the language of the complaint: Kazakh or Russian."), field="language")
    if data.addressee_kind not in states.AddresseeKind.values:
        raise Refused(gettext("Choose to whom the complaint is addressed."), field="addressee_kind")
    if data.appealed_act not in states.AppealedAct.values:
        raise Refused(gettext("Choose what is appealed: a decision, an action or inaction."), field="appealed_act")
    if not data.postal_address.strip():
        raise Refused(gettext("Enter the postal address for the answer."), field="postal_address")
    for name, message in (
        ("circumstances", gettext("Describe what happened.")),
        ("reasons", gettext("Explain why you disagree (the reasons).")),
        ("demands", gettext("Say what you ask the body to do (the demands).")),
    ):
        if not getattr(data, name).strip():
            raise Refused(message, field=name)
    if data.learned_on > today:
        raise Refused(gettext("The date you learned of it cannot be in the future."), field="learned_on")
    if not data.officials and data.appealed_act != states.AppealedAct.INACTION and data.channel == Channel.PORTAL:
        # RULES §3: the position, surname and initials of the officials. Not blocking for paper intake (АППК 64(1):
        # acceptance may not be refused); the office asks for missing content instead.
        raise Refused(gettext("Add at least one official whose decision or action you appeal."), field="officials")
    for official in data.officials:
        if not (official.position.strip() and official.surname.strip() and official.initials.strip()):
            raise Refused(gettext("For each official give the position, surname and initials."), field="officials")


def filed_late(learned_on: dt.date, filed_on: dt.date) -> bool:
    """RULES §7 (АППК 92): 3 months from the day the applicant learned of it; never blocks filing.

    `filed_on` is the day of filing: the postmark date for a complaint sent by post (Civil Code Art. 176(2)).
    A term that ends on a non-working day runs to the next working day (Civil Code Art. 175)."""
    months = settings.SHAGYM_FILING_TERM_MONTHS
    year, month = divmod(learned_on.month - 1 + months, 12)
    first_of_month = dt.date(learned_on.year + year, month + 1, 1)
    last_of_month = (first_of_month + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    limit = first_of_month.replace(day=min(learned_on.day, last_of_month.day))
    cal = current_calendar()
    if not cal.is_working_day(limit):
        limit = workdays.next_working_day(cal, limit)
    return filed_on > limit


def scoped_key(actor: User | None, key: str | None) -> str | None:
    """An idempotency key as stored: namespaced by the actor, so nobody gets back someone else's complaint by
    reusing a key."""
    return f"{actor.pk if actor else '-'}:{key}"[:64] if key else None


@transaction.atomic
def submit_complaint(
    *,
    actor: User | None,
    data: ComplaintInput,
    holder: Organisation | None = None,
    idempotency_key: str | None = None,
    attachments: list[UploadedFile] | None = None,
    parent: Complaint | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """File a complaint (RULES §1): on the portal by the applicant, or at the office by a clerk.

    `holder` is the body that received it (default: the body addressed). A retried submission with the same
    idempotency key returns the complaint already filed instead of a second one."""
    at = _now(now)
    idempotency_key = scoped_key(actor, idempotency_key)
    if idempotency_key:
        existing = Complaint.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    validate_input(data, today=local_date(at))
    holder = holder or data.reviewing_body
    received_by = None
    if data.channel == Channel.PORTAL:
        if actor is None:
            raise NotAllowed(Action.SUBMIT)
    else:
        # Paper, post and CON intake is recorded by a clerk of the receiving body.
        if actor is None or Role.CLERK not in access.roles_in(actor, holder.pk):
            raise NotAllowed(Action.SUBMIT)
        received_by = actor
    term_type = states.term_type_for(data.addressee_kind, public_service=data.public_service)
    complaint = Complaint(
        applicant_kind=data.applicant_kind,
        applicant_user=actor if data.channel == Channel.PORTAL else None,
        surname=data.surname.strip(),
        first_name=data.first_name.strip(),
        patronymic=data.patronymic.strip(),
        iin=data.iin if data.applicant_kind == ApplicantKind.INDIVIDUAL else "",
        legal_name=data.legal_name.strip(),
        bin=data.bin if data.applicant_kind == ApplicantKind.LEGAL_ENTITY else "",
        outgoing_number=data.outgoing_number.strip(),
        outgoing_date=data.outgoing_date,
        postal_address=data.postal_address.strip(),
        phones=data.phones.strip(),
        email=data.email.strip(),
        channel=data.channel,
        language=data.language,
        addressee_kind=data.addressee_kind,
        reviewing_body=data.reviewing_body,
        holder=holder,
        respondent=data.respondent,
        service=data.service,
        appealed_act=data.appealed_act,
        learned_on=data.learned_on,
        circumstances=data.circumstances.strip(),
        reasons=data.reasons.strip(),
        demands=data.demands.strip(),
        restoration_requested=data.restoration_requested,
        restoration_reason=data.restoration_reason.strip(),
        idempotency_key=idempotency_key,
        received_at=at,
        postmark_date=data.postmark_date,
        received_by=received_by,
        term_type=term_type,
        term_days=states.TERM_DAYS[term_type],
        status=State.RECEIVED,
        parent=parent,
    )
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError:
        # Two requests with the same key raced; the other one won: return its complaint.
        if idempotency_key:
            return Complaint.objects.get(idempotency_key=idempotency_key)
        raise
    AppealedOfficial.objects.bulk_create(
        AppealedOfficial(complaint=complaint, position=o.position.strip(), surname=o.surname.strip(), initials=o.initials.strip())
        for o in data.officials
    )
    for upload in attachments or []:
        store_attachment(complaint=complaint, upload=upload)
    roles = {Role.APPLICANT} if data.channel == Channel.PORTAL else {Role.CLERK}
    _append(
        complaint,
        actor=actor,
        roles=roles,
        action=Action.SUBMIT,
        before={},
        at=at,
        data={
            "late": filed_late(data.learned_on, data.postmark_date or local_date(at)),
            "parent": parent.number if parent else None,
        },
    )
    _notify("received", complaint)
    return complaint


def store_attachment(*, complaint: Complaint, upload: UploadedFile) -> Attachment:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Attachment.objects.create(
        complaint=complaint,
        file=upload,
        name=(upload.name or "file")[:200],
        content_type=upload.content_type or "application/octet-stream",
        size=upload.size or 0,
        sha256=digest.hexdigest(),
    )


def _next_number(organisation: Organisation, year: int) -> str:
    # The counter row is locked so two clerks registering at once get different numbers.
    counter, _ = Counter.objects.select_for_update().get_or_create(organisation=organisation, year=year)
    Counter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
    counter.refresh_from_db()
    # Short enough to read out on the phone to the contact centre: year, body, sequence ("26-009-00042").
    return f"{year % 100:02d}-{organisation.pk:03d}-{counter.value:05d}"


@transaction.atomic
def register_complaint(*, actor: User | None, complaint: Complaint, now: dt.datetime | None = None) -> Complaint:
    """RULES §5-§6 (АППК 64(2)-(3)): the office registers the complaint on the day of receipt (the next working
    day if received on a non-working day) and the term runs from that day. A complaint received by a body other
    than the one addressed (the appealed body, RULES §8) opens the 3-working-day forwarding window instead."""
    at = _now(now)
    _lock(complaint)
    cal = current_calendar()
    # The receipt that counts is the one at the current holder (after a forward or redirect, its own receipt).
    received = complaint.received_at
    last_move = complaint.events.filter(action__in=[Action.FORWARD, Action.REDIRECT]).order_by("-at").first()
    if last_move is not None:
        received = last_move.at
    registered_on = workdays.registration_day(cal, received)
    changes: dict[str, Any] = {"registered_at": at, "registered_on": registered_on}
    if not complaint.number:
        changes["number"] = _next_number(complaint.holder, registered_on.year)
    forwarding = complaint.holder_id != complaint.reviewing_body_id
    if forwarding:
        changes["forward_due"] = workdays.add_working_days(cal, registered_on, settings.SHAGYM_NOTICE_DAYS)
    else:
        due, version = _due(registered_on, complaint.term_days)
        changes.update(due_date=due, calendar_version=version, forward_due=None)
    roles = _roles(actor, complaint)
    target = states.check(complaint, Action.REGISTER, roles=roles, forwarding=forwarding)
    before = complaint.snapshot()
    for name, value in changes.items():
        setattr(complaint, name, value)
    complaint.status = target
    complaint.save()
    _append(complaint, actor=actor, roles=roles, action=Action.REGISTER, before=before, at=at)
    _notify("registered", complaint)
    return complaint


@transaction.atomic
def forward_complaint(*, actor: User, complaint: Complaint, now: dt.datetime | None = None) -> Complaint:
    """RULES §8 (АППК 91(4)): the appealed body sends the complaint with the case file to the reviewing body."""
    _lock(complaint)  # read the fields below from the locked row, not from the caller's copy
    source = complaint.holder
    _apply(
        complaint,
        Action.FORWARD,
        actor=actor,
        now=now,
        changes={"holder": complaint.reviewing_body, "forwarded_from": source, "forward_due": None},
        data={"from": source.pk, "to": complaint.reviewing_body_id},
    )
    _notify("forwarded", complaint)
    return complaint


@transaction.atomic
def satisfy_in_full(*, actor: User, complaint: Complaint, text: str, now: dt.datetime | None = None) -> Complaint:
    """RULES §8: within the 3 working days the appealed body itself satisfies the demands in full."""
    _lock(complaint)  # read the fields below from the locked row, not from the caller's copy
    if complaint.holder_id != complaint.respondent_id:
        raise Refused(gettext("Only the body whose act is appealed can satisfy the complaint here."), code="state")
    _apply(complaint, Action.SATISFY, actor=actor, now=now, text=text, data={"text": text.strip()},
           changes={"decided_at": _now(now), "decision_reasons": text.strip(), "forward_due": None})
    _notify("satisfied", complaint)
    return complaint


@transaction.atomic
def redirect_complaint(
    *, actor: User, complaint: Complaint, target: Organisation | None, reason: str = "", now: dt.datetime | None = None
) -> Complaint:
    """RULES §9 (АППК 65): outside this body's competence; sent to the competent body, applicant told."""
    _lock(complaint)  # read the fields below from the locked row, not from the caller's copy
    source = complaint.holder
    _apply(
        complaint,
        Action.REDIRECT,
        actor=actor,
        now=now,
        target_id=target.pk if target else None,
        holder_id=complaint.holder_id,
        changes={"holder": target, "reviewing_body": target, "forwarded_from": source, "due_date": None},
        data={"from": source.pk, "to": target.pk if target else None, "reason": reason.strip()},
    )
    _notify("redirected", complaint)
    return complaint


@transaction.atomic
def request_content(
    *, actor: User, complaint: Complaint, missing: str, days: int | None = None, now: dt.datetime | None = None
) -> Complaint:
    """RULES §4 (АППК 64(6)): name what is missing and give a reasonable term to supply it."""
    at = _now(now)
    days = days or settings.SHAGYM_CONTENT_FIX_DAYS
    if not 1 <= days <= 30:
        raise Refused(gettext("The term to supply the content is from 1 to 30 working days."), field="days")
    due = _working_days_after(local_date(at), days)
    _apply(complaint, Action.REQUEST_CONTENT, actor=actor, now=now, missing=missing,
           changes={"content_due": due}, data={"missing": missing.strip(), "days": days})
    _notify("content_requested", complaint)
    return complaint


@transaction.atomic
def supply_content(
    *,
    actor: User,
    complaint: Complaint,
    text: str,
    attachments: list[UploadedFile] | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """RULES §4: the applicant supplies what is missing (text, and files if any); the complaint resumes."""
    _lock(complaint)  # read the fields below from the locked row, not from the caller's copy
    _apply(complaint, Action.SUPPLY_CONTENT, actor=actor, now=now, text=text,
           has_executor=complaint.executor_id is not None,
           changes={"content_due": None},
           data={"text": text.strip(), **({"attachments": [u.name for u in attachments]} if attachments else {})})
    for upload in attachments or []:
        store_attachment(complaint=complaint, upload=upload)
    return complaint


@transaction.atomic
def return_complaint(*, actor: User, complaint: Complaint, now: dt.datetime | None = None) -> Complaint:
    """RULES §4 (АППК 64(7)-(8)): not fixed in time, so returned; the applicant may file it again."""
    _lock(complaint)  # read the fields below from the locked row, not from the caller's copy
    _apply(complaint, Action.RETURN, actor=actor, now=now, today=local_date(_now(now)),
           content_due=complaint.content_due)
    _notify("returned", complaint)
    return complaint


def _is_appealed_official(user: User, complaint: Complaint) -> bool:
    initial = (user.first_name[:1] or "").lower()
    return any(
        o.surname.strip().lower() == user.last_name.strip().lower() and o.initials.strip().lower().startswith(initial)
        for o in complaint.officials.all()
    ) if user.last_name else False


@transaction.atomic
def assign_executor(*, actor: User, complaint: Complaint, executor: User | None, now: dt.datetime | None = None) -> Complaint:
    """RULES §10: after registration the head appoints the responsible executor (or changes him)."""
    _lock(complaint)  # read the fields below from the locked row, not from the caller's copy
    executor_ok = executor is not None and bool(
        access.roles_in(executor, complaint.holder_id) & {Role.EXECUTOR, Role.INSPECTOR}
    )
    previous = complaint.executor_id
    _apply(
        complaint,
        Action.ASSIGN,
        actor=actor,
        now=now,
        executor_ok=executor_ok,
        executor_is_appealed=bool(executor and _is_appealed_official(executor, complaint)),
        changes={"executor": executor},
        data={"executor": executor.pk if executor else None, "previous": previous},
    )
    _notify("assigned", complaint)
    return complaint


@transaction.atomic
def extend_term(
    *, actor: User, complaint: Complaint, days: int, ground: str, reasons: str, now: dt.datetime | None = None
) -> Complaint:
    """RULES §14 (Law Art. 25(4)): at most 10 working days, once, for the body kinds allowed, with a ground and
    reasons; the applicant is told within 3 working days."""
    at = _now(now)
    _lock(complaint)
    roles = _roles(actor, complaint)
    target = states.check(
        complaint,
        Action.EXTEND,
        roles=roles,
        body_kind=complaint.holder.kind,
        allowed_kinds=settings.SHAGYM_EXTENSION_BODY_KINDS,
        days=days,
        max_days=min(settings.SHAGYM_MAX_EXTENSION_DAYS, 10),
        ground=ground,
        reasons=reasons,
    )
    before = complaint.snapshot()
    assert complaint.due_date is not None
    # RULES §14: the extension adds working days to the term in force; the original term does not move.
    complaint.due_date = _working_days_after(complaint.due_date, days)
    complaint.extension_days = days
    complaint.extension_ground = ground
    complaint.extension_reasons = reasons.strip()
    complaint.extended_on = local_date(at)
    complaint.extension_notice_due = _working_days_after(local_date(at), settings.SHAGYM_NOTICE_DAYS)
    complaint.status = target
    complaint.save()
    _append(complaint, actor=actor, roles=roles, action=Action.EXTEND, before=before, at=at,
            data={"days": days, "ground": ground, "reasons": reasons.strip()})
    _notify("extended", complaint)
    return complaint


@transaction.atomic
def record_extension_notice(
    *, actor: User | None, complaint: Complaint, channel: str, now: dt.datetime | None = None
) -> Complaint:
    _lock(complaint)  # read the fields below from the locked row, not from the caller's copy
    at = _now(now)
    if complaint.extension_notice_sent_at is not None:
        raise Refused(gettext("The extension notice has already been recorded."), code="state")
    _apply(complaint, Action.RECORD_EXTENSION_NOTICE, actor=actor, now=now,
           changes={"extension_notice_sent_at": at},
           data={"channel": channel, "on_time": bool(complaint.extension_notice_due and local_date(at) <= complaint.extension_notice_due)})
    return complaint


@transaction.atomic
def record_hearing(
    *, actor: User, complaint: Complaint, held_on: dt.date, notes: str, now: dt.datetime | None = None
) -> Complaint:
    """АППК Art. 73: the applicant's right to be heard before an unfavourable decision."""
    _apply(complaint, Action.RECORD_HEARING, actor=actor, now=now, notes=notes,
           data={"held_on": held_on.isoformat(), "notes": notes.strip()})
    return complaint


@transaction.atomic
def propose_decision(
    *,
    actor: User,
    complaint: Complaint,
    outcome: str,
    reasons: str,
    facts: str = "",
    legal_references: str = "",
    now: dt.datetime | None = None,
) -> Complaint:
    """RULES §20, §23 (АППК 100, 101): the executor drafts the reasoned answer for the head's signature."""
    _apply(
        complaint,
        Action.PROPOSE_DECISION,
        actor=actor,
        now=now,
        outcome=outcome,
        reasons=reasons,
        facts=facts,
        changes={
            "outcome": outcome,
            "decision_reasons": reasons.strip(),
            "decision_facts": facts.strip(),
            "legal_references": legal_references.strip(),
        },
        data={"outcome": outcome},
    )
    _notify("awaiting_signature", complaint)
    return complaint


@transaction.atomic
def return_draft(*, actor: User, complaint: Complaint, comment: str, now: dt.datetime | None = None) -> Complaint:
    _apply(complaint, Action.RETURN_DRAFT, actor=actor, now=now, comment=comment, data={"comment": comment.strip()})
    return complaint


@transaction.atomic
def sign_decision(*, actor: User, complaint: Complaint, now: dt.datetime | None = None) -> Complaint:
    _lock(complaint)  # read the fields below from the locked row, not from the caller's copy
    at = _now(now)
    _apply(complaint, Action.SIGN_DECISION, actor=actor, now=now,
           changes={"decided_at": at, "signed_by": actor}, data={"outcome": complaint.outcome})
    _notify("decided", complaint)
    return complaint


@transaction.atomic
def leave_without_consideration(
    *, actor: User, complaint: Complaint, ground: str, comment: str = "", now: dt.datetime | None = None
) -> Complaint:
    """RULES §21 (АППК 95): only on the grounds listed; the applicant is told within 3 working days."""
    at = _now(now)
    _apply(complaint, Action.LEAVE_WITHOUT_CONSIDERATION, actor=actor, now=now, ground=ground,
           changes={"without_consideration_ground": ground, "decided_at": at, "signed_by": actor},
           data={"ground": ground, "comment": comment.strip(),
                 "notice_due": _working_days_after(local_date(at), settings.SHAGYM_NOTICE_DAYS).isoformat()})
    _notify("left_without_consideration", complaint)
    return complaint


@transaction.atomic
def withdraw_complaint(*, actor: User, complaint: Complaint, reason: str = "", now: dt.datetime | None = None) -> Complaint:
    """RULES §22 (АППК 64(9)): by the applicant's written request, before the decision."""
    _apply(complaint, Action.WITHDRAW, actor=actor, now=now, data={"reason": reason.strip()})
    _notify("withdrawn", complaint)
    return complaint


@transaction.atomic
def deliver_answer(
    *, actor: User | None, complaint: Complaint, method: str, delivered_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """RULES §23 (seed 004): by post, handed over at the office, or to the personal cabinet."""
    _lock(complaint)  # read the fields below from the locked row, not from the caller's copy
    at = _now(now)
    day = delivered_on or local_date(at)
    if day > local_date(at):
        raise Refused(gettext("The delivery date cannot be in the future."), field="delivered_on")
    _apply(complaint, Action.DELIVER_ANSWER, actor=actor, now=now, method=method,
           changes={"delivery_method": method, "delivered_on": day}, data={"method": method, "on": day.isoformat()})
    return complaint


@transaction.atomic
def close_complaint(*, actor: User | None, complaint: Complaint, now: dt.datetime | None = None) -> Complaint:
    _apply(complaint, Action.CLOSE, actor=actor, now=now, changes={"closed_at": _now(now)})
    return complaint


@transaction.atomic
def mark_overdue(*, complaint: Complaint, now: dt.datetime | None = None) -> bool:
    """RULES §15 (АППК 91(2), 100(5)): the term ended without a decision; it counts as a refusal.
    Done by the system once per complaint; returns False when there was nothing to do."""
    at = _now(now)
    today = local_date(at)
    _lock(complaint)
    if complaint.overdue_since is not None or not complaint.is_overdue(today):
        return False
    _apply(complaint, Action.MARK_OVERDUE, actor=None, now=now,
           changes={"overdue_since": today}, data={"due_date": complaint.due_date.isoformat() if complaint.due_date else None})
    _notify("deemed_refused", complaint)
    return True


# ---------------------------------------------------------------------------------------------------------------
# The second tier and the quality authority (RULES §24)


def second_tier_allowed(complaint: Complaint, today: dt.date) -> bool:
    """After an answer the applicant disagrees with, a refusal to consider it, or silence past the term
    (RULES §15, §21, §24)."""
    return (
        complaint.status in states.ANSWERED_STATES | {State.LEFT_WITHOUT_CONSIDERATION}
        or complaint.is_overdue(today)
    )


@transaction.atomic
def file_second_tier(
    *,
    actor: User,
    parent: Complaint,
    quality_authority: Organisation,
    reasons: str,
    demands: str,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """The applicant complains to the quality authority about the first answer (or its absence); linked to it."""
    at = _now(now)
    _lock(parent)
    roles = _roles(actor, parent)
    states.check(parent, Action.SECOND_TIER_FILED, roles=roles)
    if idempotency_key:
        retried = parent.second_tier.filter(idempotency_key=scoped_key(actor, idempotency_key)).first()
        if retried is not None:
            return retried
    if not second_tier_allowed(parent, local_date(at)):
        raise Refused(
            gettext("You can complain to the quality authority once you have the answer or the term has passed."),
            code="state",
        )
    if parent.second_tier.filter(status__in=states.OPEN_STATES).exists():
        raise Refused(gettext("A complaint about this answer is already with the quality authority."), code="state")
    data = ComplaintInput(
        applicant_kind=parent.applicant_kind,
        channel=Channel.PORTAL,
        language=parent.language,
        addressee_kind=states.AddresseeKind.QUALITY_AUTHORITY,
        reviewing_body=quality_authority,
        respondent=parent.reviewing_body,
        appealed_act=states.AppealedAct.INACTION if parent.is_open else states.AppealedAct.DECISION,
        learned_on=parent.delivered_on or (local_date(parent.decided_at) if parent.decided_at else local_date(at)),
        circumstances=gettext("Answer to complaint %(number)s.") % {"number": parent.number},
        reasons=reasons,
        demands=demands,
        postal_address=parent.postal_address,
        surname=parent.surname,
        first_name=parent.first_name,
        patronymic=parent.patronymic,
        iin=parent.iin,
        legal_name=parent.legal_name,
        bin=parent.bin,
        outgoing_number=parent.outgoing_number or "-",
        outgoing_date=parent.outgoing_date or local_date(at),
        phones=parent.phones,
        email=parent.email,
        service=parent.service,
        officials=[OfficialInput(o.position, o.surname, o.initials) for o in parent.officials.all()]
        or [OfficialInput(gettext("head"), parent.reviewing_body.name, "-")],
    )
    child = submit_complaint(actor=actor, data=data, idempotency_key=idempotency_key, parent=parent, now=at)
    before = parent.snapshot()
    _append(parent, actor=actor, roles=roles, action=Action.SECOND_TIER_FILED, before=before, at=at,
            data={"child": child.pk})
    return child


@transaction.atomic
def recommend(
    *, actor: User, complaint: Complaint, body: Organisation, text: str, due_date: dt.date,
    now: dt.datetime | None = None,
) -> Recommendation:
    """RULES §24 (Law Art. 25(3)(2)): a recommendation to a body to restore the violated rights."""
    at = _now(now)
    if complaint.holder.kind != "quality_authority":
        raise NotAllowed(Action.RECOMMEND)
    if due_date <= local_date(at):
        raise Refused(gettext("The date to execute the recommendation must be in the future."), field="due_date")
    _apply(complaint, Action.RECOMMEND, actor=actor, now=now, text=text, data={"body": body.pk, "due": due_date.isoformat()})
    recommendation = Recommendation.objects.create(complaint=complaint, body=body, text=text.strip(), due_date=due_date)
    _notify("recommendation", complaint, recommendation=recommendation.pk)
    return recommendation


@transaction.atomic
def report_execution(
    *, actor: User, recommendation: Recommendation, report: str, now: dt.datetime | None = None
) -> Recommendation:
    """The body reports how it executed the recommendation (RULES §24: control of timeliness and completeness)."""
    at = _now(now)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status != Recommendation.Status.ISSUED:
        raise Refused(gettext("Execution has already been reported."), code="state")
    if not report.strip():
        raise Refused(gettext("Describe how the recommendation was executed."), field="report")
    roles = access.roles_in(actor, recommendation.body_id) & {Role.HEAD}
    complaint = recommendation.complaint
    _apply(complaint, Action.REPORT_EXECUTION, actor=actor, now=now, roles=roles,
           data={"recommendation": recommendation.pk, "report": report.strip()})
    recommendation.status = Recommendation.Status.REPORTED
    recommendation.report = report.strip()
    recommendation.reported_at = at
    recommendation.save()
    return recommendation


@transaction.atomic
def confirm_execution(
    *, actor: User, recommendation: Recommendation, accepted: bool, comment: str = "", now: dt.datetime | None = None
) -> Recommendation:
    """The inspector accepts the report (executed) or sends it back (issued again)."""
    at = _now(now)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status != Recommendation.Status.REPORTED:
        raise Refused(gettext("There is no report on execution to confirm."), code="state")
    complaint = recommendation.complaint
    roles = access.roles_in(actor, complaint.holder_id) & {Role.INSPECTOR}
    _apply(complaint, Action.CONFIRM_EXECUTION, actor=actor, now=now, roles=roles,
           data={"recommendation": recommendation.pk, "accepted": accepted, "comment": comment.strip()})
    recommendation.status = Recommendation.Status.EXECUTED if accepted else Recommendation.Status.ISSUED
    recommendation.confirmed_at = at if accepted else None
    recommendation.save()
    return recommendation


# ---------------------------------------------------------------------------------------------------------------
# Calendar changes (RULES §18): a legal deadline never moves silently.


@dataclass(frozen=True)
class DueDateChange:
    complaint: Complaint
    current: dt.date
    proposed: dt.date

    @property
    def moves(self) -> bool:
        return self.current != self.proposed


def recompute_due(complaint: Complaint) -> tuple[dt.date | None, str]:
    if complaint.registered_on is None or complaint.due_date is None:
        return None, ""
    return _due(complaint.registered_on, complaint.term_days, complaint.extension_days)


@transaction.atomic
def revise_due_date(
    *, actor: User, complaint: Complaint, apply: bool, reason: str, now: dt.datetime | None = None
) -> Complaint:
    """The administrator applies the date under the new calendar, or keeps the old one; an event either way."""
    if not reason.strip():
        raise Refused(gettext("Give the reason, e.g. the order that changed the calendar."), field="reason")
    _lock(complaint)
    proposed, version = recompute_due(complaint)
    changes: dict[str, Any] = {"calendar_version": version}
    if apply and proposed is not None:
        changes["due_date"] = proposed
    _apply(complaint, Action.REVISE_DUE_DATE, actor=actor, now=now, changes=changes,
           data={"applied": apply, "reason": reason.strip(), "proposed": proposed.isoformat() if proposed else None})
    return complaint
