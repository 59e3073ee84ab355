"""Staff pages that belong to the core: the work list and the administrator's review of calendar changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext

from shagym.complaints import access, selectors, services
from shagym.complaints.states import Refused
from shagym.directory.calendar import current_calendar


@login_required
def calendar_changes(request: HttpRequest) -> HttpResponse:
    """RULES §18: a legal deadline never moves silently. The administrator applies the new date or keeps the old
    one for each open complaint computed with an older calendar; each choice is an event on the complaint."""
    if not access.is_administrator(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    if request.method == "POST":
        decision = request.POST.get("decision")
        reason = request.POST.get("reason", "")
        ids = [int(pk) for pk in request.POST.getlist("complaint") if pk.isdigit()]
        error = None
        if decision not in {"apply", "keep"}:
            error = gettext("Choose whether to apply the new dates or keep the old ones.")
        elif not ids:
            error = gettext("Tick at least one complaint.")
        elif not reason.strip():
            error = gettext("Give the reason, e.g. the order that changed the calendar.")
        if error:
            messages.error(request, error)
            return redirect("calendar-changes")
        done = 0
        for complaint in selectors.complaints_for_due_date_review(request.user, ids):  # type: ignore[arg-type]
            try:
                services.revise_due_date(actor=request.user, complaint=complaint,  # type: ignore[arg-type]
                                         apply=decision == "apply", reason=reason)
                done += 1
            except Refused as exc:
                messages.error(request, f"{complaint.number}: {exc.message}")
        messages.success(request, ngettext("%(count)d complaint revised.", "%(count)d complaints revised.", done)
                         % {"count": done})
        return redirect("calendar-changes")
    changes = selectors.due_date_changes(request.user)  # type: ignore[arg-type]
    return render(request, "web/calendar_changes.html",
                  {"changes": changes, "version": current_calendar().version})
