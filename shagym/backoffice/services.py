"""Back-office writes beside the complaint: the executor's answer draft. Every change of a complaint goes through
shagym.complaints.services; the letters an action issues come from the documents layer after commit."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext

from shagym.complaints import access, states
from shagym.complaints import services as lifecycle
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import Action, Outcome, Refused

from .models import AnswerDraft

if TYPE_CHECKING:
    from shagym.accounts.models import User


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
) -> ComplaintEvent:
    """RULES §20, §23: the reasoned answer goes to the head for signature (the draft is kept as sent)."""
    event = lifecycle.propose_decision(actor=actor, complaint=complaint, outcome=outcome, reasons=reasons, facts=facts,
                                       legal_references=legal_references, now=now)
    _store_draft(actor=actor, complaint=complaint, outcome=outcome, facts=facts, reasons=reasons,
                 legal_references=legal_references)
    return event
