"""Notices in the back office (issue 6): the staff member's messages, the office's print queue of paper letters
(items 1 and 5), and the administrator's outbox of everything sent (the place to read messages in development)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from shagym.complaints import access
from shagym.complaints.states import NotAllowed, Refused
from shagym.directory.roles import Role
from shagym.notify import services as notify_services

from .. import notices
from ..forms import LetterPostedForm, OutboxFilterForm
from .common import AuthenticatedRequest, paginate, require_role, staff_required, today_and_tomorrow


@staff_required
def staff_messages(request: AuthenticatedRequest) -> HttpResponse:
    """The user's notices, newest first. A notice counts as read once this page has shown it; the page still says
    which ones were new when it was opened."""
    user = request.user
    page = paginate(request, notices.staff_messages(user))
    page.object_list = list(page.object_list)
    unread = {message.pk for message in page.object_list if message.read_at is None}
    notify_services.mark_read(
        user=user, messages=[message for message in page.object_list if message.pk in unread]
    )
    readable = notices.readable_complaint_ids(
        user, {message.complaint_id for message in page.object_list if message.complaint_id}
    )
    return render(request, "backoffice/messages.html", {"page": page, "unread": unread, "readable": readable})


def _print_queue_page(request: AuthenticatedRequest, *, form: LetterPostedForm | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    page = paginate(request, notices.print_queue(user))
    page.object_list = list(page.object_list)
    readable = notices.readable_complaint_ids(
        user,
        {d.message.complaint_id for d in page.object_list if d.message.complaint_id},
    )
    today, tomorrow = today_and_tomorrow()
    context = {"page": page, "readable": readable, "form": form, "today": today, "tomorrow": tomorrow}
    return render(request, "backoffice/print_queue.html", context, status=status)


@staff_required
def print_queue(request: AuthenticatedRequest) -> HttpResponse:
    """Issue 6, item 5: the paper letters the user's offices must print and post (clerks and heads)."""
    require_role(request, Role.CLERK, Role.HEAD)
    return _print_queue_page(request)


@staff_required
@require_POST
def letter_posted(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The clerk records that the printed letter went out. One service call; a refusal is an error on the page."""
    require_role(request, Role.CLERK, Role.HEAD)
    delivery = notices.staff_letter(request.user, pk)
    form = LetterPostedForm(request.POST)
    if form.is_valid():
        try:
            notify_services.record_letter_posted(actor=request.user, delivery=delivery)
        except Refused as exc:
            form.add_refusal(exc)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        else:
            messages.success(
                request,
                gettext("The letter to %(addressee)s is recorded as posted.") % {"addressee": delivery.message.addressee},
            )
            return redirect("bo-print")
    return _print_queue_page(request, form=form, status=400)


@staff_required
def letter_pdf(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The letter as printed, only through the access door (never a public media URL)."""
    delivery = notices.staff_letter(request.user, pk)
    document = delivery.message.document
    if not document:
        raise Http404  # not made yet: the letter is still on its way to the print queue
    try:
        handle = document.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    name = document.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, filename=name, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def outbox(request: AuthenticatedRequest) -> HttpResponse:
    """Issue 6: every message and what happened on each channel, read-only, for administrators."""
    if not access.is_administrator(request.user):
        raise PermissionDenied
    form = OutboxFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, notices.outbox(**filters))
    query = urlencode({"status": filters["status"], "channel": filters["medium"]})
    return render(request, "backoffice/outbox.html", {"page": page, "form": form, "query": query})
