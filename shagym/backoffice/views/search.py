"""Search and lists (issue 5 §5): by number, applicant's name or IIN/BIN, body, service, status, channel, dates,
overdue, and the filters behind each figure of the reports (issue 12); paginated; the current list exported to CSV
or XLSX."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from shagym import workdays
from shagym.accounts.models import User
from shagym.complaints import selectors
from shagym.complaints.states import OPEN_STATES, ApplicantKind, Channel, Outcome, State
from shagym.directory import dates
from shagym.directory.models import Organisation, Service
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


EXPORT_COLUMNS = ("number", "status", "channel", "applicant_kind", "surname", "first_name", "patronymic", "legal_name",
                  "iin", "bin", "holder_id", "reviewing_body_id", "service_id", "received_at", "registered_at",
                  "due_date", "executor_id", "outcome", "delivered_on")


@staff_required
def export(request: AuthenticatedRequest, fmt: str = "csv") -> HttpResponseBase:
    """The list as it is filtered now, every page, as CSV (UTF-8 with a BOM so spreadsheets read Kazakh) or XLSX.
    Streamed: the rows are read as plain values in chunks (the bodies', services' and executors' names from small
    lookups, not a join per row) and written one by one, so memory stays flat for any number of rows."""
    form = SearchForm(request.GET or None, user=request.user)
    today, _tomorrow = today_and_tomorrow()
    if form.is_bound and not form.is_valid():
        return search(request)
    queryset = selectors.search_complaints(request.user, form.filters(), today=today).select_related(None)
    header = [
        gettext("Number"), gettext("Status"), gettext("Channel"), gettext("Applicant"), gettext("IIN / BIN"),
        gettext("Held by"), gettext("Reviewing body"), gettext("Public service"), gettext("Received"),
        gettext("Registered"), gettext("Due date"), gettext("Overdue"), gettext("Executor"), gettext("Outcome"),
        gettext("Answer delivered on"),
    ]
    yes, no = gettext("yes"), gettext("no")
    labels = {**dict(State.choices), **dict(Channel.choices), **{f"o:{k}": v for k, v in Outcome.choices}}

    def rows() -> Iterator[list[Any]]:
        bodies = {pk: body.name for pk, body in Organisation.objects.in_bulk().items()}
        services = {pk: service.name for pk, service in Service.objects.in_bulk().items()}
        people: dict[int, str] = {}
        chunk: list[tuple[Any, ...]] = []
        values = queryset.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000)
        while True:
            chunk = list(islice(values, 2000))
            if not chunk:
                return
            wanted = {row[16] for row in chunk if row[16] is not None and row[16] not in people}
            people.update((u.pk, u.get_full_name()) for u in User.objects.filter(pk__in=wanted))
            for (number, status, channel, kind, surname, first, patronymic, legal, iin, bin_, holder, reviewer,
                 service, received_at, registered_at, due, executor, outcome, delivered_on) in chunk:
                name = legal if kind == ApplicantKind.LEGAL_ENTITY else " ".join(p for p in (surname, first, patronymic) if p)
                overdue = status in OPEN_STATES and due is not None and today > due
                yield [
                    number, labels.get(status, status), labels.get(channel, channel), name, iin or bin_,
                    bodies.get(holder, ""), bodies.get(reviewer, ""), services.get(service, "") if service else "",
                    _date(received_at), _date(registered_at), _date(due), yes if overdue else no,
                    people.get(executor, "") if executor else "", labels.get(f"o:{outcome}", "") if outcome else "",
                    _date(delivered_on),
                ]

    stamp = timezone.localtime(timezone.now(), workdays.ALMATY).strftime("%Y%m%d-%H%M")
    return exports.spreadsheet(fmt, f"complaints-{stamp}", header, rows(), sheet=gettext("Complaints"))
