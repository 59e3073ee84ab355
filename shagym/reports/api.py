"""Open data for programs: GET /api/v1/stats/open-data and /api/v1/stats/open-data/{dimension}.

The same aggregates as the open-data page, without personal data, small counts suppressed ("<5")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from . import opendata

router = Router(tags=["statistics"])

Value = int | float | str | None


class PeriodQuery(Schema):
    year: str | None = Field(None, description="A calendar year, e.g. 2026 (up to the current month).")
    start: str | None = Field(None, alias="from", description="First month, YYYY-MM.")
    end: str | None = Field(None, alias="to", description="Last month, YYYY-MM (at most ten years after the first).")


class OpenData(Schema):
    title: str
    licence: str
    licence_url: str
    updated: str | None = Field(description="When the figures last changed (ISO 8601).")
    period: dict[str, str] = Field(description="`from` and `to`, months YYYY-MM.")
    suppression: str = Field(description="How small counts are given.")
    columns: dict[str, str] = Field(description="The figures of each row and their meaning, in the request's language.")
    tables: dict[str, list[dict[str, Value]]] = Field(
        description="Rows by month, region, body and service: each row names its group (month; kato and region; "
                    "region and body; service_code and service) and gives every column: a count, \"<5\" for a "
                    "suppressed one, or a share in per cent (null when it would reveal a suppressed count).")


class OpenTableOut(Schema):
    dimension: str
    licence: str
    updated: str | None
    period: dict[str, str]
    rows: list[dict[str, Value]]


class ErrorOut(Schema):
    detail: str
    field: str | None = None


def _dataset(params: PeriodQuery, dimensions: tuple[str, ...]) -> opendata.Dataset:
    return opendata.dataset(opendata.period(year=params.year, start=params.start, end=params.end), dimensions=dimensions)


@router.get("/open-data", response={200: OpenData, 422: ErrorOut}, summary="Open data: aggregates of complaints")
def open_data(request: HttpRequest, params: Query[PeriodQuery]) -> Status:
    try:
        data = _dataset(params, opendata.DIMENSIONS)
    except opendata.BadPeriod as exc:
        return Status(422, ErrorOut(detail=str(exc), field="period"))
    return Status(200, OpenData(**opendata.as_json(data)))


@router.get("/open-data/{dimension}", response={200: OpenTableOut, 422: ErrorOut},
            summary="Open data: one table (month, region, body or service)")
def open_data_table(request: HttpRequest, dimension: str, params: Query[PeriodQuery]) -> Status:
    if dimension not in opendata.DIMENSIONS:
        return Status(422, ErrorOut(detail=gettext("dimension must be one of: %(names)s.")
                                    % {"names": ", ".join(opendata.DIMENSIONS)}, field="dimension"))
    try:
        data = _dataset(params, (dimension,))
    except opendata.BadPeriod as exc:
        return Status(422, ErrorOut(detail=str(exc), field="period"))
    whole: dict[str, Any] = opendata.as_json(data)
    return Status(200, OpenTableOut(dimension=dimension, licence=whole["licence"], updated=whole["updated"],
                                    period=whole["period"], rows=data.tables[dimension]))
