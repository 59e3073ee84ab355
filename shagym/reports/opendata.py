"""Open data: the aggregates by month, region, body and public service, for anyone, without personal data.

Only counts leave here, never a complaint: no names, IIN/BIN, addresses, phones or texts exist in the summary tables
they are read from. Counts from 1 to SHAGYM_OPEN_DATA_MIN_COUNT - 1 are shown as "<5" (zero identifies nobody and is
shown), and a share is left out when the count above or below it is suppressed, so no small number can be worked
back from it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.translation import get_language, gettext, gettext_lazy

from shagym.complaints import selectors
from shagym.directory.models import Organisation, Service, Territory

from . import queries
from .models import Fact
from .queries import Counts, OpenTable, ReportFilter

DIMENSIONS = ("month", "region", "body", "service")
DIMENSION_LABELS = {
    "month": gettext_lazy("By month"),
    "region": gettext_lazy("By region"),
    "body": gettext_lazy("By body"),
    "service": gettext_lazy("By public service"),
}


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy text
    kind: str = "count"  # count | share


COLUMNS = (
    Column("received", gettext_lazy("Complaints received")),
    Column("answered", gettext_lazy("Answered")),
    Column("on_time", gettext_lazy("Answered on time")),
    Column("overdue", gettext_lazy("Overdue now")),
    Column("on_time_share", gettext_lazy("Answered on time, %"), "share"),
    Column("extended", gettext_lazy("Term extended")),
    Column("satisfied", gettext_lazy("Satisfied fully or partly")),
    # xgettext:no-python-format
    Column("satisfied_share", gettext_lazy("Satisfied, % of decisions on the merits"), "share"),
    Column("returned", gettext_lazy("Returned")),
    Column("left", gettext_lazy("Left without consideration")),
    Column("second_tier", gettext_lazy("Complaints to the quality authority about the answer")),
    Column("upheld_share", gettext_lazy("Upheld by the quality authority, %"), "share"),
)


def threshold() -> int:
    return int(settings.SHAGYM_OPEN_DATA_MIN_COUNT)


def suppressed(n: int) -> bool:
    return 0 < n < threshold()


def shown(n: int) -> int | str:
    """A count as published: the number, or "<5" for a small one."""
    return f"<{threshold()}" if suppressed(n) else n


def shown_share(part: int, whole: int) -> float | None:
    if not whole or suppressed(part) or suppressed(whole) or suppressed(whole - part):
        return None
    return queries.share(part, whole)


def _values(counts: Counts) -> dict[str, int | str | float | None]:
    return {
        "received": shown(counts["received"]),
        "answered": shown(counts["answered"]),
        "on_time": shown(counts["on_time"]),
        "overdue": shown(counts.overdue),
        "on_time_share": shown_share(counts["on_time"], counts.due),
        "extended": shown(counts["extended"]),
        "satisfied": shown(counts["satisfied"]),
        "satisfied_share": shown_share(counts["satisfied"], counts["merits"]),
        "returned": shown(counts["status_returned"]),
        "left": shown(counts["status_left"]),
        "second_tier": shown(counts["second_tier"]),
        "upheld_share": shown_share(counts["second_tier_upheld"], counts["second_tier_answered"]),
    }


@dataclass
class Dataset:
    filters: ReportFilter
    tables: dict[str, list[dict[str, Any]]]
    updated: dt.datetime | None

    def header(self, dimension: str) -> list[str]:
        return [str(label) for label in dimension_columns(dimension)] + [str(c.label) for c in COLUMNS]


def dimension_columns(dimension: str) -> list[Any]:
    if dimension == "month":
        return [gettext_lazy("Month")]
    if dimension == "region":
        return [gettext_lazy("KATO code"), gettext_lazy("Region")]
    if dimension == "body":
        return [gettext_lazy("Region"), gettext_lazy("Body")]
    return [gettext_lazy("Register code"), gettext_lazy("Public service")]


def _overdue(filters: ReportFilter, group: str, day: dt.date) -> dict[Any, int]:
    facts = queries._narrow(Fact.objects.order_by(), filters, None).filter(open_due__lt=day)
    return {row[group]: row["n"] for row in facts.values(group).annotate(n=Count("pk"))}


def dataset(filters: ReportFilter, *, dimensions: tuple[str, ...] = DIMENSIONS, day: dt.date | None = None) -> Dataset:
    """The published tables for the period. A fixed number of queries: the tallies and the open complaints past
    their date by month, body (and so region) and service, and the names."""
    day = day or queries.today()
    tree = selectors.body_tree()
    tables = queries.open_data(filters, tree, dimensions=dimensions)
    language = (get_language() or "kk")[:2]
    names = _names(tables, language, tree)
    overdue_by: dict[str, dict[Any, int]] = {}
    result: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        group = "body" if table.dimension == "region" else table.dimension
        if group not in overdue_by:
            overdue_by[group] = _overdue(filters, group, day)
        overdue: dict[Any, int] = defaultdict(int)
        for key, n in overdue_by[group].items():
            overdue[tree.region.get(key) if table.dimension == "region" else key] += n
        rows = []
        for key, counts in table.rows:
            counts.overdue = overdue.get(key, 0)
            rows.append({**_label(table.dimension, key, names, tree), **_values(counts)})
        result[table.dimension] = _ordered(table.dimension, rows)
    return Dataset(filters, result, queries.last_update())


def _names(tables: list[OpenTable], language: str, tree: selectors.BodyTree) -> dict[str, dict[int, Any]]:
    """Names of the regions, bodies and services in the tables, in the page's language: three queries."""
    wanted = {table.dimension: {key for key, _ in table.rows if key} for table in tables}
    names: dict[str, dict[int, Any]] = {"region": {}, "body": {}, "service": {}}
    if wanted.get("body"):
        for body in Organisation.objects.filter(pk__in=sorted(wanted["body"])):
            names["body"][body.pk] = body.name_in(language)
    if wanted.get("service"):
        for service in Service.objects.filter(pk__in=sorted(wanted["service"])):
            names["service"][service.pk] = (service.code, service.name_in(language))
    regions = wanted.get("region", set()) | {tree.region.get(body) for body in wanted.get("body", set())}
    for territory in Territory.objects.filter(pk__in=sorted(r for r in regions if r)):
        names["region"][territory.pk] = (territory.kato, territory.name_in(language))
    return names


def _label(dimension: str, key: Any, names: dict[str, dict[int, Any]], tree: selectors.BodyTree) -> dict[str, Any]:
    unknown = gettext("not stated")
    if dimension == "month":
        return {"month": key.strftime("%Y-%m")}
    if dimension == "region":
        kato, name = names["region"].get(key, ("", unknown))
        return {"kato": kato, "region": name}
    if dimension == "body":
        region = tree.region.get(key)
        return {"region": names["region"].get(region, ("", unknown))[1] if region else unknown,
                "body": names["body"].get(key, unknown)}
    code, name = names["service"].get(key, ("", unknown))
    return {"service_code": code, "service": name}


def _ordered(dimension: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if dimension == "month":
        return rows
    if dimension == "region":
        return sorted(rows, key=lambda row: (row["kato"] == "", row["kato"]))
    if dimension == "body":
        return sorted(rows, key=lambda row: (row["region"], row["body"]))
    return sorted(rows, key=lambda row: (row["service_code"] == "", row["service_code"]))


def row_values(dimension: str, row: dict[str, Any]) -> list[Any]:
    keys = {"month": ["month"], "region": ["kato", "region"], "body": ["region", "body"],
            "service": ["service_code", "service"]}[dimension]
    return [row[k] for k in keys] + ["" if row[c.key] is None else row[c.key] for c in COLUMNS]


def csv_rows(data: Dataset, dimension: str) -> Iterator[list[Any]]:
    for row in data.tables[dimension]:
        yield row_values(dimension, row)


def as_json(data: Dataset) -> dict[str, Any]:
    return {
        "title": gettext("Complaints about public services: aggregate figures"),
        "licence": settings.SHAGYM_OPEN_DATA_LICENCE,
        "licence_url": settings.SHAGYM_OPEN_DATA_LICENCE_URL,
        "updated": data.updated.isoformat() if data.updated else None,
        "period": {"from": data.filters.start.strftime("%Y-%m"), "to": data.filters.end.strftime("%Y-%m")},
        "suppression": gettext("Counts from 1 to %(max)d are given as \"<%(min)d\"; a share computed from such a "
                               "count is null.") % {"max": threshold() - 1, "min": threshold()},
        "columns": {c.key: str(c.label) for c in COLUMNS},
        "tables": data.tables,
    }


class BadPeriod(ValueError):
    """A period the open data cannot give (the message is for people)."""


def period(*, year: str | None = None, start: str | None = None, end: str | None = None,
           day: dt.date | None = None) -> ReportFilter:
    """The published period: a calendar year (`year=2026`), months (`from=2026-01&to=2026-06`), or the last twelve
    months. Raises BadPeriod with a translated message."""
    day = day or queries.today()
    if year:
        if not (year.isascii() and year.isdigit()) or not 2000 <= int(year) <= day.year:
            raise BadPeriod(gettext("year must be a year from 2000 to %(year)d.") % {"year": day.year})
        first = dt.date(int(year), 1, 1)
        return ReportFilter(start=first, end=min(dt.date(int(year), 12, 1), queries.month_start(day)))
    if start or end:
        months: list[dt.date | None] = []
        for name, value in (("from", start), ("to", end)):
            try:
                month = dt.date.fromisoformat(f"{value}-01") if value and len(value) == 7 else None
            except ValueError:
                month = None
            if value and (month is None or not dt.date(2000, 1, 1) <= month <= dt.date(2100, 12, 1)):
                raise BadPeriod(gettext("%(name)s must be a month written YYYY-MM.") % {"name": name})
            months.append(month)
        given_first, given_last = months
        if given_first is not None:
            first = given_first
            last = given_last if given_last is not None else queries.add_months(first, 11)
        else:
            assert given_last is not None
            last = given_last
            first = queries.add_months(last, -11)
        if last < first:
            raise BadPeriod(gettext("to must not be before from."))
        if (last.year - first.year) * 12 + last.month - first.month >= 120:
            raise BadPeriod(gettext("Ask for at most ten years at a time."))
        return ReportFilter(start=first, end=last)
    return ReportFilter.last_twelve_months(day)
