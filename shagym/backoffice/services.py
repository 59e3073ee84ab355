"""Back-office writes. Each function is one step a user takes at the desk: one lifecycle service
(shagym.complaints.services, the only writer of a complaint) plus what the back office keeps beside it
(the letter as printed, the answer draft), in one transaction, so the step happens whole or not at all.

Keyword-only arguments, actor first, like the lifecycle services."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from shagym.complaints import access, states
from shagym.complaints import services as lifecycle
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import Action, Channel, NotAllowed, Outcome, Refused, Role, State
from shagym.directory.models import Organisation
from shagym.portal.codes import issue_access_code

from . import letters
from .models import AnswerDraft, Letter

if TYPE_CHECKING:
    from shagym.accounts.models import User


# ---------------------------------------------------------------------------------------------------------------
# Registration desk (RULES §1, §4-§9)


@transaction.atomic
def register_paper_complaint(
    *,
    actor: User,
    data: lifecycle.ComplaintInput,
    holder: Organisation,
    received_at: dt.datetime,
    attachments: list[UploadedFile] | None = None,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """A complaint brought to the office or sent by post: the clerk records it as received and registers it at
    once (RULES §5-§6, АППК 64(2)-(3)); the term counts from the day of receipt. The same form sent twice
    (the idempotency key) gives back the complaint already registered."""
    complaint = lifecycle.submit_complaint(
        actor=actor, data=data, holder=holder, attachments=attachments, idempotency_key=idempotency_key,
        now=received_at,
    )
    if complaint.status != State.RECEIVED:
        return complaint
    lifecycle.register_complaint(actor=actor, complaint=complaint, now=now)
    issue_talon(actor=actor, complaint=complaint)
    return complaint


@transaction.atomic
def issue_talon(*, actor: User, complaint: Complaint) -> Letter:
    """RULES §5 (АППК 64(2)): the talon with the stamp text, kept as printed. A paper applicant has no account, so
    the talon carries an access code for the portal's status page; issuing a new talon replaces the code (a lost
    talon stops working)."""
    complaint.refresh_from_db(from_queryset=Complaint.objects.select_for_update())
    if not access.roles_for(actor, complaint) & {Role.CLERK, Role.HEAD}:
        raise NotAllowed(Action.REGISTER)
    if not complaint.number:
        raise Refused(gettext("Register the complaint first: the talon carries its number."), code="state")
    code = issue_access_code(complaint) if complaint.channel != Channel.PORTAL else None
    pdf = letters.talon(complaint, access_code=code)
    event = ComplaintEvent.objects.filter(complaint=complaint, action=Action.REGISTER).order_by("-pk").first()
    return Letter.objects.create(
        complaint=complaint,
        kind=Letter.Kind.TALON,
        organisation=complaint.holder,
        event=event,
        language=complaint.language,
        addressee=complaint.applicant_name[:400],
        created_by=actor,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )


@transaction.atomic
def forward_with_letter(*, actor: User, complaint: Complaint, now: dt.datetime | None = None) -> Letter:
    """RULES §8 (АППК 91(4)): forwarded with the case file to the reviewing body; the covering letter stays with
    the body that sent it."""
    lifecycle.forward_complaint(actor=actor, complaint=complaint, now=now)
    return _issue(actor=actor, complaint=complaint, kind=Letter.Kind.FORWARDING, action=Action.FORWARD)


@transaction.atomic
def redirect_with_notice(
    *, actor: User, complaint: Complaint, target: Organisation | None, reason: str, now: dt.datetime | None = None
) -> Letter:
    """RULES §9 (АППК 65): redirected to the competent body; the applicant is told at the same time."""
    if not reason.strip():
        raise Refused(gettext("Say why the complaint is outside your competence: the applicant will read it."),
                      field="reason")
    lifecycle.redirect_complaint(actor=actor, complaint=complaint, target=target, reason=reason, now=now)
    return _issue(actor=actor, complaint=complaint, kind=Letter.Kind.REDIRECT, action=Action.REDIRECT)


@transaction.atomic
def request_content_with_notice(
    *, actor: User, complaint: Complaint, missing: str, days: int, now: dt.datetime | None = None
) -> Letter:
    """RULES §4 (АППК 64(6)): the notice lists what is missing and the term to supply it."""
    lifecycle.request_content(actor=actor, complaint=complaint, missing=missing, days=days, now=now)
    return _issue(actor=actor, complaint=complaint, kind=Letter.Kind.CONTENT, action=Action.REQUEST_CONTENT)


# ---------------------------------------------------------------------------------------------------------------
# Review (RULES §14, §20, §23)


@transaction.atomic
def extend_with_notice(
    *, actor: User, complaint: Complaint, days: int, ground: str, reasons: str, now: dt.datetime | None = None
) -> Letter:
    """RULES §14 (Law Art. 25(4)): the extension and, with it, the notice with the reasons for the applicant
    (to send within 3 working days; the sending is recorded separately)."""
    lifecycle.extend_term(actor=actor, complaint=complaint, days=days, ground=ground, reasons=reasons, now=now)
    return _issue(actor=actor, complaint=complaint, kind=Letter.Kind.EXTENSION, action=Action.EXTEND)


def _check_drafter(actor: User, complaint: Complaint) -> None:
    """The answer is drafted by whoever may propose the decision, while the complaint is under review."""
    states.require_allowed(complaint, Action.PROPOSE_DECISION, roles=access.roles_for(actor, complaint))


def _store_draft(*, actor: User, complaint: Complaint, outcome: str, facts: str, reasons: str,
                 legal_references: str) -> AnswerDraft:
    draft, _ = AnswerDraft.objects.update_or_create(
        complaint=complaint,
        defaults={
            "outcome": outcome,
            "facts": facts.strip(),
            "reasons": reasons.strip(),
            "legal_references": legal_references.strip(),
            "updated_by": actor,
        },
    )
    return draft


@transaction.atomic
def save_answer_draft(
    *, actor: User, complaint: Complaint, outcome: str, facts: str, reasons: str, legal_references: str
) -> AnswerDraft:
    """Keep the executor's work; the complaint itself does not change."""
    # The row lock serialises a save with a concurrent proposal, so a draft is never saved after the answer left.
    complaint.refresh_from_db(from_queryset=Complaint.objects.select_for_update())
    _check_drafter(actor, complaint)
    if outcome and outcome not in Outcome.values:
        raise Refused(gettext("Choose the outcome of the review."), field="outcome")
    return _store_draft(actor=actor, complaint=complaint, outcome=outcome, facts=facts, reasons=reasons,
                        legal_references=legal_references)


@transaction.atomic
def submit_answer(
    *,
    actor: User,
    complaint: Complaint,
    outcome: str,
    facts: str,
    reasons: str,
    legal_references: str,
    now: dt.datetime | None = None,
) -> Complaint:
    """RULES §20, §23: the reasoned answer goes to the head for signature (the draft is kept as sent)."""
    lifecycle.propose_decision(actor=actor, complaint=complaint, outcome=outcome, reasons=reasons, facts=facts,
                               legal_references=legal_references, now=now)
    _store_draft(actor=actor, complaint=complaint, outcome=outcome, facts=facts, reasons=reasons,
                 legal_references=legal_references)
    return complaint


@transaction.atomic
def sign_answer(*, actor: User, complaint: Complaint, now: dt.datetime | None = None) -> Letter:
    """The head signs; the answer letter is fixed as signed, in the language of the complaint (RULES §23)."""
    lifecycle.sign_decision(actor=actor, complaint=complaint, now=now)
    return _issue(actor=actor, complaint=complaint, kind=Letter.Kind.ANSWER, action=Action.SIGN_DECISION)


# ---------------------------------------------------------------------------------------------------------------
# Letters


def _issue(*, actor: User, complaint: Complaint, kind: str, action: Action) -> Letter:
    """Render the letter for the event just written and keep it as printed. The issuing body is the one that
    held the complaint when it acted (before a forward or redirect moved it)."""
    event = ComplaintEvent.objects.filter(complaint=complaint, action=action).order_by("-pk").first()
    assert event is not None, "the lifecycle service writes the event"
    organisation = Organisation.objects.get(pk=event.before.get("holder_id") or complaint.holder_id)
    pdf, addressee = letters.render(kind, complaint=complaint, organisation=organisation, signer=actor, event=event)
    return Letter.objects.create(
        complaint=complaint,
        kind=kind,
        organisation=organisation,
        event=event,
        language=complaint.language,
        addressee=addressee[:400],
        created_by=actor,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
