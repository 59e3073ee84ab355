"""A visitor computes a deadline across Nauryz 2026 on a phone-sized screen, in Russian."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_deadline_calculator_explains_nauryz(live_server, page: Page, shot):
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/ru/calendar/deadline/")
    page.get_by_role("button", name="Calculate").or_(page.get_by_role("button", name="Рассчитать")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    page.locator("#id_addressee_2").check()  # a ministry: 5 working days
    page.locator("#id_received").fill("2026-03-20")
    page.get_by_role("button", name="Calculate").or_(page.get_by_role("button", name="Рассчитать")).click()
    expect(page.locator(".big")).to_contain_text("2026")
    expect(page.locator(".big")).to_contain_text("1")
    expect(page.locator("time[datetime='2026-03-24']")).to_be_visible()
    shot("calculator-nauryz-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
