"""Signatures the law recognises, in the browser: the applicant signs the complaint through NCALayer's protocol (the
test double on loopback, keys of a CA made in the test), the head signs the answer the same way, the applicant
downloads it and the verification page confirms it; a tampered copy and a signature with another person's IIN are
refused with clear messages. Screenshots: test-artifacts/screenshots/signatures-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils.translation import gettext, override
from playwright.sync_api import Browser, Page, expect

from shagym.complaints import services
from shagym.complaints.identifiers import make_bin, make_iin
from shagym.complaints.models import Complaint, Signature
from shagym.complaints.states import State
from shagym.directory.models import Organisation, Service
from shagym.documents.models import Document, Letter
from shagym.signatures import ncalayer_double
from shagym.signatures.verify import Outcome

from . import portal_setup
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

SUBMIT = "main form[method=post] button[type=submit]"
IIN = make_iin(dt.date(1992, 4, 8), sex="f")
AKIMAT_BIN = make_bin(1998, 7, serial=31)


def snap(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"signatures-{name}.png"), full_page=True)


@pytest.fixture
def world(settings, trusted, sealed):
    """The demo's bodies and staff, the signature required (the seeds), the test CA trusted, the akimat's seal, and
    the NCALayer double minting keys of the test CA for the IIN or BIN the page asks for."""
    users = portal_setup.reference()
    akimat = Organisation.objects.get(key="akimat_almaty")
    akimat.bin = AKIMAT_BIN
    akimat.save()
    sealed.add(akimat)
    settings.SHAGYM_APPLICANT_SIGNATURE = "required"
    settings.SHAGYM_ANSWER_SIGNATURE = "required"
    double = ncalayer_double.start_in_thread(ncalayer_double.Keys(ca=trusted.intermediate))
    settings.SHAGYM_NCALAYER_URL = double.url
    yield users, akimat, double
    double.stop()


def _continue(page: Page) -> None:
    page.locator(f"{SUBMIT}:not([value=upload]):not([value=add])").last.click()


def fill_in_the_complaint(page: Page, base: str, tmp_path, akimat: Organisation) -> None:
    """The applicant, signed in, answers every step up to the check page."""
    provider = Organisation.objects.get(key="uo_almaty")
    service = Service.objects.get(code="DEMO-14")
    page.goto(f"{base}/kk/complaint/new/")
    page.locator("button[value=new]").click()
    page.check("input[name=applicant_kind][value=individual]")
    _continue(page)
    page.fill("#id_surname", "Сейітова")
    page.fill("#id_first_name", "Әйгерім")
    page.fill("#id_iin", IIN)
    page.fill("#id_postal_address", "Алматы қ., Сайран ы/а, 14, 3-пәтер")
    _continue(page)
    page.fill("#id_q", "білім")
    page.locator("form[role=search] button").click()
    page.check(f"input[name=respondent][value='{provider.pk}']")
    _continue(page)
    page.check("input[name=appealed_act][value=decision]")
    page.fill("#id_officials-0-position", "бөлім басшысы")
    page.fill("#id_officials-0-surname", "Жұмабаев")
    page.fill("#id_officials-0-initials", "Қ.Б.")
    _continue(page)
    page.check(f"input[name=service][value='{service.pk}']")
    _continue(page)
    page.fill("#id_learned_on", (dt.date.today() - dt.timedelta(days=5)).isoformat())
    page.fill("#id_circumstances", "Баланы балабақшаға кезекке қою туралы өтінішіме негізсіз бас тартылды.")
    page.fill("#id_reasons", "Барлық құжаттар толық тапсырылды.")
    page.fill("#id_demands", "Бас тартуды жойып, баланы кезекке қоюды сұраймын.")
    _continue(page)
    pdf = tmp_path / "бас-тарту.pdf"
    pdf.write_bytes(portal_setup.PDF)
    page.set_input_files("#id_files", str(pdf))
    page.locator("button[value=upload]").click()
    _continue(page)
    page.check(f"input[name=addressee][value='akim:{akimat.pk}']")
    _continue(page)
    expect(page.locator("[data-ncalayer]")).to_be_visible()


def sign_in(page: Page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()


def test_applicant_signs_the_complaint_head_signs_the_answer_and_the_copy_is_verified(
        live_server, browser: Browser, world, tmp_path):
    users, akimat, double = world
    base = live_server.url
    portal_setup.applicant("aigerim@example.kz")

    # 1. The applicant fills in the complaint and signs it with NCALayer on the check page.
    applicant = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
    sign_in(applicant, base, "aigerim@example.kz", portal_setup.PASSWORD)
    fill_in_the_complaint(applicant, base, tmp_path, akimat)
    snap(applicant, "1-check-and-sign")
    applicant.locator("[data-sign-button]").click()
    expect(applicant).to_have_url(re.compile(r"/kk/complaint/\d+/sent/$"), timeout=20000)
    snap(applicant, "2-sent")
    complaint = Complaint.objects.get()
    filing = complaint.events.get(action="submit")
    assert filing.payload.signed == "digital"
    assert filing.signature.iin == IIN and filing.signature.outcome == Outcome.VALID
    request = double.keys.log[-1]
    assert request["module"] == "kz.gov.pki.knca.basics" and request["args"]["signerParams"]["iin"] == IIN

    # 2. The office registers it, the head takes the review, the answer is drafted (the desk's own journey tests
    # cover these pages), then the head signs the answer in the browser.
    head_user = users["demo-head"]
    services.register_complaint(actor=users["demo-clerk"], complaint=complaint)
    services.assign_executor(actor=head_user, complaint=complaint, executor=users["demo-executor"])
    services.propose_decision(actor=users["demo-executor"], complaint=complaint, outcome="perform",
                              reasons="Өтініш толық, бала кезекке қойылды.", legal_references="Заң, 25-бап")
    head = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(head, base, "demo-head", "demo-12345")
    head.goto(f"{base}/en/staff/complaints/{complaint.pk}/do/sign/")
    expect(head.locator("[data-ncalayer]")).to_be_visible()
    snap(head, "3-head-signs")
    head.locator("[data-sign-button]").click()
    expect(head.locator(".notice").first).to_contain_text("signed", timeout=20000)
    complaint.refresh_from_db()
    assert complaint.status == State.DECIDED
    answer_signature = Signature.objects.get(purpose=Signature.Purpose.ANSWER)
    assert answer_signature.bin == AKIMAT_BIN
    assert double.keys.log[-1]["args"]["signerParams"]["bin"] == AKIMAT_BIN
    head.goto(f"{base}/en/staff/complaints/{complaint.pk}/")
    expect(head.locator("#history-title + .timeline")).to_contain_text(answer_signature.signer_name)
    snap(head, "3a-case-history")

    # 3. Delivered to the cabinet; the applicant downloads it: the bytes the head signed, sealed by the akimat.
    services.deliver_answer(actor=users["demo-clerk"], complaint=complaint, method="electronic")
    applicant.goto(f"{base}/kk/cabinet/{complaint.pk}/")
    with applicant.expect_download() as download:
        applicant.locator("a[href$='answer.pdf']").first.click()
    answer = tmp_path / "answer.pdf"
    download.value.save_as(answer)
    issued = answer.read_bytes()
    letter = Letter.objects.get(kind=Letter.Kind.ANSWER)
    assert issued == bytes(letter.pdf) and issued.startswith(bytes(answer_signature.content))

    # 4. The verification page confirms it: by the file, and by the number its QR code opens.
    applicant.goto(f"{base}/kk/verify/")
    snap(applicant, "4a-verify-form")
    applicant.set_input_files("#id_file", str(answer))
    applicant.locator(SUBMIT).click()
    expect(applicant.locator("[data-verdict]")).to_have_attribute("data-verdict", "original")
    expect(applicant.locator("[data-signer]")).to_contain_text(answer_signature.signer_name)
    snap(applicant, "4-verified-original")
    document = Document.objects.get(kind=Document.Kind.ANSWER)
    applicant.goto(f"{base}/kk/verify/{document.number}/")
    expect(applicant.locator("[data-number]")).to_have_text(document.number)

    # 5. A copy changed by one byte is refused, with words that say so.
    tampered = bytearray(issued)
    position = tampered.index(b"stream", 200) + 40
    tampered[position] ^= 0x01
    altered = tmp_path / "answer-altered.pdf"
    altered.write_bytes(bytes(tampered))
    applicant.goto(f"{base}/kk/verify/")
    applicant.set_input_files("#id_file", str(altered))
    applicant.locator(SUBMIT).click()
    expect(applicant.locator("[data-verdict]")).to_have_attribute("data-verdict", "altered")
    with override("kk"):
        expect(applicant.locator("[data-verdict]")).to_contain_text(gettext(
            "This file was altered after it was issued: it is not the original and proves nothing. Ask the body for "
            "the original, or download it again from your cabinet."))
    snap(applicant, "5-verified-altered")


def test_a_signature_with_another_persons_iin_is_refused(live_server, browser: Browser, world, tmp_path, trusted):
    _, akimat, double = world
    someone_else = trusted.person("770707300999", surname="Басқа", first_name="Адам")
    double.keys.fixed = someone_else  # the person chose a key that is not theirs
    base = live_server.url
    portal_setup.applicant("aigerim@example.kz")
    page = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
    sign_in(page, base, "aigerim@example.kz", portal_setup.PASSWORD)
    fill_in_the_complaint(page, base, tmp_path, akimat)
    page.locator("[data-sign-button]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible(timeout=20000)
    expect(summary).to_contain_text("770707300999")
    expect(summary).to_contain_text(IIN)
    snap(page, "6-wrong-iin-refused")
    assert not Complaint.objects.exists()


def test_without_ncalayer_the_page_says_how_to_get_it(live_server, browser: Browser, world, tmp_path, settings):
    _, akimat, double = world
    double.stop()
    base = live_server.url
    portal_setup.applicant("aigerim@example.kz")
    page = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
    sign_in(page, base, "aigerim@example.kz", portal_setup.PASSWORD)
    fill_in_the_complaint(page, base, tmp_path, akimat)
    page.locator("[data-sign-button]").click()
    status = page.locator("[data-sign-status]")
    expect(status).to_have_class(re.compile("is-error"), timeout=15000)
    expect(page.locator("[data-sign-help]")).to_have_attribute("open", "")
    snap(page, "7-no-ncalayer")
    assert not Complaint.objects.exists()
