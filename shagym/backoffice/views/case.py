"""The full case: applicant, appealed officials, attachments, history, linked complaints, recommendations, letters;
and the documents printed from it (talon, answer, letters)."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from shagym import workdays
from shagym.accounts.models import User
from shagym.complaints import access, attachments, selectors, states
from shagym.complaints import services as lifecycle
from shagym.complaints.models import Complaint
from shagym.complaints.situation import situation_of
from shagym.complaints.states import ANSWERED_STATES, REVIEW_STATES, Action, AppealedAct, NotAllowed, Refused, State
from shagym.directory import dates
from shagym.directory.calendar import current_calendar
from shagym.directory.models import Organisation
from shagym.directory.roles import Role
from shagym.documents import render as documents_render
from shagym.documents import selectors as document_selectors
from shagym.documents import services as documents
from shagym.documents.models import Letter
from shagym.documents.render import AnswerText
from shagym.dossier import export as dossier_export
from shagym.notify import selectors as notify_selectors

from .. import notices
from ..models import AnswerDraft
from .actions import next_steps
from .common import AuthenticatedRequest, staff_required, today_and_tomorrow

logger = logging.getLogger(__name__)

SIGNED_ACTIONS = {Action.SUBMIT, Action.SIGN_DECISION}


def _history(complaint: Complaint) -> list[dict[str, Any]]:
    """Each event with its actor and the details a reader needs, read from its typed payload; names resolved in two
    queries."""
    events = list(selectors.case_events(complaint))
    payloads = [event.payload for event in events]
    user_ids = {getattr(p, name, None) for p in payloads for name in ("executor", "previous")}
    org_ids = {getattr(p, name, None) for p in payloads for name in ("from_body", "to_body", "body")}
    users = User.objects.in_bulk([i for i in user_ids if isinstance(i, int)])
    orgs = Organisation.objects.in_bulk([i for i in org_ids if isinstance(i, int)])
    labels = {
        "reason": gettext("Reason"), "text": gettext("Text"), "missing": gettext("Missing"),
        "days": gettext("Working days"), "comment": gettext("Comment"), "notes": gettext("Notes"),
        "report": gettext("Report"), "held_on": gettext("Held on"), "delivered_on": gettext("Date"),
    }
    rows = []
    for event, payload in zip(events, payloads, strict=True):
        details: list[tuple[str, Any]] = []
        executor = getattr(payload, "executor", None)
        if isinstance(executor, int) and executor in users:
            details.append((gettext("Executor"), users[executor].get_full_name()))
        for key, label in (("from_body", gettext("From")), ("to_body", gettext("To")), ("body", gettext("Body"))):
            org = getattr(payload, key, None)
            if isinstance(org, int) and org in orgs:
                details.append((label, orgs[org].name))
        for key, label in labels.items():
            value = getattr(payload, key, None)
            if value not in (None, ""):
                details.append((label, dates.numeric(value) if isinstance(value, dt.date) else value))
        signed = getattr(payload, "signed", "")
        if signed == "paper":
            details.append((gettext("Signature"), gettext("signed on paper")))
        signature = getattr(event, "signature", None) if event.action in SIGNED_ACTIONS else None
        if signature is not None:
            details.append((gettext("Electronic digital signature"), gettext(
                "%(name)s (IIN %(iin)s, BIN %(bin)s), certificate of %(issuer)s: %(outcome)s; revocation: %(revocation)s")
                % {"name": signature.signer_name, "iin": signature.iin or "—", "bin": signature.bin or "—",
                   "issuer": signature.issuer,
                   "outcome": signature.outcome_label, "revocation": signature.revocation_label}))
        if getattr(payload, "late", False):
            details.append((gettext("Filing term"), gettext("filed more than 3 months after the applicant learned of it")))
        before, after = event.old.due_date, event.new.due_date
        if before and after and before != after:
            details.append((gettext("Due date"), f"{dates.numeric(before)} → {dates.numeric(after)}"))
        role = Role(event.role).label if event.role in Role.values else event.role
        rows.append({"event": event, "details": details, "role": role})
    return rows


@staff_required
def case(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    complaint = selectors.staff_complaint(user, pk)
    roles: set[Role] = access.roles_for(user, complaint)
    today, tomorrow = today_and_tomorrow()
    steps, notes = next_steps(complaint, roles, today)
    working_days_left = None
    if complaint.is_open and complaint.due_date and complaint.due_date >= today:
        working_days_left = workdays.working_days_between(current_calendar(), today, complaint.due_date)
    history = _history(complaint)
    letters = list(document_selectors.letters_for_staff(user).defer("pdf").filter(complaint=complaint))
    parent = complaint.parent
    if parent is not None and not access.complaints_for_staff(user).filter(pk=parent.pk).exists():
        parent = None  # RULES §24: inspectors see the first tier; a body sees only its own cases
    context = {
        "complaint": complaint,
        "parent": parent,
        "officials": complaint.officials.all(),
        "attachments": complaint.attachments.all(),
        "history": history,
        "linked": selectors.linked_complaints(user, complaint),
        "recommendations": selectors.recommendations_of_case(user, complaint),
        "letters": letters,
        "talon": next((item for item in letters if item.kind == Letter.Kind.TALON), None),
        "can_issue_talon": states.why_not(complaint, Action.REISSUE_TALON, roles=roles,
                                          situation=situation_of(complaint, today=today)) is None,
        "draft": AnswerDraft.objects.filter(complaint=complaint).first(),
        "steps": steps,
        "notes": notes,
        "today": today,
        "tomorrow": tomorrow,
        "working_days_left": working_days_left,
        "show_decision": complaint.status in ANSWERED_STATES | {State.AWAITING_SIGNATURE, State.SATISFIED_BY_RESPONDENT}
        or bool(complaint.without_consideration_ground),
        "answer_signed": complaint.status in ANSWERED_STATES,
        "can_preview_answer": complaint.status in REVIEW_STATES | ANSWERED_STATES | {State.AWAITING_SIGNATURE},
        "inaction": complaint.appealed_act == AppealedAct.INACTION,
        "late": any(row["event"].action == Action.SUBMIT and row["event"].payload.late for row in history),
        # Issue 6, item 4: a channel that failed is flagged at the top; every notice is logged below.
        "delivery_problems": notices.delivery_problems(complaint),
        "notify_messages": list(notify_selectors.messages_for_complaint(complaint)),
        "can_export_dossier": access.may_export_dossier(user, complaint),
    }
    return render(request, "backoffice/case.html", context)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def talon(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """RULES §5: the talon and the registration stamp text as printed (GET), or a new one (POST: a new access
    code, for a lost talon or one never printed)."""
    complaint = selectors.staff_complaint(request.user, pk)
    if request.method == "POST":
        try:
            event = lifecycle.reissue_talon(actor=request.user, complaint=complaint)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except Refused as exc:
            messages.error(request, exc.message)
            return redirect("bo-case", pk=complaint.pk)
        issued = documents.issue_for_event(event)
        return redirect("bo-letter-pdf", pk=issued[0].pk)
    printed = document_selectors.latest(complaint, Letter.Kind.TALON)
    if printed is None:
        raise Http404
    return _pdf(bytes(printed.pdf), printed.filename)


def answer_text(complaint: Complaint) -> AnswerText:
    """The answer as it reads now: the executor's draft while under review, the complaint's once sent."""
    if complaint.status in REVIEW_STATES:
        draft = AnswerDraft.objects.filter(complaint=complaint).first()
        if draft is not None:
            return AnswerText(draft.outcome, draft.facts, draft.reasons, draft.legal_references)
        return AnswerText("", "", "", "")
    return AnswerText.of(complaint)


@staff_required
def answer_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The answer as a PDF letter: the draft while it is written, the signed letter once signed."""
    complaint = selectors.staff_complaint(request.user, pk)
    if complaint.status in ANSWERED_STATES:
        signed = document_selectors.applicant_copy(complaint, Letter.Kind.ANSWER)
        if signed is not None:
            return _pdf(bytes(signed.pdf), signed.filename)
    if complaint.status not in REVIEW_STATES | {State.AWAITING_SIGNATURE}:
        raise Http404
    pdf = documents_render.answer(complaint, text=answer_text(complaint), signer=None, draft=True)
    return _pdf(pdf, f"{complaint.number}-answer-draft.pdf")


@staff_required
def answer_to_sign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """RULES §23: the answer exactly as it will be issued if signed today: the bytes the head signs with NCALayer
    (the sign page's script fetches them; a head signing with another program downloads them)."""
    complaint = selectors.staff_complaint(request.user, pk)
    if not access.may(request.user, complaint, Action.SIGN_DECISION) or complaint.status != State.AWAITING_SIGNATURE:
        raise Http404
    pdf = documents.answer_to_sign(complaint, signer=request.user)
    response = _pdf(pdf, f"{complaint.number}-answer-{documents.answer_number(complaint)}.pdf")
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def letter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A letter issued by the user's body, or on a complaint the user may read; the page to print it from."""
    item = document_selectors.staff_letter(request.user, pk)
    in_reach = access.complaints_for_staff(request.user).filter(pk=item.complaint_id).exists()
    return render(request, "backoffice/letter.html", {"letter": item, "in_reach": in_reach,
                                                      "now": timezone.now()})


@staff_required
def letter_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = document_selectors.staff_letter(request.user, pk, with_pdf=True)
    return _pdf(bytes(item.pdf), item.filename)


@staff_required
def attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """An attachment, only through the access door (never a public media URL)."""
    return attachments.serve(selectors.staff_attachment(request.user, pk))


@staff_required
def dossier(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """Issue 13: the case file as a ZIP with its SHA-256 manifest, for the staff of the body holding the complaint
    (access.get_dossier_complaint: 404 for a complaint out of reach, 403 for a reader who does not hold it)."""
    complaint = access.get_dossier_complaint(request.user, pk)
    # Attachments make it large: kept in memory up to 32 MB, then in a temporary file that goes when it is sent.
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    exported = dossier_export.write(complaint, out, exported_by=request.user)
    out.seek(0)
    logger.info("Case file of complaint %s exported by user %s", complaint.pk, request.user.pk)
    response = FileResponse(out, as_attachment=True, filename=exported.filename, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
