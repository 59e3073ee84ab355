from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shagym.directory.calendar import deadline_for

from .forms import DeadlineForm


def healthz(request: HttpRequest) -> HttpResponse:
    """"ok", through the whole middleware stack and nothing else: for load balancers, and the framework's ceiling in
    bench/web.py."""
    return HttpResponse("ok", content_type="text/plain")


def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """Public calculator: choose the addressee and the day of receipt, see the due date and every day skipped."""
    form = DeadlineForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        result = deadline_for(
            received=form.cleaned_data["received"],
            working_days=form.working_days(),
            extension_days=form.cleaned_data.get("extension_days") or 0,
        )
    return render(request, "web/deadline.html", {"form": form, "result": result})
