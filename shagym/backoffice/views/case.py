"""The full case: applicant, appealed officials, attachments, history, linked complaints, recommendations, letters;
and the documents printed from it (talon, answer, letters)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from shagym import workdays
from shagym.accounts.models import User
from shagym.complaints import access, selectors
from shagym.complaints.models import Complaint
from shagym.complaints.states import (
    ANSWERED_STATES,
    REVIEW_STATES,
    Action,
    AppealedAct,
    NotAllowed,
    Refused,
    Role,
    State,
)
from shagym.directory.calendar import current_calendar
from shagym.directory.models import Organisation
from shagym.notify import selectors as notify_selectors

from .. import letters as letter_documents
from .. import notices
from .. import services as desk
from ..models import AnswerDraft, Letter
from .actions import next_steps
from .common import AuthenticatedRequest, staff_required, today_and_tomorrow


def _history(complaint: Complaint) -> list[dict[str, Any]]:
    """Each event with its actor and the details a reader needs, names resolved in two queries."""
    events = list(selectors.case_events(complaint))
    user_ids = {e.data.get("executor") for e in events} | {e.data.get("previous") for e in events}
    org_ids = {e.data.get("from") for e in events} | {e.data.get("to") for e in events} | {e.data.get("body") for e in events}
    users = User.objects.in_bulk([i for i in user_ids if isinstance(i, int)])
    orgs = Organisation.objects.in_bulk([i for i in org_ids if isinstance(i, int)])
    labels = {
        "reason": gettext("Reason"), "text": gettext("Text"), "missing": gettext("Missing"),
        "days": gettext("Working days"), "comment": gettext("Comment"), "notes": gettext("Notes"),
        "report": gettext("Report"), "held_on": gettext("Held on"), "on": gettext("Date"),
    }
    rows = []
    for event in events:
        details: list[tuple[str, Any]] = []
        data = event.data or {}
        if isinstance(data.get("executor"), int) and data["executor"] in users:
            details.append((gettext("Executor"), users[data["executor"]].get_full_name()))
        for key in ("from", "to", "body"):
            if isinstance(data.get(key), int) and data[key] in orgs:
                label = {"from": gettext("From"), "to": gettext("To"), "body": gettext("Body")}[key]
                details.append((label, orgs[data[key]].name))
        for key, label in labels.items():
            if data.get(key) not in (None, ""):
                details.append((label, data[key]))
        if data.get("late"):
            details.append((gettext("Filing term"), gettext("filed more than 3 months after the applicant learned of it")))
        before, after = event.before or {}, event.after or {}
        if before.get("due_date") and after.get("due_date") and before["due_date"] != after["due_date"]:
            details.append((gettext("Due date"), f"{before['due_date']} → {after['due_date']}"))
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
    letters = list(letter_documents.letters_for_staff(user).filter(complaint=complaint))
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
        "can_issue_talon": bool(complaint.number and roles & {Role.CLERK, Role.HEAD}),
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
        "late": any(row["event"].action == Action.SUBMIT and row["event"].data.get("late") for row in history),
        # Issue 6, item 4: a channel that failed is flagged at the top; every notice is logged below.
        "delivery_problems": notices.delivery_problems(complaint),
        "notify_messages": list(notify_selectors.messages_for_complaint(complaint)),
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
            issued = desk.issue_talon(actor=request.user, complaint=complaint)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except Refused as exc:
            messages.error(request, exc.message)
            return redirect("bo-case", pk=complaint.pk)
        return redirect("bo-letter-pdf", pk=issued.pk)
    printed = Letter.objects.filter(complaint=complaint, kind=Letter.Kind.TALON).order_by("-pk").first()
    if printed is None:
        raise Http404
    return _pdf(bytes(printed.pdf), printed.filename)


@staff_required
def answer_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The answer as a PDF letter: the draft while it is written, the signed letter once signed."""
    complaint = selectors.staff_complaint(request.user, pk)
    signed = Letter.objects.filter(complaint=complaint, kind=Letter.Kind.ANSWER).order_by("-pk").first()
    if signed is not None and complaint.status in ANSWERED_STATES:
        return _pdf(bytes(signed.pdf), signed.filename)
    if complaint.status not in REVIEW_STATES | {State.AWAITING_SIGNATURE}:
        raise Http404
    return _pdf(letter_documents.answer_preview(complaint, signer=None), f"{complaint.number}-answer-draft.pdf")


@staff_required
def letter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A letter issued by the user's body, or on a complaint the user may read; the page to print it from."""
    item = letter_documents.letters_for_staff(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    in_reach = access.complaints_for_staff(request.user).filter(pk=item.complaint_id).exists()
    return render(request, "backoffice/letter.html", {"letter": item, "in_reach": in_reach,
                                                      "now": timezone.now()})


@staff_required
def letter_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = letter_documents.letters_for_staff(request.user).defer(None).filter(pk=pk).first()
    if item is None:
        raise Http404
    return _pdf(bytes(item.pdf), item.filename)


@staff_required
def attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """An attachment, only through the access door (never a public media URL)."""
    item = selectors.staff_attachment(request.user, pk)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.name, content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
