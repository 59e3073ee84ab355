"""The quality authority (RULES §24, Law Art. 25(3)): the applicant's second-tier complaint about the first answer
(or its absence), the authority's recommendation to restore the violated rights, and the control of its execution."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from shagym.directory.models import Organisation

from .. import access, signing, states
from ..models import Complaint, ComplaintEvent, Recommendation
from ..situation import has_open_second_tier
from ..states import Action, AddresseeKind, AppealedAct, Channel, ConfirmData, RecommendData, ReportData, SecondTierData
from .common import check, local_date, lock, now_or, record, scoped_key
from .intake import ComplaintInput, OfficialInput, filing_event, submit_complaint

if TYPE_CHECKING:
    from shagym.accounts.models import User
    from shagym.signatures.verify import Verification


@transaction.atomic
def file_second_tier(
    *,
    actor: User,
    parent: Complaint,
    quality_authority: Organisation,
    reasons: str,
    demands: str,
    attachments: list[UploadedFile] | None = None,
    idempotency_key: str | None = None,
    signature: Verification | None = None,
    now: dt.datetime | None = None,
) -> ComplaintEvent:
    """The applicant complains to the quality authority about the first answer (or its absence), linked to it.
    Returns the new complaint's filing event; the first complaint gets its own event (SECOND_TIER_FILED). A complaint
    like any other: the applicant's signature of second_tier_content() is required as SHAGYM_APPLICANT_SIGNATURE
    says (RULES §3, АППК Art. 93)."""
    at = now_or(now)
    lock(parent)
    if idempotency_key:
        retried = parent.second_tier.filter(idempotency_key=scoped_key(actor, idempotency_key)).first()
        if retried is not None:
            return filing_event(retried)
    checked = check(parent, Action.SECOND_TIER_FILED, actor=actor, at=at, open_second_tier=has_open_second_tier(parent))
    filed = submit_complaint(actor=actor, data=_second_tier_input(parent, quality_authority, reasons, demands, at),
                             idempotency_key=idempotency_key, attachments=attachments, parent=parent,
                             signature=signature, now=at)
    checked.apply(payload=SecondTierData(child=filed.complaint.pk))
    return filed


def second_tier_content(
    *, parent: Complaint, quality_authority: Organisation, reasons: str, demands: str,
    attachments: list[tuple[str, str]], now: dt.datetime | None = None,
) -> bytes:
    """What the applicant signs for a second-tier complaint: its canonical content as file_second_tier() will build
    it (the applicant's details from the first complaint), with the files as (name, SHA-256)."""
    data = _second_tier_input(parent, quality_authority, reasons, demands, now_or(now))
    return signing.complaint_content(data, attachments)


def _second_tier_input(
    parent: Complaint, quality_authority: Organisation, reasons: str, demands: str, at: dt.datetime
) -> ComplaintInput:
    return ComplaintInput(
        applicant_kind=parent.applicant_kind,
        channel=Channel.PORTAL,
        language=parent.language,
        addressee_kind=AddresseeKind.QUALITY_AUTHORITY,
        reviewing_body=quality_authority,
        respondent=parent.reviewing_body,
        appealed_act=AppealedAct.INACTION if parent.is_open else AppealedAct.DECISION,
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


@transaction.atomic
def recommend(
    *, actor: User, complaint: Complaint, body: Organisation, text: str, due_date: dt.date,
    now: dt.datetime | None = None,
) -> ComplaintEvent:
    """RULES §24 (Law Art. 25(3)(2)): a recommendation to a body to restore the violated rights. The event's payload
    names the recommendation."""
    at = now_or(now)
    lock(complaint)
    checked = check(complaint, Action.RECOMMEND, actor=actor, at=at, text=text, due_date=due_date)
    recommendation = Recommendation.objects.create(complaint=complaint, body=body, text=text.strip(), due_date=due_date)
    return checked.apply(payload=RecommendData(recommendation=recommendation.pk, body=body.pk, due=due_date))


def _recommendation_step(
    recommendation: Recommendation, action: Action, *, actor: User, at: dt.datetime, payload: states.Payload,
    **given: object,
) -> tuple[Recommendation, ComplaintEvent]:
    """Lock the complaint, then the recommendation (always in this order), check the recommendation's table, and
    write the event on the complaint."""
    complaint = Complaint.objects.get(pk=recommendation.complaint_id)
    lock(complaint)
    recommendation = Recommendation.objects.select_for_update().select_related("complaint").get(pk=recommendation.pk)
    roles = access.roles_for_recommendation(actor, recommendation)
    recommendation.status = states.check_recommendation(recommendation.status, action, roles=roles, **given)
    event = record(complaint, action=action, actor=actor, roles=roles, at=at, before=complaint.snapshot(),
                   payload=payload)
    return recommendation, event


@transaction.atomic
def report_execution(
    *, actor: User, recommendation: Recommendation, report: str, now: dt.datetime | None = None
) -> ComplaintEvent:
    """The body reports how it executed the recommendation (RULES §24: control of timeliness and completeness)."""
    at = now_or(now)
    recommendation, event = _recommendation_step(
        recommendation, Action.REPORT_EXECUTION, actor=actor, at=at, report=report,
        payload=ReportData(recommendation=recommendation.pk, report=report.strip()),
    )
    recommendation.report = report.strip()
    recommendation.reported_at = at
    recommendation.save()
    return event


@transaction.atomic
def confirm_execution(
    *, actor: User, recommendation: Recommendation, accepted: bool, comment: str = "", now: dt.datetime | None = None
) -> ComplaintEvent:
    """The inspector accepts the report (executed) or sends it back (issued again)."""
    at = now_or(now)
    recommendation, event = _recommendation_step(
        recommendation, Action.CONFIRM_EXECUTION, actor=actor, at=at, accepted=accepted, comment=comment,
        payload=ConfirmData(recommendation=recommendation.pk, accepted=accepted, comment=comment.strip()),
    )
    recommendation.confirmed_at = at if accepted else None
    recommendation.save()
    return event
