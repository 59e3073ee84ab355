"""Open data (issue 12 §5): the aggregates by month, region, body and service, small counts suppressed, nothing that
identifies a person, as a page, CSV, JSON and from the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from shagym.reports import opendata, queries

from .conftest import ADDRESS, FIRST_NAME, IIN, PHONE, SURNAME, TEXT

DECEMBER = {"from": "2026-12", "to": "2026-12"}


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(timezone.make_aware(dt.datetime(2027, 1, 11, 12, 0)), tick=False):
        yield


@pytest.mark.parametrize("n,shown", [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (120, 120)])
def test_small_counts_are_suppressed(n, shown):
    assert opendata.shown(n) == shown


def test_a_share_that_would_reveal_a_small_count_is_left_out():
    assert opendata.shown_share(50, 100) == 50.0
    assert opendata.shown_share(3, 100) is None  # the part
    assert opendata.shown_share(3, 4) is None  # the whole
    assert opendata.shown_share(97, 100) is None  # what is left: 3
    assert opendata.shown_share(0, 100) == 0.0 and opendata.shown_share(100, 100) == 100.0
    assert opendata.shown_share(0, 0) is None


def test_the_threshold_is_a_setting(settings):
    settings.SHAGYM_OPEN_DATA_MIN_COUNT = 10
    assert opendata.shown(9) == "<10" and opendata.shown(10) == 10


def test_the_figures_of_december(dataset):
    with translation.override("en"):
        data = opendata.dataset(opendata.period(start="2026-12", end="2026-12"), day=dt.date(2027, 1, 11))
    (month,) = data.tables["month"]
    assert month["month"] == "2026-12"
    assert (month["received"], month["answered"], month["on_time"]) == (9, 6, 5)  # with the authority's own answer
    assert (month["overdue"], month["extended"], month["second_tier"], month["returned"]) == ("<5",) * 4
    assert month["on_time_share"] is None  # 5 of 7: two late or overdue would be revealed
    regions = {row["region"]: row for row in data.tables["region"]}
    assert regions["Astana city"]["received"] == 8 and regions["Almaty Region"]["received"] == "<5"
    bodies = {row["body"]: row for row in data.tables["body"]}
    assert bodies[dataset.ministry.name_en]["received"] == 6
    assert bodies[dataset.provider.name_en]["received"] == "<5"
    assert [row["service"] for row in data.tables["service"]] == ["not stated"]
    assert data.updated is not None


def _everything(client) -> str:
    """The page (with a region's bodies), every CSV, the JSON file and the API's answers, as one text."""
    parts = []
    with translation.override("ru"):
        parts.append(client.get(reverse("open-data"), DECEMBER).content.decode())
        for name in opendata.DIMENSIONS:
            response = client.get(reverse("open-data-file", args=[name, "csv"]), DECEMBER)
            assert response.status_code == 200
            parts.append(b"".join(response.streaming_content).decode("utf-8-sig"))
        parts.append(client.get(reverse("open-data-file", args=["data", "json"]), DECEMBER).content.decode())
    parts.append(client.get("/api/v1/stats/open-data", DECEMBER).content.decode())
    parts.append(client.get("/api/v1/stats/open-data/body", DECEMBER).content.decode())
    return "\n".join(parts)


def test_nothing_in_the_open_data_identifies_a_person(dataset, applicant):
    client = Client()
    text = _everything(client)
    assert "Жұмағұлова" not in text  # sanity of the search below: the page is in Russian and says something
    for secret in (SURNAME, FIRST_NAME, IIN, ADDRESS, PHONE, TEXT, applicant.last_name, applicant.email,
                   "Қасымов", "Анықтаманы беру", "Бас тарту негізсіз", dataset.c1.number, dataset.c8.reference,
                   "+7 7", "@example"):
        assert secret and secret not in text, secret
    assert dataset.ministry.name_ru in text  # ...while the bodies' figures are there
    json_text = client.get(reverse("open-data-file", args=["data", "json"]), DECEMBER).content.decode()
    data = json.loads(json_text)
    assert set(data["tables"]) == {"month", "region", "body", "service"}
    row_keys = {key for table in data["tables"].values() for row in table for key in row}
    assert row_keys <= {"month", "kato", "region", "body", "service_code", "service",
                        *(column.key for column in opendata.COLUMNS)}


def test_the_page_has_its_licence_update_date_and_downloads(dataset, django_assert_max_num_queries):
    client = Client()
    with translation.override("kk"):
        url = reverse("open-data")
        with django_assert_max_num_queries(16):
            response = client.get(url, {**DECEMBER, "region": dataset.regions.astana.pk})
        html = response.content.decode()
    assert response.status_code == 200
    assert "CC BY 4.0" in html and 'rel="license"' in html
    assert re.search(r'<time datetime="20\d\d-\d\d-\d\dT[^"]+">\d\d\.\d\d\.20\d\d</time>', html)  # the last change
    assert "&lt;5" in html
    assert dataset.ministry.name_kk in html  # the region's bodies
    assert response["Cache-Control"] == "public, max-age=300"
    csv_text = b"".join(client.get(reverse("open-data-file", args=["month", "csv"]), DECEMBER)
                        .streaming_content).decode("utf-8-sig")
    _header, row = list(csv.reader(io.StringIO(csv_text)))
    assert row[:4] == ["2026-12", "9", "6", "5"]


def test_the_api_gives_the_same_tables_and_refuses_a_bad_period(dataset):
    client = Client()
    answer = client.get("/api/v1/stats/open-data", DECEMBER)
    assert answer.status_code == 200
    body = answer.json()
    assert body["licence"] == "CC BY 4.0" and body["tables"]["month"][0]["received"] == 9
    table = client.get("/api/v1/stats/open-data/region", DECEMBER).json()
    assert {row["region"] for row in table["rows"]} >= {"Astana city"} or table["rows"]
    assert client.get("/api/v1/stats/open-data", {"year": "1999"}).status_code == 422
    assert client.get("/api/v1/stats/open-data", {"from": "2026-13"}).status_code == 422
    assert client.get("/api/v1/stats/open-data/people").status_code == 422
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/stats/open-data"]["get"]
    assert {"200", "422"} <= set(operation["responses"])


def test_periods():
    day = dt.date(2027, 1, 11)
    assert opendata.period(day=day) == queries.ReportFilter(start=dt.date(2026, 2, 1), end=dt.date(2027, 1, 1))
    assert opendata.period(year="2026", day=day).end == dt.date(2026, 12, 1)
    assert opendata.period(start="2026-03", day=day).end == dt.date(2027, 2, 1)
    for bad in ({"year": "20x6"}, {"start": "2026-1"}, {"start": "2026-05", "end": "2026-04"},
                {"start": "2001-01", "end": "2026-01"}):
        with pytest.raises(opendata.BadPeriod):
            opendata.period(day=day, **bad)
