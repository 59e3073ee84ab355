"""The reports' dashboard and the open-data page in Chromium (issue 12): in Kazakh and Russian, read as an inspector on
the hand-built dataset; screenshots in test-artifacts/screenshots/reports-*.png; WCAG 2.1 AA as axe-core checks it;
no horizontal scroll on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, expect

from shagym.reports.tests import conftest as shared

from .test_backoffice_journey import PASSWORD, accessible, snap

pytestmark = pytest.mark.django_db(transaction=True)
dataset, regions, transfer_order = shared.dataset, shared.regions, shared.transfer_order


@pytest.fixture
def january():
    with time_machine.travel(timezone.make_aware(dt.datetime(2027, 1, 11, 12, 0)), tick=True):
        yield


def _signed_in(browser: Browser, base: str, username: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/staff/**")
    return context, page


@pytest.mark.parametrize("language,heading", [("kk", "Complaints received"), ("ru", "Complaints received")])
def test_the_dashboard_in_kazakh_and_russian(live_server, browser: Browser, dataset, inspector, january, language,
                                             heading):
    inspector.set_password(PASSWORD)
    inspector.save()
    context, page = _signed_in(browser, live_server.url, "inspector")
    page.goto(f"{live_server.url}/{language}/staff/reports/?start=2026-12&end=2026-12")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.locator(".figure").first).to_be_visible()
    snap(page, f"reports-dashboard-{language}")
    accessible(page)
    page.locator(".figure a").first.click()
    expect(page.locator("#results")).to_be_visible()
    page.goto(f"{live_server.url}/{language}/staff/reports/ranking/?start=2026-12&end=2026-12")
    snap(page, f"reports-ranking-{language}")
    accessible(page)
    phone = context.browser.new_context(viewport={"width": 360, "height": 780}) if context.browser else None
    if phone is not None:
        small = phone.new_page()
        small.context.add_cookies(context.cookies())
        small.goto(f"{live_server.url}/{language}/staff/reports/?start=2026-12&end=2026-12")
        assert small.evaluate("document.documentElement.scrollWidth") <= 360
        snap(small, f"reports-dashboard-{language}-phone")
    context.close()


def test_the_open_data_page(live_server, browser: Browser, dataset, january):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/kk/open-data/?from=2026-12&to=2026-12&region={dataset.regions.astana.pk}")
    expect(page.locator("a[rel=license]")).to_be_visible()
    snap(page, "reports-open-data-kk")
    accessible(page)
