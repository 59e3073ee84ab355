"""Back-office pages for clerks, heads, executors and inspectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shagym.complaints import access, selectors


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    complaints = selectors.open_complaints_by_due_date(request.user)[:100]  # type: ignore[arg-type]
    return render(
        request,
        "backoffice/staff_home.html",
        {
            "complaints": complaints,
            "today": timezone.localdate(),
            "is_staff_user": access.is_staff_user(request.user),  # type: ignore[arg-type]
            "is_administrator": access.is_administrator(request.user),  # type: ignore[arg-type]
            "pending_changes": len(selectors.due_date_changes(request.user, limit=1000)),  # type: ignore[arg-type]
        },
    )


