"""Reports (issue 12): where bodies fail applicants. A dashboard for inspectors and administrators (every body) and
heads (their bodies and subordinates): complaints received, answered on time, overdue, working days to answer,
extensions, outcomes, returns, second tier and recommendations, by month and region, with the ranking of bodies; every
figure links to the staff search listing the complaints behind it; every table exports to CSV and XLSX.

The figures come from shagym.reports (summary tables kept from the events seam): a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from shagym.complaints import selectors
from shagym.complaints.states import AddresseeKind, Channel, ExtensionGround, Outcome, State, WithoutConsiderationGround
from shagym.directory.models import Organisation, Service, Territory
from shagym.reports import charts, exports, queries
from shagym.reports.queries import Counts, Dashboard, Ranked, ReportFilter, Scope

from .common import AuthenticatedRequest

MONTH_FORMATS = ("%Y-%m",)


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month", "placeholder": "2026-01"}, format="%Y-%m")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=MONTH_FORMATS, error_messages={
            "invalid": _("Enter a month as year and month, for example 2026-03."),
        }, **kwargs)


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ReportForm(forms.Form):
    start = MonthField(label=_("From (month)"), required=False)
    end = MonthField(label=_("To (month)"), required=False)
    region = NamedChoiceField(label=_("Region"), queryset=Territory.objects.none(), required=False, empty_label=_("any"))
    body = NamedChoiceField(label=_("Body"), queryset=Organisation.objects.none(), required=False,
                            empty_label=_("all I may see"))
    subordinates = forms.ChoiceField(label=_("Subordinate bodies"), required=False, choices=[
        ("1", _("with its subordinate bodies")), ("0", _("this body only"))])
    service = NamedChoiceField(label=_("Public service"), queryset=Service.objects.none(), required=False,
                               empty_label=_("any"))
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    addressee = forms.ChoiceField(label=_("Addressed to"), required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = Organisation.objects.all() if scope.bodies is None else Organisation.objects.filter(
            pk__in=sorted(scope.bodies))
        fields = self.fields
        fields["body"].queryset = bodies.order_by("name_" + _language())  # type: ignore[attr-defined]
        fields["region"].queryset = Territory.objects.filter(parent__isnull=True).order_by("kato")  # type: ignore[attr-defined]
        fields["service"].queryset = Service.objects.order_by("code")  # type: ignore[attr-defined]
        fields["channel"].choices = [("", _("any")), *Channel.choices]  # type: ignore[attr-defined]
        fields["addressee"].choices = [("", _("any")), *AddresseeKind.choices]  # type: ignore[attr-defined]
        for field in fields.values():
            field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")
        if not self.is_bound:
            # The period the page shows without filters, in the month fields too (they would look empty).
            default = ReportFilter.last_twelve_months(timezone.localdate())
            self.initial.setdefault("start", default.start)
            self.initial.setdefault("end", default.end)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The last month must not be before the first."))
        if start and end and (end.year - start.year) * 12 + end.month - start.month >= 120:
            self.add_error("end", _("Choose at most ten years."))
        return data

    def filters(self, day: dt.date) -> ReportFilter:
        default = ReportFilter.last_twelve_months(day)
        if not self.is_bound or not self.is_valid():
            return default
        d = self.cleaned_data
        start = queries.month_start(d["start"]) if d.get("start") else None
        end = queries.month_start(d["end"]) if d.get("end") else None
        if start and not end:
            end = max(start, default.end) if start <= default.end else start
            end = min(end, queries.add_months(start, 11))
        if end and not start:
            start = queries.add_months(end, -11)
        return ReportFilter(
            start=start or default.start, end=end or default.end,
            region=d["region"].pk if d.get("region") else None,
            body=d["body"].pk if d.get("body") else None,
            subordinates=d.get("subordinates") != "0",
            service=d["service"].pk if d.get("service") else None,
            channel=d.get("channel") or "", addressee_kind=d.get("addressee") or "",
        )


def _language() -> str:
    language = (get_language() or "kk")[:2]
    return language if language in {"kk", "ru", "en"} else "kk"


def _reader(request: AuthenticatedRequest) -> tuple[Scope, selectors.BodyTree]:
    if not request.user.is_authenticated or not queries.may_see_reports(request.user):
        raise PermissionDenied
    tree = selectors.body_tree()
    return queries.scope_of(request.user, tree), tree


# ---------------------------------------------------------------------------------------------------------------
# What the page shows


@dataclass
class Figure:
    label: str
    value: str
    href: str
    note: str = ""
    tone: str = ""


@dataclass
class Row:
    label: str
    cells: list[Any]  # (text, href) pairs or plain text; each becomes {"text", "href"}
    href: str = ""

    def __post_init__(self) -> None:
        self.cells = [{"text": c[0], "href": c[1]} if isinstance(c, tuple) else {"text": c, "href": ""}
                      for c in self.cells]


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}\u00a0%".replace(".", "," if _language() in {"kk", "ru"} else ".")


def _month(month: dt.date) -> str:
    return month.strftime("%m.%Y")


class Links:
    """The staff search for a figure: the dashboard's filters plus the figure's own."""

    def __init__(self, filters: ReportFilter, scope: Scope) -> None:
        self.base = queries.search_params(filters, scope)
        self.url = reverse("bo-search")

    def __call__(self, **extra: str) -> str:
        params = [(k, v) for k, v in self.base if k not in extra or k in {"reviewer"}]
        return f"{self.url}?{urlencode(params + list(extra.items()))}"

    def month(self, month: dt.date, **extra: str) -> str:
        extra = {"received_from": month.isoformat(), "received_to": queries.month_end(month).isoformat(), **extra}
        return self(**extra)


def _summary(board: Dashboard, link: Links) -> list[Figure]:
    t = board.total
    median, p90 = board.median_days, board.p90_days
    days = "—" if median is None else gettext("%(median)s / %(p90)s") % {"median": median, "p90": p90}
    return [
        Figure(gettext("Complaints received"), _count(t["received"]), link()),
        Figure(gettext("Answered"), _count(t["answered"]), link(answer="answered"),
               gettext("%(late)s of them late") % {"late": _count(t["late"])}),
        Figure(gettext("Answered on time"), _share(t.on_time_share), link(answer="on_time"),
               gettext("%(n)s of %(due)s whose term has come") % {"n": _count(t["on_time"]), "due": _count(t.due)},
               "bad" if t.on_time_share is not None and t.on_time_share < 90 else ""),
        Figure(gettext("Overdue now"), _count(t.overdue), link(overdue="on"),
               gettext("open, past the due date"), "bad" if t.overdue else ""),
        Figure(gettext("Working days to answer: median / 90th percentile"), days, link(answer="answered"),
               gettext("from registration to the answer, by the calendar with its overrides")),
        Figure(gettext("Term extended"), _share(t.extended_share), link(extended="on"),
               gettext("%(n)s complaints") % {"n": _count(t["extended"])}),
        Figure(gettext("Satisfied fully or partly"), _share(t.satisfied_share), link(satisfied="on"),
               gettext("%(n)s of %(all)s decisions on the merits") % {"n": _count(t["satisfied"]),
                                                                     "all": _count(t["merits"])}),
        Figure(gettext("Returned"), _count(t["status_returned"]), link(status=State.RETURNED),
               gettext("the missing content was not supplied")),
        Figure(gettext("Left without consideration"), _count(t["status_left"]), link(status=State.LEFT_WITHOUT_CONSIDERATION)),
        Figure(gettext("Complaints to the quality authority about the answers"), _count(t["second_tier"]),
               link(tier="2"), gettext("upheld: %(share)s of %(n)s decided") % {
                   "share": _share(t.upheld_share), "n": _count(t["second_tier_answered"])}),
        Figure(gettext("Recommendations issued"), _count(t.recommendations), link(recommendation="issued"),
               gettext("executed on time: %(n)s; past their date: %(late)s") % {
                   "n": _count(t.recommendations_on_time), "late": _count(t.recommendations_overdue)},
               "bad" if t.recommendations_overdue else ""),
    ]


def _breakdowns(board: Dashboard, link: Links) -> dict[str, list[Row]]:
    t = board.total
    statuses = [Row(str(s.label), [(_count(t[f"status_{s.value}"]), link(status=s.value)),
                                   _share(queries.share(t[f"status_{s.value}"], t["received"]))])
                for s in State if t[f"status_{s.value}"]]
    outcomes = [Row(str(o.label), [(_count(t[f"outcome_{o.value}"]), link(outcome=o.value)),
                                   _share(queries.share(t[f"outcome_{o.value}"], t["merits"]))]) for o in Outcome]
    outcomes.append(Row(str(State.SATISFIED_BY_RESPONDENT.label),
                        [(_count(t["status_satisfied"]), link(status=State.SATISFIED_BY_RESPONDENT)),
                         _share(queries.share(t["status_satisfied"], t["merits"]))]))
    extensions = [Row(str(g.label), [(_count(t[f"extension_{g.value}"]), link(extension_ground=g.value)),
                                     _share(queries.share(t[f"extension_{g.value}"], t["extended"]))])
                  for g in ExtensionGround]
    left = [Row(str(g.label), [(_count(t[f"left_{g.value}"]), link(wc_ground=g.value)),
                               _share(queries.share(t[f"left_{g.value}"], t["status_left"]))])
            for g in WithoutConsiderationGround]
    second = [
        Row(gettext("Complaints to the quality authority"), [(_count(t["second_tier"]), link(tier="2"))]),
        Row(gettext("Decided by the authority"), [(_count(t["second_tier_answered"]), link(tier="2", answer="decided"))]),
        Row(gettext("Upheld by the authority"), [(_count(t["second_tier_upheld"]), link(tier="2", upheld="on")),
                                                 _share(t.upheld_share)]),
        Row(gettext("Recommendations issued"), [(_count(t.recommendations), link(recommendation="issued"))]),
        Row(gettext("Executed on time"), [(_count(t.recommendations_on_time), link(recommendation="executed_on_time")),
                                          _share(t.recommendations_share)]),
        Row(gettext("Past their date, not executed"), [(_count(t.recommendations_overdue),
                                                        link(recommendation="overdue"))]),
    ]
    months = [Row(_month(month), [
        (_count(c["received"]), link.month(month)),
        (_count(c["answered"]), link.month(month, answer="answered")),
        (_count(c["on_time"]), link.month(month, answer="on_time")),
        (_count(c.overdue), link.month(month, overdue="on")),
        _share(c.on_time_share),
    ]) for month, c in board.by_month]
    return {"statuses": statuses, "outcomes": outcomes, "extensions": extensions, "left": left, "second": second,
            "months": months}


def _region_rows(board: Dashboard) -> list[tuple[str, Counts, int | None]]:
    """(name, counts, territory id) of each region with complaints, the best share answered on time first."""
    names = {t.pk: t.name for t in Territory.objects.filter(pk__in=[r for r in board.by_region if r])}
    unknown = gettext("region not stated")
    rows = [(names.get(region, unknown) if region else unknown, counts, region)
            for region, counts in board.by_region.items() if counts["received"] or counts.due]
    return sorted(rows, key=lambda row: (-(row[1].on_time_share if row[1].on_time_share is not None else -1), row[0]))


def _body_names(ids: Sequence[int]) -> dict[int, Any]:
    return {body.pk: body for body in Organisation.objects.filter(pk__in=list(ids)).select_related(None)}


def _ranked_rows(rows: Sequence[Ranked], tree: selectors.BodyTree, link: Links) -> list[dict[str, Any]]:
    bodies = _body_names([row.body for row in rows])
    regions = {t.pk: t.name for t in Territory.objects.filter(
        pk__in=sorted({tree.region.get(row.body) for row in rows if tree.region.get(row.body)}))}
    result = []
    for row in rows:
        body = bodies.get(row.body)
        region = tree.region.get(row.body)
        c = row.counts
        result.append({
            "rank": row.rank, "name": body.name if body else f"#{row.body}",
            "region": regions.get(region, "—") if region else "—",
            "due": c.due, "received": c["received"], "on_time": _share(c.on_time_share),
            "satisfied": _share(c.satisfied_share), "upheld": _share(c.upheld_share),
            "recommendations": _share(c.recommendations_share), "score": _share(row.score),
            "href": f"{reverse('bo-search')}?{urlencode([(k, v) for k, v in link.base if k not in {'reviewer', 'subordinates'}] + [('reviewer', str(row.body))])}",
        })
    return result


def _charts(board: Dashboard, regions: list[tuple[str, Counts, int | None]]) -> dict[str, Any]:
    months = board.by_month
    trend = charts.columns(
        "chart-months", title=gettext("Complaints received and answered, by month of receipt"),
        desc=gettext("Received and answered per month; the same figures are in the table beside the chart."),
        labels=[_month(m) for m, _c in months],
        series=[(gettext("received"), [c["received"] for _m, c in months]),
                (gettext("answered"), [c["answered"] for _m, c in months])],
    )
    region_bars = [charts.Bar(name, counts.on_time_share or 0, _share(counts.on_time_share))
                   for name, counts, _region in regions]
    region_chart = charts.bars(
        "chart-regions", title=gettext("Answered on time, by region, best first"),
        desc=charts.describe(region_bars), rows=region_bars, maximum=100,
    )
    status_bars = [charts.Bar(str(s.label), board.total[f"status_{s.value}"], _count(board.total[f"status_{s.value}"]))
                   for s in State if board.total[f"status_{s.value}"]]
    status_chart = charts.bars("chart-statuses", title=gettext("Complaints by status"),
                               desc=charts.describe(status_bars), rows=status_bars)
    days = sorted(board.histogram)
    histogram = charts.columns(
        "chart-days", title=gettext("Answers by working days from registration"),
        desc=gettext("How many answers took each number of working days; median %(median)s, 90th percentile "
                     "%(p90)s.") % {"median": board.median_days if board.median_days is not None else "—",
                                    "p90": board.p90_days if board.p90_days is not None else "—"},
        labels=[str(d) for d in range(0, (days[-1] if days else 0) + 1)],
        series=[(gettext("answers"), [board.histogram.get(d, 0) for d in range(0, (days[-1] if days else 0) + 1)])],
    )
    return {"trend": trend, "regions": region_chart, "statuses": status_chart, "days": histogram}


def _context(request: AuthenticatedRequest) -> tuple[ReportForm, ReportFilter, Scope, selectors.BodyTree]:
    scope, tree = _reader(request)
    form = ReportForm(request.GET or None, scope=scope)
    filters = form.filters(queries.today())
    return form, filters, scope, tree


def _sections(board: Dashboard, link: Links, regions: list[tuple[str, Counts, int | None]]) -> list[dict[str, Any]]:
    tables = _breakdowns(board, link)
    drawn = _charts(board, regions)
    count, pct = gettext("complaints"), gettext("share")
    region_rows = [
        Row(name, [(_count(c["received"]), link(region=str(rid)) if rid else ""),
                   (_count(c["answered"]), link(region=str(rid), answer="answered") if rid else ""),
                   _share(c.on_time_share),
                   (_count(c.overdue), link(region=str(rid), overdue="on") if rid else "")])
        for name, c, rid in regions
    ]
    days = [Row(str(d), [_count(n)]) for d, n in sorted(board.histogram.items())]
    return [
        {"id": "months", "title": gettext("By month of receipt"), "chart": drawn["trend"], "first": gettext("Month"),
         "head": [gettext("received"), gettext("answered"), gettext("on time"), gettext("overdue now"),
                  gettext("on time, %")], "rows": tables["months"]},
        {"id": "regions", "title": gettext("Regions, ranked by the share answered on time"), "chart": drawn["regions"],
         "first": gettext("Region"), "head": [gettext("received"), gettext("answered"), gettext("on time, %"),
                                              gettext("overdue now")], "rows": region_rows},
        {"id": "statuses", "title": gettext("Status now"), "chart": drawn["statuses"], "first": gettext("Status"),
         "head": [count, pct], "rows": tables["statuses"]},
        {"id": "days", "title": gettext("Working days from registration to the answer"), "chart": drawn["days"],
         "first": gettext("Working days"), "head": [gettext("answers")], "rows": days},
        {"id": "outcomes", "title": gettext("Outcome of the decisions on the merits"), "chart": None,
         "first": gettext("Outcome"), "head": [gettext("decisions"), pct], "rows": tables["outcomes"]},
        {"id": "extensions", "title": gettext("Extensions of the term, by ground"), "chart": None,
         "first": gettext("Ground"), "head": [count, pct], "rows": tables["extensions"]},
        {"id": "left", "title": gettext("Left without consideration, by ground"), "chart": None,
         "first": gettext("Ground"), "head": [count, pct], "rows": tables["left"]},
        {"id": "second", "title": gettext("The quality authority: second-tier complaints and recommendations"),
         "chart": None, "first": gettext("Figure"), "head": [gettext("number"), pct], "rows": tables["second"]},
    ]


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    form, filters, scope, tree = _context(request)
    board = queries.dashboard(filters, scope, tree)
    link = Links(filters, scope)
    regions = _region_rows(board)
    ranked = queries.ranking(board)
    eligible = [row for row in ranked if row.ranked]
    lowest = list(reversed(eligible[-10:]))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    return render(request, "backoffice/reports.html", {
        "form": form, "filters": filters, "board": board, "summary": _summary(board, link),
        "sections": _sections(board, link, regions), "lowest": _ranked_rows(lowest, tree, link),
        "ranked_count": len(eligible), "query": query, "scope": scope,
        "rank_min": settings.SHAGYM_REPORTS_RANK_MIN, "period": (_month(filters.start), _month(filters.end)),
        "tables_export": EXPORT_TABLES, "list_query": urlencode(link.base),
    }, status=400 if form.errors else 200)


@login_required
def ranking(request: AuthenticatedRequest) -> HttpResponse:
    form, filters, scope, tree = _context(request)
    key = request.GET.get("rank", "score")
    if key not in queries.RANK_KEYS:
        key = "score"
    board = queries.dashboard(filters, scope, tree)
    rows = queries.ranking(board, key=key)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    link = Links(filters, scope)
    query = urlencode([(k, v) for k, v in request.GET.items() if k not in {"page", "rank"}])
    return render(request, "backoffice/reports_ranking.html", {
        "form": form, "filters": filters, "page": page, "rows": _ranked_rows(list(page.object_list), tree, link),
        "key": key, "keys": _rank_labels(), "query": query, "rank_min": settings.SHAGYM_REPORTS_RANK_MIN,
        "secondary_min": queries.SECONDARY_MIN, "period": (_month(filters.start), _month(filters.end)),
    }, status=400 if form.errors else 200)


def _rank_labels() -> list[tuple[str, str]]:
    return [("score", gettext("compliance score")), ("on_time", gettext("answered on time")),
            ("satisfied", gettext("satisfied")), ("upheld", gettext("not overturned by the authority")),
            ("recommendations", gettext("recommendations executed on time"))]


# ---------------------------------------------------------------------------------------------------------------
# Exports: every table of the dashboard, as CSV or XLSX


EXPORT_TABLES = ("summary", "months", "regions", "bodies")


def _counts_header() -> list[str]:
    return [gettext("Complaints received"), gettext("Answered"), gettext("Answered on time"), gettext("Answered late"),
            gettext("Overdue now"), gettext("Answered on time, %"), gettext("Term extended"),
            gettext("Decisions on the merits"), gettext("Satisfied fully or partly"), gettext("Satisfied, %"),
            gettext("Returned"), gettext("Left without consideration"),
            gettext("Complaints to the quality authority"), gettext("Upheld by the authority"),
            gettext("Recommendations issued"), gettext("Recommendations executed on time")]


def _counts_cells(c: Counts) -> list[Any]:
    return [c["received"], c["answered"], c["on_time"], c["late"], c.overdue, c.on_time_share, c["extended"],
            c["merits"], c["satisfied"], c.satisfied_share, c["status_returned"], c["status_left"], c["second_tier"],
            c["second_tier_upheld"], c.recommendations, c.recommendations_on_time]


def _summary_rows(board: Dashboard) -> Iterator[list[Any]]:
    t = board.total
    yield [gettext("Complaints received"), t["received"]]
    yield [gettext("Answered"), t["answered"]]
    yield [gettext("Answered on time"), t["on_time"]]
    yield [gettext("Answered late"), t["late"]]
    yield [gettext("Overdue now"), t.overdue]
    yield [gettext("Answered on time, %"), t.on_time_share]
    yield [gettext("Working days to answer, median"), board.median_days]
    yield [gettext("Working days to answer, 90th percentile"), board.p90_days]
    yield [gettext("Term extended"), t["extended"]]
    for g in ExtensionGround:
        yield [gettext("Extended: %(ground)s") % {"ground": g.label}, t[f"extension_{g.value}"]]
    yield [gettext("Decisions on the merits"), t["merits"]]
    yield [gettext("Satisfied fully or partly"), t["satisfied"]]
    for o in Outcome:
        yield [gettext("Outcome: %(outcome)s") % {"outcome": o.label}, t[f"outcome_{o.value}"]]
    for s in State:
        yield [pgettext("report row", "Status: %(status)s") % {"status": s.label}, t[f"status_{s.value}"]]
    for wc in WithoutConsiderationGround:
        yield [gettext("Left without consideration: %(ground)s") % {"ground": wc.label}, t[f"left_{wc.value}"]]
    yield [gettext("Complaints to the quality authority"), t["second_tier"]]
    yield [gettext("Decided by the authority"), t["second_tier_answered"]]
    yield [gettext("Upheld by the authority"), t["second_tier_upheld"]]
    yield [gettext("Recommendations issued"), t.recommendations]
    yield [gettext("Recommendations executed on time"), t.recommendations_on_time]
    yield [gettext("Recommendations past their date, not executed"), t.recommendations_overdue]


@login_required
def export(request: AuthenticatedRequest, table: str, fmt: str) -> HttpResponseBase:
    if table not in EXPORT_TABLES or fmt not in {"csv", "xlsx"}:
        raise Http404
    form, filters, scope, tree = _context(request)
    if form.is_bound and not form.is_valid():
        return dashboard(request)
    board = queries.dashboard(filters, scope, tree)
    name = f"report-{table}-{filters.start:%Y%m}-{filters.end:%Y%m}"
    if table == "summary":
        return exports.spreadsheet(fmt, name, [gettext("Figure"), gettext("Value")], _summary_rows(board),
                                   sheet=gettext("Summary"))
    if table == "months":
        rows = ([m.strftime("%Y-%m"), *_counts_cells(c)] for m, c in board.by_month)
        return exports.spreadsheet(fmt, name, [gettext("Month"), *_counts_header()], rows, sheet=gettext("Months"))
    if table == "regions":
        rows = ([label, *_counts_cells(c)] for label, c, _region in _region_rows(board))
        return exports.spreadsheet(fmt, name, [gettext("Region"), *_counts_header()], rows, sheet=gettext("Regions"))
    ranked = queries.ranking(board)
    bodies = _body_names([row.body for row in ranked])
    regions = {t.pk: t.name for t in Territory.objects.filter(pk__in=[r for r in tree.region.values() if r])}
    body_rows = (
        [row.rank or "", bodies[row.body].name if row.body in bodies else row.body,
         regions.get(tree.region.get(row.body) or 0, ""), row.score, *_counts_cells(row.counts)]
        for row in ranked
    )
    return exports.spreadsheet(
        fmt, name, [gettext("Rank"), gettext("Body"), gettext("Region"), gettext("Compliance score"),
                    *_counts_header()], body_rows, sheet=gettext("Bodies"))
