"""Issue 10: every path of the procedure works for a complaint filed during the test, with the demo users only, in
Kazakh. The applicant files on the portal; the akimat's office registers it, the head appoints the executor, who
extends the term (with the notice) and answers; the head signs and the answer is delivered to the cabinet. The
applicant disagrees and complains to the quality authority (choosing its Almaty department, with a document); the
inspector registers it there, takes it, reviews it and recommends; the akimat's head reports the execution and the
inspector confirms it. A second journey asks for missing content and the citizen uploads a file.

Every click is on a link or a button a person would use; selectors are names, ids and addresses, not words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from shagym.complaints.identifiers import make_iin
from shagym.complaints.models import Complaint, Recommendation
from shagym.complaints.states import Action, RecommendationState, State
from shagym.directory.models import Organisation, Service

from . import portal_setup
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)
DEMO_PASSWORD = "demo-12345"
POST = "main form[method=post] button[type=submit]"


def snap(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"two-tiers-{name}.png"), full_page=True)


def sign_in(browser: Browser, base: str, login: str, password: str, *, width: int = 1280) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/kk/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return context, page


def act(page: Page, base: str, complaint: Complaint, slug: str) -> None:
    """Open an action from the complaint's page, as the user would: the link of its next steps."""
    page.goto(f"{base}/kk/staff/complaints/{complaint.pk}/")
    page.locator(f"main a[href$='/do/{slug}/']").first.click()


def submit(page: Page) -> None:
    page.locator(POST).last.click()
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_have_count(0)


def file_on_the_portal(page: Page, base: str, body: Organisation, addressee: str, service: Service) -> Complaint:
    """The eight steps of the form, in Kazakh, with an attachment."""
    page.goto(f"{base}/kk/complaint/new/")
    page.locator("button[value=new]").click()
    page.check("input[name=applicant_kind][value=individual]")
    page.locator(POST).last.click()
    page.fill("#id_surname", "Нұрғалиева")
    page.fill("#id_first_name", "Дана")
    page.fill("#id_iin", make_iin(dt.date(1995, 6, 30), sex="f"))
    page.fill("#id_postal_address", "Алматы қ., Абай даңғылы, 150")
    page.fill("#id_phones", "8 701 555 12 34")
    page.locator(POST).last.click()
    page.fill("#id_q", "білім")
    page.locator("form[role=search] button").click()
    page.check(f"input[name=respondent][value='{body.pk}']")
    page.locator(POST).last.click()
    page.check("input[name=appealed_act][value=decision]")
    page.fill("#id_officials-0-position", "бөлім басшысы")
    page.fill("#id_officials-0-surname", "Жұмабаев")
    page.fill("#id_officials-0-initials", "Қ.Б.")
    page.locator(f"{POST}:not([value=add])").last.click()
    page.check(f"input[name=service][value='{service.pk}']")
    page.locator(POST).last.click()
    page.fill("#id_learned_on", (timezone.localdate() - dt.timedelta(days=5)).isoformat())
    page.fill("#id_circumstances", "Баланы балабақшаға кезекке қою туралы өтінішіме негізсіз бас тартылды.")
    page.fill("#id_reasons", "Барлық құжаттар толық тапсырылды.")
    page.fill("#id_demands", "Бас тартуды жойып, баланы кезекке қоюды сұраймын.")
    page.locator(POST).last.click()
    page.set_input_files("#id_files", files=[{"name": "бас-тарту.pdf", "mimeType": "application/pdf",
                                              "buffer": portal_setup.PDF}])
    page.locator("button[value=upload]").click()
    page.locator(f"{POST}:not([value=upload])").last.click()
    page.check(f"input[name=addressee][value='{addressee}']")
    page.locator(POST).last.click()
    page.locator("form[data-once] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kk/complaint/\d+/sent/$"))
    return Complaint.objects.order_by("-pk").first()


def test_a_new_complaint_goes_through_both_tiers_in_kazakh(live_server, browser: Browser):
    users = portal_setup.reference()
    portal_setup.applicant("dana@example.kz")
    base = live_server.url
    department = Organisation.objects.get(key="uo_almaty")
    akimat = Organisation.objects.get(key="akimat_almaty")
    almaty_office = Organisation.objects.get(key="adgs_almaty")
    queue = Service.objects.get(code="DEMO-14")

    # ---- The applicant files, on a phone, about the education department, to the akimat. ----------------------
    applicant_context, applicant = sign_in(browser, base, "dana@example.kz", portal_setup.PASSWORD, width=360)
    complaint = file_on_the_portal(applicant, base, department, f"akim:{akimat.pk}", queue)
    assert (complaint.reviewing_body, complaint.status, complaint.language) == (akimat, State.RECEIVED, "kk")
    snap(applicant, "01-filed")

    # ---- The akimat's office registers it from the desk. -------------------------------------------------------
    clerk_context, clerk = sign_in(browser, base, "demo-clerk", DEMO_PASSWORD)
    clerk.goto(f"{base}/kk/staff/desk/")
    clerk.locator(f"form[action$='/complaints/{complaint.pk}/do/register/'] button").click()
    complaint.refresh_from_db()
    assert complaint.status == State.REGISTERED and complaint.number
    snap(clerk, "02-registered")

    # ---- The head appoints the executor. ----------------------------------------------------------------------
    head_context, head = sign_in(browser, base, "demo-head", DEMO_PASSWORD)
    act(head, base, complaint, "assign")
    head.check(f"input[name=executor][value='{users['demo-executor'].pk}']")
    submit(head)
    complaint.refresh_from_db()
    assert complaint.status == State.UNDER_REVIEW and complaint.executor == users["demo-executor"]

    # ---- The executor extends the term, with the notice, and records that it was sent. -------------------------
    executor_context, executor = sign_in(browser, base, "demo-executor", DEMO_PASSWORD)
    act(executor, base, complaint, "extend")
    executor.fill("#id_days", "5")
    executor.check("input[name=ground][value=more_information]")
    executor.fill("#id_reasons", "Облыстық басқармадан қосымша ақпарат сұратылды.")
    submit(executor)
    complaint.refresh_from_db()
    assert complaint.status == State.EXTENDED and complaint.letters.filter(kind="extension").exists()
    snap(executor, "03-extended")
    act(executor, base, complaint, "extension-notice")
    submit(executor)
    complaint.refresh_from_db()
    assert complaint.extension_notice_sent_at is not None

    # ---- The executor answers; the head signs; the answer is delivered to the cabinet. ------------------------
    executor.goto(f"{base}/kk/staff/complaints/{complaint.pk}/answer/")
    executor.check("input[name=outcome][value=refuse]")
    executor.fill("#id_facts", "Өтініш 2026 жылы берілген, кезек нөмірі берілмеген.")
    executor.fill("#id_reasons", "Баланың жасы кезекке қоюға сәйкес келмейді (Заңның 5-бабы).")
    executor.fill("#id_legal_references", "«Мемлекеттік көрсетілетін қызметтер туралы» Заң, 5-бап")
    executor.locator("button[name=send]").click()
    complaint.refresh_from_db()
    assert complaint.status == State.AWAITING_SIGNATURE
    act(head, base, complaint, "sign")
    submit(head)
    complaint.refresh_from_db()
    assert complaint.status == State.DECIDED and complaint.letters.filter(kind="answer").exists()
    act(clerk, base, complaint, "deliver")
    expect(clerk.locator("input[name=method][value=electronic]")).to_be_checked()  # a portal complaint
    submit(clerk)
    complaint.refresh_from_db()
    assert complaint.status == State.ANSWER_DELIVERED
    applicant.goto(f"{base}/kk/cabinet/{complaint.pk}/")
    expect(applicant.locator(f"a[href$='/cabinet/{complaint.pk}/answer.pdf']")).to_be_visible()
    snap(applicant, "04-answer-delivered")

    # ---- The applicant complains to the quality authority, to its Almaty department, with a document. --------
    applicant.locator(f"a[href$='/cabinet/{complaint.pk}/quality-authority/']").click()
    expect(applicant.locator(f"input[name=authority][value='{almaty_office.pk}']")).to_be_checked()  # the regional one
    applicant.fill("#id_reasons", "Бас тарту негізсіз: балам 3 жаста, кезекке қоюға құқылы.")
    applicant.set_input_files("#id_files", files=[{"name": "туу-туралы-куәлік.pdf", "mimeType": "application/pdf",
                                                   "buffer": portal_setup.PDF}])
    snap(applicant, "05-second-tier-form")
    applicant.locator("form[data-once] button[type=submit]").click()
    expect(applicant).to_have_url(re.compile(r"/kk/complaint/\d+/sent/$"))
    second = Complaint.objects.get(parent=complaint)
    assert (second.reviewing_body, second.term_days, second.attachments.count()) == (almaty_office, 15, 1)

    # ---- The inspector (clerk, head and inspector of the department) registers, takes and reviews it. ---------
    inspector_context, inspector = sign_in(browser, base, "demo-inspector", DEMO_PASSWORD)
    inspector.goto(f"{base}/kk/staff/desk/")
    inspector.locator(f"form[action$='/complaints/{second.pk}/do/register/'] button").click()
    second.refresh_from_db()
    assert second.status == State.REGISTERED and second.holder == almaty_office
    act(inspector, base, second, "assign")
    inspector.check(f"input[name=executor][value='{users['demo-inspector'].pk}']")
    submit(inspector)
    second.refresh_from_db()
    assert second.status == State.UNDER_REVIEW
    inspector.goto(f"{base}/kk/staff/complaints/{second.pk}/")
    expect(inspector.locator("aside.first-tier")).to_contain_text(complaint.number)  # the first tier beside it
    snap(inspector, "06-second-tier-case")
    act(inspector, base, second, "recommend")
    inspector.select_option("#id_body", str(akimat.pk))
    inspector.fill("#id_text", "Өтінішті қайта қарап, баланы кезекке қою.")
    inspector.fill("#id_due_date", (timezone.localdate() + dt.timedelta(days=10)).isoformat())
    submit(inspector)
    recommendation = Recommendation.objects.get(complaint=second)
    assert recommendation.body == akimat and recommendation.status == RecommendationState.ISSUED

    # ---- The akimat's head reports the execution; the inspector confirms it. ---------------------------------
    head.goto(f"{base}/kk/staff/recommendations/")
    head.locator(f"a[href$='/recommendations/{recommendation.pk}/report/']").click()
    head.fill("#id_report", "Бала кезекке қойылды, хабарлама жіберілді.")
    submit(head)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationState.REPORTED
    inspector.goto(f"{base}/kk/staff/recommendations/")
    inspector.locator(f"a[href$='/recommendations/{recommendation.pk}/confirm/']").click()
    inspector.check("input[name=accepted][value=yes]")
    submit(inspector)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationState.EXECUTED
    snap(inspector, "07-recommendation-executed")

    # The applicant sees both tiers in the cabinet, in Kazakh.
    applicant.goto(f"{base}/kk/cabinet/{complaint.pk}/")
    expect(applicant.locator(".timeline")).to_contain_text(re.compile("уәкілетті орган", re.IGNORECASE))
    snap(applicant, "08-cabinet-both-tiers")
    assert list(second.events.values_list("action", flat=True)) == [
        Action.SUBMIT, Action.REGISTER, Action.ASSIGN, Action.RECOMMEND, Action.REPORT_EXECUTION,
        Action.CONFIRM_EXECUTION,
    ]
    for context in (applicant_context, clerk_context, head_context, executor_context, inspector_context):
        context.close()


def test_the_office_asks_for_missing_content_and_the_citizen_uploads_a_file(live_server, browser: Browser):
    portal_setup.reference()
    citizen = portal_setup.applicant("dana@example.kz")
    complaint = portal_setup.portal_complaint(citizen)
    base = live_server.url

    clerk_context, clerk = sign_in(browser, base, "demo-clerk", DEMO_PASSWORD)
    clerk.goto(f"{base}/kk/staff/desk/")
    clerk.locator(f"form[action$='/complaints/{complaint.pk}/do/register/'] button").click()
    act(clerk, base, complaint, "request-content")
    clerk.check("input[name=items][value=attachments]")
    clerk.fill("#id_other", "Бас тарту хатының көшірмесі.")
    submit(clerk)
    complaint.refresh_from_db()
    assert complaint.status == State.AWAITING_CONTENT

    applicant_context, applicant = sign_in(browser, base, "dana@example.kz", portal_setup.PASSWORD, width=360)
    applicant.goto(f"{base}/kk/cabinet/{complaint.pk}/")
    applicant.locator(f"a[href$='/cabinet/{complaint.pk}/supply/']").click()
    applicant.set_input_files("#id_files", files=[{"name": "бас-тарту-хаты.pdf", "mimeType": "application/pdf",
                                                   "buffer": portal_setup.PDF}])
    snap(applicant, "10-supply-with-a-file")
    applicant.locator("form[data-once] button[type=submit]").click()
    applicant.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == State.REGISTERED
    assert [a.name for a in complaint.attachments.all()] == ["бас-тарту-хаты.pdf"]

    # The clerk sees the file on the case and can open it.
    clerk.goto(f"{base}/kk/staff/complaints/{complaint.pk}/")
    link = clerk.locator("a[href*='/staff/attachments/']").first
    expect(link).to_contain_text("бас-тарту-хаты.pdf")
    assert clerk_context.request.get(base + link.get_attribute("href")).headers["content-type"] == "application/pdf"
    snap(clerk, "11-case-with-the-supplied-file")
    for context in (clerk_context, applicant_context):
        context.close()
