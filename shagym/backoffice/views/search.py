"""Search and lists (issue 5 §5): by number, applicant's name or IIN/BIN, body, service, status, channel, dates,
overdue, and the filters behind each figure of the reports (issue 12); paginated; the current list exported to CSV
or XLSX."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from shagym import workdays
from shagym.complaints import selectors
from shagym.directory import dates
from shagym.reports import exports

from ..forms import SearchForm
from .common import AuthenticatedRequest, paginate, staff_required, today_and_tomorrow


@staff_required
def search(request: AuthenticatedRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, user=request.user)
    today, tomorrow = today_and_tomorrow()
    filters = form.filters()
    queryset = selectors.search_complaints(request.user, filters, today=today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/search.html",
        {
            "form": form,
            "page": paginate(request, queryset),
            "query": query.urlencode(),
            "today": today,
            "tomorrow": tomorrow,
        },
        status=400 if form.errors else 200,
    )


_cell = exports.cell  # the one neutraliser of formulas, now shared with the reports' exports


def _date(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value, workdays.ALMATY).strftime("%d.%m.%Y %H:%M")
    return dates.numeric(value)


@staff_required
def export(request: AuthenticatedRequest, fmt: str = "csv") -> HttpResponseBase:
    """The list as it is filtered now, every page, as CSV (UTF-8 with a BOM so spreadsheets read Kazakh) or XLSX.
    Streamed: the rows are read in chunks and written one by one, so memory stays flat for any number of rows."""
    form = SearchForm(request.GET or None, user=request.user)
    today, _tomorrow = today_and_tomorrow()
    if form.is_bound and not form.is_valid():
        return search(request)
    queryset = selectors.search_complaints(request.user, form.filters(), today=today).select_related(
        "reviewing_body", "service"
    )
    header = [
        gettext("Number"), gettext("Status"), gettext("Channel"), gettext("Applicant"), gettext("IIN / BIN"),
        gettext("Held by"), gettext("Reviewing body"), gettext("Public service"), gettext("Received"),
        gettext("Registered"), gettext("Due date"), gettext("Overdue"), gettext("Executor"), gettext("Outcome"),
        gettext("Answer delivered on"),
    ]
    yes, no = gettext("yes"), gettext("no")

    def rows() -> Iterator[list[Any]]:
        for c in queryset.iterator(chunk_size=2000):
            yield [
                c.number,
                c.get_status_display(),
                c.get_channel_display(),
                c.applicant_name,
                c.iin or c.bin,
                c.holder.name,
                c.reviewing_body.name,
                c.service.name if c.service else "",
                _date(c.received_at),
                _date(c.registered_at),
                _date(c.due_date),
                yes if c.is_overdue(today) else no,
                c.executor.get_full_name() if c.executor else "",
                c.get_outcome_display() if c.outcome else "",
                _date(c.delivered_on),
            ]

    stamp = timezone.localtime(timezone.now(), workdays.ALMATY).strftime("%Y%m%d-%H%M")
    return exports.spreadsheet(fmt, f"complaints-{stamp}", header, rows(), sheet=gettext("Complaints"))
