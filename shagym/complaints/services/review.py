"""Review and decision (RULES §10-§23): the executor appointed, the term extended and the applicant told, the
hearing, the reasoned answer drafted, signed and delivered, leaving without consideration, withdrawal, closing,
and the term passing without a decision."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from shagym.signatures.verify import Verification

from .. import access, signing
from ..models import Complaint, ComplaintEvent, Signature
from ..states import (
    Action,
    AssignData,
    CommentData,
    DeliverData,
    ExtendData,
    HearingData,
    LeaveData,
    NoticeData,
    OutcomeData,
    OverdueData,
    Refused,
    WithdrawData,
)
from .common import check, local_date, lock, now_or, transition, working_days_after

if TYPE_CHECKING:
    from shagym.accounts.models import User


def is_appealed_official(user: User, complaint: Complaint) -> bool:
    """RULES §10 (АППК 97(2)): the person is one of the officials whose act is appealed (surname and initial)."""
    if not user.last_name:
        return False
    initial = (user.first_name[:1] or "").lower()
    return any(
        o.surname.strip().lower() == user.last_name.strip().lower() and o.initials.strip().lower().startswith(initial)
        for o in complaint.officials.all()
    )


@transaction.atomic
def assign_executor(
    *, actor: User, complaint: Complaint, executor: User | None, now: dt.datetime | None = None
) -> ComplaintEvent:
    """RULES §10: after registration the head appoints the responsible executor (or changes him)."""
    lock(complaint)
    previous = complaint.executor_id
    return transition(
        complaint, Action.ASSIGN, actor=actor, at=now_or(now),
        executor_ok=executor is not None and access.may_execute_at(executor, complaint.holder_id),
        executor_is_appealed=bool(executor and is_appealed_official(executor, complaint)),
        changes={"executor": executor},
        payload=AssignData(executor=executor.pk if executor else None, previous=previous),
    )


@transaction.atomic
def extend_term(
    *, actor: User, complaint: Complaint, days: int, ground: str, reasons: str, now: dt.datetime | None = None
) -> ComplaintEvent:
    """RULES §14 (Law Art. 25(4)): at most 10 working days, once, for the body kinds allowed, with a ground and
    reasons; the applicant is told within 3 working days (the notice is issued from this event after commit)."""
    at = now_or(now)
    lock(complaint)
    checked = check(complaint, Action.EXTEND, actor=actor, at=at, days=days, ground=ground, reasons=reasons)
    assert complaint.due_date is not None
    today = local_date(at)
    return checked.apply(
        changes={
            # RULES §14: the extension adds working days to the term in force; the original term does not move.
            "due_date": working_days_after(complaint.due_date, days),
            "extension_days": days,
            "extension_ground": ground,
            "extension_reasons": reasons.strip(),
            "extended_on": today,
            "extension_notice_due": working_days_after(today, settings.SHAGYM_NOTICE_DAYS),
        },
        payload=ExtendData(days=days, ground=ground, reasons=reasons.strip()),
    )


@transaction.atomic
def record_extension_notice(
    *, actor: User | None, complaint: Complaint, channel: str, now: dt.datetime | None = None
) -> ComplaintEvent:
    """RULES §14: the applicant was told of the extension (by staff, or by the system once the notice went out)."""
    at = now_or(now)
    lock(complaint)
    on_time = bool(complaint.extension_notice_due and local_date(at) <= complaint.extension_notice_due)
    return transition(complaint, Action.RECORD_EXTENSION_NOTICE, actor=actor, at=at, channel=channel,
                      changes={"extension_notice_sent_at": at}, payload=NoticeData(channel=channel, on_time=on_time))


@transaction.atomic
def record_hearing(
    *, actor: User, complaint: Complaint, held_on: dt.date, notes: str, now: dt.datetime | None = None
) -> ComplaintEvent:
    """АППК Art. 73: the applicant's right to be heard before an unfavourable decision."""
    lock(complaint)
    return transition(complaint, Action.RECORD_HEARING, actor=actor, at=now_or(now), held_on=held_on, notes=notes,
                      payload=HearingData(held_on=held_on, notes=notes.strip()))


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
) -> ComplaintEvent:
    """RULES §20, §23 (АППК 100, 101): the executor drafts the reasoned answer for the head's signature."""
    lock(complaint)
    return transition(
        complaint, Action.PROPOSE_DECISION, actor=actor, at=now_or(now), outcome=outcome, reasons=reasons,
        changes={"outcome": outcome, "decision_reasons": reasons.strip(), "decision_facts": facts.strip(),
                 "legal_references": legal_references.strip()},
        payload=OutcomeData(outcome=outcome),
    )


@transaction.atomic
def return_draft(*, actor: User, complaint: Complaint, comment: str, now: dt.datetime | None = None) -> ComplaintEvent:
    lock(complaint)
    return transition(complaint, Action.RETURN_DRAFT, actor=actor, at=now_or(now), comment=comment,
                      payload=CommentData(comment=comment.strip()))


@transaction.atomic
def sign_decision(
    *, actor: User, complaint: Complaint, signature: Verification | None = None, document: bytes | None = None,
    now: dt.datetime | None = None,
) -> ComplaintEvent:
    """The head signs; the answer letter is issued from this event after commit (RULES §23).

    With an EDS: `document` is the answer's PDF as the head read it and `signature` the head's CMS signature of
    those bytes, verified by the caller before this transaction. It must be valid, of exactly these bytes, and made
    with a certificate of the body (its BIN); it is kept with the event and the answer letter is issued from these
    very bytes, sealed. Whether it is required is SHAGYM_ANSWER_SIGNATURE (АППК Art. 101)."""
    at = now_or(now)
    lock(complaint)
    checked = check(complaint, Action.SIGN_DECISION, actor=actor, at=at)
    if signature is not None or signing.required("answer"):
        if signature is None or document is None:
            raise Refused(gettext("Sign the answer with your electronic digital signature (NCALayer)."),
                          field="signature")
        body = complaint.holder
        if not body.bin:
            raise Refused(gettext("The body has no BIN in the directory, so the signature cannot be matched to it. "
                                  "Ask the administrator to enter the BIN."), field="signature")
        signing.check(signature, content=document, bin=body.bin, who=body.name_in(complaint.language))
    event = checked.apply(changes={"decided_at": at, "signed_by": actor},
                          payload=OutcomeData(outcome=complaint.outcome))
    if signature is not None and document is not None:
        Signature.record(event, purpose=Signature.Purpose.ANSWER, content=document, verification=signature)
    return event


@transaction.atomic
def leave_without_consideration(
    *, actor: User, complaint: Complaint, ground: str, comment: str = "", now: dt.datetime | None = None
) -> ComplaintEvent:
    """RULES §21 (АППК 95): only on the grounds listed; the applicant is told within 3 working days."""
    at = now_or(now)
    lock(complaint)
    return transition(
        complaint, Action.LEAVE_WITHOUT_CONSIDERATION, actor=actor, at=at, ground=ground,
        changes={"without_consideration_ground": ground, "decided_at": at, "signed_by": actor},
        payload=LeaveData(ground=ground, comment=comment.strip(),
                          notice_due=working_days_after(local_date(at), settings.SHAGYM_NOTICE_DAYS)),
    )


@transaction.atomic
def withdraw_complaint(
    *, actor: User, complaint: Complaint, reason: str = "", now: dt.datetime | None = None
) -> ComplaintEvent:
    """RULES §22 (АППК 64(9)): by the applicant's written request, before the decision."""
    lock(complaint)
    return transition(complaint, Action.WITHDRAW, actor=actor, at=now_or(now),
                      payload=WithdrawData(reason=reason.strip()))


@transaction.atomic
def deliver_answer(
    *, actor: User | None, complaint: Complaint, method: str, delivered_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ComplaintEvent:
    """RULES §23 (seed 004): by post, handed over at the office, or to the personal cabinet."""
    at = now_or(now)
    day = delivered_on or local_date(at)
    lock(complaint)
    decided_on = local_date(complaint.decided_at) if complaint.decided_at else None
    return transition(complaint, Action.DELIVER_ANSWER, actor=actor, at=at, method=method, delivered_on=day,
                      decided_on=decided_on,
                      changes={"delivery_method": method, "delivered_on": day},
                      payload=DeliverData(method=method, delivered_on=day))


@transaction.atomic
def close_complaint(*, actor: User | None, complaint: Complaint, now: dt.datetime | None = None) -> ComplaintEvent:
    at = now_or(now)
    lock(complaint)
    return transition(complaint, Action.CLOSE, actor=actor, at=at, changes={"closed_at": at})


@transaction.atomic
def mark_overdue(*, complaint: Complaint, now: dt.datetime | None = None) -> ComplaintEvent | None:
    """RULES §15 (АППК 91(2), 100(5)): the term ended without a decision; it counts as a refusal. Done by the system
    once per complaint; None when there was nothing to do (not overdue, or marked already)."""
    at = now_or(now)
    lock(complaint)
    try:
        checked = check(complaint, Action.MARK_OVERDUE, actor=None, at=at)
    except Refused:
        return None
    return checked.apply(changes={"overdue_since": local_date(at)}, payload=OverdueData(due_date=complaint.due_date))
