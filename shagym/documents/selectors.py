"""Reading the letters, always through the access door (shagym.complaints.access): a body's staff keep the letters
it issued, even after the complaint has left it; the applicant reads the letters addressed to him."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from shagym.complaints import access
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import Action

from .models import Letter
from .services import ensure_letter

if TYPE_CHECKING:
    from shagym.accounts.models import User

# The letters the applicant receives, and the action that issues each.
APPLICANT_LETTERS: dict[str, Action] = {
    Letter.Kind.ANSWER: Action.SIGN_DECISION,
    Letter.Kind.EXTENSION: Action.EXTEND,
    Letter.Kind.CONTENT: Action.REQUEST_CONTENT,
    Letter.Kind.REDIRECT: Action.REDIRECT,
}


def letters_for_staff(user: User | None) -> QuerySet[Letter]:
    """Letters the user may read: issued by one of the user's bodies, or on a complaint the user may read."""
    return Letter.objects.filter(access.issued_scope(user)).select_related("complaint", "organisation", "created_by")


def staff_letter(user: User | None, pk: int, *, with_pdf: bool = False) -> Letter:
    letters = letters_for_staff(user)
    letter = (letters if with_pdf else letters.defer("pdf")).filter(pk=pk).first()
    if letter is None:
        raise Http404
    return letter


def latest(complaint: Complaint, kind: str) -> Letter | None:
    return Letter.objects.filter(complaint=complaint, kind=kind).order_by("-pk").first()


def applicant_copy(complaint: Complaint, kind: str) -> Letter | None:
    """The letter the applicant receives, as the body issued it (the signed answer, the extension notice), issued
    now if it is owed and missing. None when the action has not happened. The caller fetched the complaint through
    the access door (as its applicant, or as staff)."""
    letter = latest(complaint, kind)
    if letter is not None:
        return letter
    event = ComplaintEvent.objects.filter(complaint=complaint, action=APPLICANT_LETTERS[kind]).order_by("-pk").first()
    if event is None:
        return None
    event.complaint = complaint
    return ensure_letter(event, kind)[0]
