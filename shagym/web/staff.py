"""Staff pages that belong to the core: the administrator's review of calendar changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext

from shagym.complaints import access, selectors, services
from shagym.complaints.states import Refused
from shagym.directory.calendar import current_calendar


def _revise(request: HttpRequest, changes: list[services.DueDateChange], *, apply: bool, reason: str) -> list[str]:
    done = []
    for change in changes:
        try:
            services.revise_due_date(actor=request.user, complaint=change.complaint,  # type: ignore[arg-type]
                                     apply=apply, reason=reason)
        except Refused as exc:
            messages.error(request, f"{change.complaint.number}: {exc.message}")
        else:
            done.append(change.complaint.number or str(change.complaint.pk))
    return done


@login_required
def calendar_changes(request: HttpRequest) -> HttpResponse:
    """RULES §18: a legal deadline never moves silently. The administrator chooses, complaint by complaint, whether an
    open complaint computed with an older calendar takes the new due date or keeps the old one, confirms the list,
    and each choice becomes an event on its complaint. Complaints whose date would not move are recorded apart."""
    user: Any = request.user
    if not access.is_administrator(user):
        raise PermissionDenied
    changes = selectors.due_date_changes(user)
    moving = [c for c in changes if c.moves]
    unchanged = [c for c in changes if not c.moves]
    if request.method != "POST":
        return render(request, "web/calendar_changes.html",
                      {"moving": moving, "unchanged": unchanged, "version": current_calendar().version})
    step = request.POST.get("step", "")
    reason = request.POST.get("reason", "").strip()
    if step == "unchanged":
        if not reason:
            messages.error(request, gettext("Give the reason, e.g. the order that changed the calendar."))
            return redirect("calendar-changes")
        done = _revise(request, unchanged, apply=True, reason=reason)
        messages.success(request, ngettext(
            "The new calendar is recorded on %(count)d complaint; its due date did not move.",
            "The new calendar is recorded on %(count)d complaints; their due dates did not move.", len(done),
        ) % {"count": len(done)})
        return redirect("calendar-changes")
    chosen_ids = {int(pk) for pk in request.POST.getlist("complaint") if (pk.isascii() and pk.isdigit())}
    chosen = [c for c in moving if c.complaint.pk in chosen_ids]  # only complaints whose date would move
    decision = request.POST.get("decision")
    error = None
    if not chosen:
        error = gettext("Tick at least one complaint whose due date would move.")
    elif decision not in {"apply", "keep"}:
        error = gettext("Choose whether to apply the new dates or keep the old ones.")
    elif not reason:
        error = gettext("Give the reason, e.g. the order that changed the calendar.")
    if error:
        messages.error(request, error)
        return render(request, "web/calendar_changes.html",
                      {"moving": moving, "unchanged": unchanged, "version": current_calendar().version,
                       "chosen_ids": chosen_ids, "decision": decision, "reason": reason}, status=400)
    if step != "confirm":
        # Nothing changes before the administrator has seen the exact list.
        return render(request, "web/calendar_changes_confirm.html",
                      {"chosen": chosen, "apply": decision == "apply", "reason": reason})
    done = _revise(request, chosen, apply=decision == "apply", reason=reason)
    messages.success(request, ngettext("%(count)d complaint revised: %(numbers)s.",
                                       "%(count)d complaints revised: %(numbers)s.", len(done))
                     % {"count": len(done), "numbers": ", ".join(done)})
    return redirect("calendar-changes")
