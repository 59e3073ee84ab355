"""The reports' pages (issue 12): who sees them and which bodies, every figure leading to the list behind it, the
exports, the page weight and a query count that does not grow with the data. On the hand-built dataset of
shagym/reports/tests/conftest.py, read on Monday 11 January 2027."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from shagym.backoffice.forms import SearchForm
from shagym.backoffice.views import reports as views
from shagym.complaints import selectors
from shagym.complaints.tests.factories import complaint_input
from shagym.reports import queries
from shagym.reports.tests import conftest as shared

from .conftest import login

# The hand-built dataset of the reports' own tests.
dataset, regions, transfer_order = shared.dataset, shared.regions, shared.transfer_order
DECEMBER = {"start": "2026-12", "end": "2026-12"}
BUDGET = 150 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')


@pytest.fixture(autouse=True)
def _frozen_clock():
    """These pages read the clock: overdue now, recommendations past their date."""
    with time_machine.travel(timezone.make_aware(dt.datetime(2027, 1, 11, 12, 0)), tick=False):
        yield


def _page(client, name="bo-reports", **params):
    return client.get(reverse(name), {**DECEMBER, **params})


def _list_count(user, href: str) -> int:
    query = QueryDict(urlsplit(href).query)
    form = SearchForm(query, user=user)
    assert form.is_valid(), (href, form.errors)
    return selectors.search_complaints(user, form.filters(), today=dt.date(2027, 1, 11)).count()


def _links(html: str) -> list[tuple[str, str]]:
    """(figure text, search link) for every link to the staff search on the page."""
    found = []
    for href, text in re.findall(r'<a href="(/en/staff/search/\?[^"]+)">(.*?)</a>', html, re.S):
        found.append((re.sub(r"<[^>]+>", " ", text).strip(), href.replace("&amp;", "&")))
    return found


def test_an_inspector_sees_every_body_and_each_count_leads_to_its_list(dataset, inspector):
    response = _page(login(inspector), body=dataset.ministry.pk, subordinates="1")
    assert response.status_code == 200
    html = response.content.decode()
    links = _links(html)
    assert len(links) >= 40
    checked = 0
    for text, href in links:
        number = text.split(" ")[0].replace("\u202f", "")
        if not number.isdigit():
            continue  # a share or a median: its link lists the complaints it is computed from
        assert _list_count(inspector, href) == int(number), (text, href)
        checked += 1
    assert checked > 30
    # The headline figures of the hand-built dataset.
    figures = {label: value for value, label in re.findall(
        r'<span class="figure-value">(.*?)</span> <span class="figure-label">(.*?)</span>', html)}
    assert figures["Complaints received"] == "7"
    assert figures["Answered"] == "5"
    assert figures["Answered on time"] == "66.7\u00a0%"
    assert figures["Overdue now"] == "1"
    assert figures["Working days to answer: median / 90th percentile"] == "5 / 9"
    assert figures["Satisfied fully or partly"] == "75.0\u00a0%"


def test_the_shares_and_the_median_list_what_they_count(dataset, inspector):
    filters = queries.ReportFilter(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 1), body=dataset.ministry.pk)
    board = queries.dashboard(filters, queries.Scope(None), selectors.body_tree())
    link = views.Links(filters, queries.Scope(None))
    summary = {figure.label: figure.href for figure in views._summary(board, link)}
    assert _list_count(inspector, summary["Answered on time"]) == board.total["on_time"] == 4
    assert _list_count(inspector, summary["Working days to answer: median / 90th percentile"]) == 5
    assert _list_count(inspector, summary["Term extended"]) == 1
    assert _list_count(inspector, summary["Satisfied fully or partly"]) == 3


def test_a_head_sees_only_their_bodies_and_subordinates(dataset, head, provider_head, inspector):
    everyone = _page(login(inspector)).content.decode()
    assert dataset.other_body.name_en in everyone
    for user, received, absent in ((head, 7, [dataset.other_body, dataset.quality_authority]),
                                   (provider_head, 1, [dataset.other_body, dataset.ministry])):
        response = _page(login(user))
        assert response.status_code == 200
        html = response.content.decode()
        assert re.search(rf'<span class="figure-value">{received}</span> <span class="figure-label">Complaints received',
                         html)
        for body in absent:
            assert body.name_en not in html, body
        # A body outside the head's scope cannot be chosen.
        assert _page(login(user), body=dataset.other_body.pk).status_code == 400
        ranking = _page(login(user), name="bo-reports-ranking").content.decode()
        for body in absent:
            assert body.name_en not in ranking


def test_the_head_exports_only_their_bodies(dataset, head):
    client = login(head)
    response = client.get(reverse("bo-reports-export", args=["bodies", "csv"]), DECEMBER)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    names = {row[1] for row in rows[1:]}
    assert names == {dataset.ministry.name_en, dataset.provider.name_en}


def test_who_may_open_the_reports(dataset, clerk, executor, administrator, outsider, client):
    assert _page(login(clerk)).status_code == 403
    assert _page(login(executor)).status_code == 403
    assert _page(login(administrator)).status_code == 200
    outside = _page(login(outsider)).content.decode()  # the head of another body: that body only
    assert re.search(r'<span class="figure-value">1</span> <span class="figure-label">Complaints received', outside)
    assert _page(client).status_code == 302  # to sign in


def test_the_nav_shows_reports_to_heads_inspectors_and_administrators(dataset, head, inspector, clerk, administrator):
    url = reverse("bo-reports")
    for user, shown in ((head, True), (inspector, True), (administrator, True), (clerk, False)):
        html = login(user).get(reverse("staff-home")).content.decode()
        assert (f'href="{url}"' in html) is shown, user


def _weight(html: str) -> int:
    total = len(html.encode())
    for ref in set(ASSET.findall(html)):
        assert not ref.startswith(("http:", "https:", "//")), ref
        path = finders.find(ref.split("/static/", 1)[1])
        assert path, ref
        total += Path(path).stat().st_size
    return total


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_pages_are_light_and_draw_accessible_charts(dataset, inspector, language):
    from django.utils import translation

    client = login(inspector)
    with translation.override(language):
        for name in ("bo-reports", "bo-reports-ranking"):
            response = _page(client, name=name)
            assert response.status_code == 200
            html = response.content.decode()
            assert f'<html lang="{language}">' in html
            assert _weight(html) < BUDGET, (name, _weight(html))
            assert "<script" not in html
    html = _page(client).content.decode()
    svgs = re.findall(r"<svg class=\"chart\".*?</svg>", html, re.S)
    assert len(svgs) == 4
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert html.count('<table class="report-table">') >= 8  # each chart with its table


def _queries(client, django_assert_max_num_queries, name="bo-reports", budget=40):
    # Once before counting: new organisations retire the cached memberships (shagym.directory.memberships), and
    # their one reload is not data growing.
    _page(client, name=name)
    with django_assert_max_num_queries(budget) as captured:
        assert _page(client, name=name).status_code == 200
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_data(dataset, inspector, applicant, clerk, ministry, other_body,
                                                     django_assert_max_num_queries, committed, settings):
    from shagym.complaints import services
    from shagym.complaints.tests.factories import OrganisationFactory, ServiceFactory

    settings.SHAGYM_REPORTS_RANK_MIN = 1  # bodies ranked before and after: the same queries name them
    client = login(inspector)
    for name in ("bo-reports", "bo-reports-ranking"):
        client.get(reverse(name), DECEMBER)  # the menu's counts are cached after the first page
    before = {name: _queries(client, django_assert_max_num_queries, name) for name in ("bo-reports", "bo-reports-ranking")}
    with committed():
        for index in range(6):
            body = OrganisationFactory(territory=dataset.regions.district)
            service = ServiceFactory()
            data = complaint_input(reviewing_body=body, service=service)
            services.submit_complaint(actor=applicant, data=data,
                                      now=timezone.make_aware(dt.datetime(2026, 12, 1 + index, 10)))
    after = {name: _queries(client, django_assert_max_num_queries, name) for name in ("bo-reports", "bo-reports-ranking")}
    assert after == before


def test_every_report_table_exports_as_csv_and_xlsx(dataset, inspector):
    import zipfile

    client = login(inspector)
    for table in views.EXPORT_TABLES:
        response = client.get(reverse("bo-reports-export", args=[table, "csv"]), DECEMBER)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert len(list(csv.reader(io.StringIO(text)))) > 1
        response = client.get(reverse("bo-reports-export", args=[table, "xlsx"]), DECEMBER)
        assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
        with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as book:
            assert "xl/worksheets/sheet1.xml" in book.namelist()
    assert client.get(reverse("bo-reports-export", args=["secrets", "csv"])).status_code == 404


def test_the_list_exports_to_xlsx_with_formulas_neutralised(dataset, inspector, applicant, ministry, committed):
    import zipfile

    from shagym.complaints import services

    data = complaint_input(reviewing_body=ministry, surname="=HYPERLINK(\"http://x\")", first_name="@SUM(1)")
    services.submit_complaint(actor=applicant, data=data, now=timezone.make_aware(dt.datetime(2026, 12, 2, 10)))
    client = login(inspector)
    response = client.get(reverse("bo-export-xlsx"), {"q": "HYPERLINK"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
    assert "<f>" not in sheet  # no formula cell
    assert "'=HYPERLINK" in sheet + strings
    csv_text = b"".join(client.get(reverse("bo-export"), {"q": "HYPERLINK"}).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text


def test_search_keeps_its_old_parameters_and_refuses_junk(dataset, inspector):
    client = login(inspector)
    assert client.get(reverse("bo-search"), {"body": dataset.ministry.pk, "status": "decided"}).status_code == 200
    assert client.get(reverse("bo-search"), {"answer": "sometimes"}).status_code == 400
    assert client.get(reverse("bo-search"), {"reviewer": "x"}).status_code == 400
    params = dict(parse_qsl(f"reviewer={dataset.ministry.pk}&subordinates=on&tier=2"))
    assert _list_count(inspector, "/en/staff/search/?" + "&".join(f"{k}={v}" for k, v in params.items())) == 1
