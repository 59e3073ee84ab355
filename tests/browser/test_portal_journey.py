"""As a new user would: sign up, confirm the e-mail, file a complaint in Kazakh with an attachment, download the
talon, and see the status change after the office acts; and check a paper complaint by number and access code.
On a 360 px wide screen, with a screenshot of each step (test-artifacts/screenshots/portal-*.png).

Selectors use names and ids, not words, so the tests hold when the translations change."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from shagym.complaints import services
from shagym.complaints.codes import issue_access_code
from shagym.complaints.identifiers import make_iin
from shagym.complaints.models import Complaint
from shagym.complaints.public import STATUS
from shagym.complaints.states import State
from shagym.directory.models import Organisation, Service

from . import portal_setup
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

SUBMIT = "main form[method=post] button[type=submit]"


def _continue(page: Page) -> None:
    page.locator(f"{SUBMIT}:not([value=upload]):not([value=add])").last.click()


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def _label(state: State, language: str) -> str:
    with translation.override(language):
        return str(STATUS[state][0])


def test_new_applicant_files_a_complaint_in_kazakh_and_follows_it(live_server, page: Page, shot, tmp_path):
    users = portal_setup.reference()
    provider = Organisation.objects.get(key="uo_almaty")
    akimat = Organisation.objects.get(key="akimat_almaty")
    service = Service.objects.get(code="DEMO-14")
    page.set_viewport_size({"width": 360, "height": 780})
    base = f"{live_server.url}/kk"

    # 1. Home, then create an account.
    page.goto(f"{base}/")
    _fits(page)
    shot("portal-01-home")
    page.locator("nav a[href='/kk/accounts/signup/']").click()
    page.fill("#id_email", "aigerim@example.kz")
    page.fill("#id_password1", portal_setup.PASSWORD)
    page.fill("#id_password2", portal_setup.PASSWORD)
    shot("portal-02-signup")
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/kk/accounts/confirm-email/$"))
    shot("portal-03-check-your-email")

    # 2. Confirm the e-mail from the letter: signed in, in the cabinet.
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/kk/cabinet/$"))
    shot("portal-04-empty-cabinet")

    # 3. The complaint form, step by step.
    page.locator("main a[href='/kk/complaint/new/']").click()
    shot("portal-05-start")
    page.locator("button[value=new]").click()
    page.check("input[name=applicant_kind][value=individual]")
    _continue(page)
    _continue(page)  # nothing filled in: the error summary lists each field
    expect(page.locator(".error-summary")).to_be_visible()
    shot("portal-06-details-errors")
    page.fill("#id_surname", "Сейітова")
    page.fill("#id_first_name", "Әйгерім")
    page.fill("#id_iin", make_iin(dt.date(1992, 4, 8), sex="f"))
    page.fill("#id_postal_address", "Алматы қ., Сайран ы/а, 14, 3-пәтер")
    page.fill("#id_phones", "8 701 555 12 34")
    _continue(page)
    page.fill("#id_q", "білім")
    page.locator("form[role=search] button").click()
    page.check(f"input[name=respondent][value='{provider.pk}']")
    shot("portal-07-body-search")
    _continue(page)
    page.check("input[name=appealed_act][value=decision]")
    page.fill("#id_officials-0-position", "бөлім басшысы")
    page.fill("#id_officials-0-surname", "Жұмабаев")
    page.fill("#id_officials-0-initials", "Қ.Б.")
    page.locator("button[value=add]").click()
    expect(page.locator("#id_officials-1-position")).to_be_visible()
    shot("portal-08-officials")
    _continue(page)
    page.check(f"input[name=service][value='{service.pk}']")
    _continue(page)
    page.fill("#id_learned_on", (dt.date.today() - dt.timedelta(days=5)).isoformat())
    page.fill("#id_circumstances", "Баланы балабақшаға кезекке қою туралы өтінішіме негізсіз бас тартылды.")
    page.fill("#id_reasons", "Барлық құжаттар толық тапсырылды, бас тарту себебі көрсетілмеген.")
    page.fill("#id_demands", "Бас тартуды жойып, баланы кезекке қоюды сұраймын.")
    expect(page.locator("input[name=language][value=kk]")).to_be_checked()
    shot("portal-09-facts")
    _continue(page)
    pdf = tmp_path / "бас-тарту.pdf"
    pdf.write_bytes(portal_setup.PDF)
    page.set_input_files("#id_files", str(pdf))
    page.locator("button[value=upload]").click()
    expect(page.locator(".file-list")).to_contain_text("бас-тарту.pdf")
    shot("portal-10-attachments")
    _continue(page)
    page.check(f"input[name=addressee][value='akim:{akimat.pk}']")
    shot("portal-11-addressee")
    _continue(page)
    shot("portal-12-check-answers")
    _fits(page)
    page.locator("form[data-once] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kk/complaint/\d+/sent/$"))
    shot("portal-13-confirmation")
    complaint = Complaint.objects.get()
    assert complaint.language == "kk" and complaint.status == State.RECEIVED
    assert complaint.attachments.get().content_type == "application/pdf"
    assert complaint.reviewing_body == akimat and complaint.respondent == provider

    # 4. The talon, as a PDF with Kazakh letters.
    with page.expect_download() as download:
        page.locator("a[href$='talon.pdf']").first.click()
    talon = tmp_path / "talon.pdf"
    download.value.save_as(talon)
    text = subprocess.run(["pdftotext", str(talon), "-"], capture_output=True, text=True, check=True).stdout
    assert "Алматы қаласының әкімдігі" in text and "Сейітова Әйгерім" in text
    # The talon as a picture beside the screenshots, to look at.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(talon), str(SCREENSHOTS / "portal-13-talon")],
                   check=True)

    # 5. The office registers it and the head appoints an executor: the cabinet shows each step.
    page.locator(f"a[href$='/cabinet/{complaint.pk}/']").first.click()
    expect(page.locator(".big-tag")).to_have_text(_label(State.RECEIVED, "kk"))
    services.register_complaint(actor=users["demo-clerk"], complaint=complaint)
    complaint.refresh_from_db()
    page.reload()
    expect(page.locator(".big-tag")).to_have_text(_label(State.REGISTERED, "kk"))
    expect(page.locator("h1")).to_contain_text(complaint.number)
    shot("portal-14-registered")
    services.assign_executor(actor=users["demo-head"], complaint=complaint, executor=users["demo-executor"])
    page.reload()
    expect(page.locator(".big-tag")).to_have_text(_label(State.UNDER_REVIEW, "kk"))
    expect(page.locator(".timeline")).not_to_contain_text(users["demo-executor"].last_name)
    shot("portal-15-in-execution")
    _fits(page)
    page.goto(f"{base}/cabinet/")
    expect(page.locator(".complaint-list")).to_contain_text(complaint.number)
    shot("portal-16-my-complaints")


def test_paper_complaint_status_by_number_and_code(live_server, page: Page, shot):
    users = portal_setup.reference()
    complaint = portal_setup.paper_complaint(users["demo-clerk"], language="ru")
    code = issue_access_code(complaint)
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/ru/status/")
    page.fill("#id_number", complaint.number)
    page.fill("#id_code", "ABCD-EFGH")
    page.locator(SUBMIT).click()
    expect(page.locator(".error-summary")).to_be_visible()
    with translation.override("ru"):
        expect(page.locator(".error-summary")).to_contain_text(
            gettext("The number or the access code is wrong. Check both on the talon and try again."))
    shot("portal-20-status-wrong-code")
    page.fill("#id_code", code.lower())
    page.locator(SUBMIT).click()
    expect(page.locator("h1")).to_contain_text(complaint.number)
    expect(page.locator(".big-tag")).to_have_text(_label(State.REGISTERED, "ru"))
    expect(page.locator("main")).not_to_contain_text("Иванова")
    _fits(page)
    shot("portal-21-status-found")
