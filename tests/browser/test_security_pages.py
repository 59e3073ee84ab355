"""Every kind of page under the strict Content-Security-Policy in Chromium: the portal's form, the back office, the
Django admin and the API docs (Swagger UI from our own files), and the two-factor set-up with its QR code. A refusal
on the console fails the test (conftest: _no_csp_violation); each page is also checked to work, not only to load."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from . import portal_setup
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)


def snap(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()


def test_portal_form_back_office_admin_and_api_docs_run_under_the_policy(live_server, browser: Browser,
                                                                        settings):
    settings.SHAGYM_2FA_REQUIRED_ROLES = ["administrator"]
    base = live_server.url
    users = portal_setup.reference()
    portal_setup.applicant()

    citizen = browser.new_context().new_page()
    sign_in(citizen, base, "dana@example.kz", portal_setup.PASSWORD)
    citizen.goto(f"{base}/en/complaint/new/")
    citizen.get_by_role("button", name="Start now").click()
    expect(citizen.locator("h1")).to_be_visible()
    citizen.goto(f"{base}/en/status/")
    citizen.goto(f"{base}/en/calendar/deadline/?addressee=central&received=2026-03-20")
    expect(citizen.locator(".result-panel")).to_be_visible()

    staff = browser.new_context().new_page()
    sign_in(staff, base, "demo-clerk", "demo-12345")
    for path in ("staff/", "staff/desk/", "staff/desk/new/", "staff/search/"):
        staff.goto(f"{base}/en/{path}")
        expect(staff.locator("main h1").first).to_be_visible()

    admin = browser.new_context().new_page()
    superuser = users["demo-admin"]
    TOTPDevice.objects.filter(user=superuser).delete()
    admin.goto(f"{base}/en/admin/login/")
    admin.fill("#id_username", "demo-admin")
    admin.fill("#id_password", "demo-12345")
    admin.locator("input[type=submit]").click()
    # The administrator must set up two-factor sign-in first (no waiver in the tests).
    expect(admin.locator("h1")).to_have_text("Set up two-factor sign-in")
    expect(admin.locator("figure.qr svg")).to_be_visible()
    snap(admin, "security-two-factor-setup")
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    admin.fill("#id_token", f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
    admin.get_by_role("button", name="Turn on").click()
    expect(admin.locator(".recovery-codes li")).to_have_count(10)
    for path in ("admin/", "admin/directory/organisation/", "admin/directory/calendaroverride/add/",
                 "admin/accounts/user/", "admin/complaints/complaint/"):
        admin.goto(f"{base}/en/{path}")
        expect(admin.locator("#content")).to_be_visible()
    snap(admin, "security-admin-under-csp")

    docs = browser.new_context().new_page()
    docs.goto(f"{base}/api/v1/docs")
    expect(docs.locator(".swagger-ui .info .title")).to_contain_text("Shagym API")
    snap(docs, "security-api-docs-under-csp")


def test_a_head_signs_in_with_the_code_from_the_app(live_server, page: Page, settings):
    settings.SHAGYM_2FA_REQUIRED_ROLES = ["head", "inspector", "administrator"]
    portal_setup.reference()
    base = live_server.url
    sign_in(page, base, "demo-head", "demo-12345")
    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")
    device = TOTPDevice.objects.get(user__username="demo-head", confirmed=False)
    page.fill("#id_token", f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
    page.get_by_role("button", name="Turn on").click()
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    page.get_by_role("button", name="Sign out").first.click()

    sign_in(page, base, "demo-head", "demo-12345")
    expect(page.locator("h1")).to_have_text("Two-factor sign-in")
    device.refresh_from_db()
    page.fill("#id_token", f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=1):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
