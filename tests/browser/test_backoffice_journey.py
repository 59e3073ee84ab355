"""One paper complaint end to end through the back office: the clerk registers it (post, postmark date), the head
appoints the executor, the executor extends the term and answers, the head signs, the clerk records the delivery.
At each step we check what the applicant sees: the complaint's status and history (ORM) and the portal's status
page, opened with the number and the access code printed on the talon."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from shagym.complaints.identifiers import make_iin
from shagym.complaints.models import Complaint
from shagym.complaints.states import Action, State
from shagym.complaints.tests.factories import OrganisationFactory, ServiceFactory, UserFactory, member
from shagym.directory.models import OrganisationKind
from shagym.directory.roles import Role

from .conftest import CHROMIUM_ARGS, SCREENSHOTS  # noqa: F401 - the same screenshot folder as `shot`

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "pass-12345"


@pytest.fixture
def ministry_staff(db):
    ministry = OrganisationFactory(key="minjust", kind=OrganisationKind.CENTRAL, name_en="Ministry of Justice",
                                   address_ru="г. Астана, пр. Мангилик Ел, 8")
    service = ServiceFactory(name_en="Certificate of no criminal record")
    service.providers.add(ministry)
    people = {}
    for username, first, last, position, role in (
        ("clerk", "Жанар", "Омарова", "office specialist", Role.CLERK),
        ("head", "Серік", "Бекенов", "deputy head", Role.HEAD),
        ("executor", "Айгүл", "Сейітова", "chief specialist", Role.EXECUTOR),
    ):
        user = UserFactory(username=username, first_name=first, last_name=last, position=position)
        people[username] = member(user, ministry, role)
    return ministry, people


def snap(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def signed_in(browser: Browser, base: str, username: str, *, width: int = 1280) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto(f"{base}/en/staff/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    return context, page


def accessible(page: Page) -> None:
    """WCAG 2.1 AA as axe-core checks it: no violations on the page as it is now."""
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Back office").get_by_role("link", name=name).click()


def pdf_text(content: bytes) -> str:
    # One line: pdftotext wraps long lines where the PDF does.
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


class Applicant:
    """What the applicant of a paper complaint can see: the status page with the talon's number and code."""

    def __init__(self, browser: Browser, base: str):
        self.page = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
        self.base = base
        self.number = self.code = ""

    def sees(self, status: str, shot: str) -> None:
        self.page.goto(f"{self.base}/en/status/?number={self.number}&code={self.code}")
        expect(self.page.locator(".big-tag")).to_have_text(status)
        snap(self.page, f"backoffice-applicant-{shot}")
        assert self.page.evaluate("document.documentElement.scrollWidth") <= 360


def the_complaint() -> Complaint:
    return Complaint.objects.get()


def test_paper_complaint_end_to_end(live_server, browser: Browser, ministry_staff):
    base = live_server.url
    _ministry, people = ministry_staff
    applicant = Applicant(browser, base)
    today = timezone.localdate()

    # ---- 1. The clerk registers a complaint that came by post. ----------------------------------------------------
    clerk_context, clerk = signed_in(browser, base, "clerk")
    nav(clerk, "Registration desk")
    clerk.get_by_role("link", name="Register a paper complaint").first.click()
    clerk.get_by_label("by post").check()
    clerk.fill("#id_postmark_date", (today - dt.timedelta(days=2)).isoformat())
    clerk.get_by_label("Russian", exact=True).check()
    clerk.fill("#id_surname", "Иванова")
    clerk.fill("#id_first_name", "Ольга")
    clerk.fill("#id_patronymic", "Петровна")
    clerk.fill("#id_iin", "790102400000")  # a wrong check digit first
    clerk.fill("#id_postal_address", "г. Астана, ул. Кенесары, 1, кв. 2")
    clerk.fill("#id_phones", "+7 701 123 45 67")
    clerk.select_option("#id_addressee_kind", "central")
    clerk.select_option("#id_service", label="Certificate of no criminal record")
    clerk.get_by_label("decision", exact=True).check()
    clerk.fill("#id_learned_on", (today - dt.timedelta(days=10)).isoformat())
    clerk.fill("#id_official_1_position", "начальник отдела")
    clerk.fill("#id_official_1_surname", "Касымов")
    clerk.fill("#id_official_1_initials", "Б.Т.")
    clerk.fill("#id_circumstances", "Справка о несудимости не выдана в срок.")
    clerk.fill("#id_reasons", "Все документы были поданы.")
    clerk.fill("#id_demands", "Выдать справку.")
    clerk.get_by_role("button", name="Register and print the talon").click()
    expect(clerk.locator(".error-summary")).to_be_visible()
    expect(clerk.locator(".error-summary")).to_contain_text("check digit")
    snap(clerk, "backoffice-intake-error")
    accessible(clerk)
    assert not Complaint.objects.exists()  # bad input changes nothing
    clerk.fill("#id_iin", make_iin(dt.date(1979, 1, 2), sex="f"))
    clerk.set_input_files("#id_attachments", files=[{"name": "complaint-scan.pdf", "mimeType": "application/pdf",
                                                      "buffer": b"%PDF-1.4 scanned complaint"}])
    clerk.get_by_role("button", name="Register and print the talon").click()
    expect(clerk.locator(".notice")).to_contain_text("registered")
    complaint = the_complaint()
    assert complaint.status == State.REGISTERED and complaint.channel == "post"
    assert complaint.postmark_date == today - dt.timedelta(days=2)
    expect(clerk.get_by_role("heading", level=1)).to_contain_text(complaint.number)
    expect(clerk.locator(".stamp-text")).to_contain_text(complaint.number)
    snap(clerk, "backoffice-case-registered")
    talon = clerk_context.request.get(f"{base}/en/staff/complaints/{complaint.pk}/talon/")
    assert talon.headers["content-type"] == "application/pdf"
    text = pdf_text(talon.body())
    assert complaint.number in text and "Омарова Ж." in text
    applicant.number = complaint.number
    applicant.code = re.search(r"\b([2-9A-Z]{4}-[2-9A-Z]{4})\b", text).group(1)
    applicant.sees("registered", "1-registered")

    # ---- 2. The head appoints the executor. ------------------------------------------------------------------------
    head_context, head = signed_in(browser, base, "head")
    nav(head, "Head's inbox")
    expect(head.locator("#sec-unassigned + p + .table-wrap")).to_contain_text(complaint.number)
    snap(head, "backoffice-inbox")
    accessible(head)
    head.get_by_role("link", name=f"Appoint {complaint.number}").click()
    head.get_by_label(re.compile("Сейітова")).check()
    head.get_by_role("button", name="Appoint").click()
    expect(head.locator(".notice")).to_contain_text("Executor appointed")
    complaint.refresh_from_db()
    assert complaint.status == State.UNDER_REVIEW and complaint.executor == people["executor"]
    applicant.sees("in execution", "2-in-execution")

    # ---- 3. The executor, on a phone, extends the term and sends the notice. ---------------------------------------
    executor_context, executor = signed_in(browser, base, "executor", width=360)
    nav(executor, "My complaints")
    expect(executor.locator("table.queue")).to_contain_text(complaint.number)
    snap(executor, "backoffice-mine-360")
    assert executor.evaluate("document.documentElement.scrollWidth") <= 360
    executor.get_by_role("link", name=complaint.number, exact=True).click()
    executor.get_by_role("link", name="Extend the review term").click()
    executor.fill("#id_days", "5")
    executor.get_by_label("obtaining additional information").check()
    executor.fill("#id_reasons", "Запрошены сведения в Комитете правовой статистики.")
    executor.get_by_role("button", name="Extend and produce the notice").click()
    expect(executor.locator(".notice")).to_contain_text("extended")
    complaint.refresh_from_db()
    assert complaint.status == State.EXTENDED and complaint.extension_days == 5
    notice = complaint.letters.get(kind="extension")
    assert "Комитете правовой статистики" in pdf_text(bytes(notice.pdf))
    snap(executor, "backoffice-case-extended-360")
    accessible(executor)
    assert executor.evaluate("document.documentElement.scrollWidth") <= 360
    executor.get_by_role("link", name="Record that the extension notice was sent").click()
    executor.get_by_label("by post").check()
    executor.get_by_role("button", name="Record").click()
    complaint.refresh_from_db()
    assert complaint.extension_notice_sent_at is not None
    applicant.sees("in execution, term extended", "3-extended")

    # ---- 4. The executor drafts the reasoned answer and sends it for signature. ----------------------------------
    executor.get_by_role("link", name="Draft the reasoned answer").click()
    executor.get_by_label("perform the action").check()
    executor.fill("#id_facts", "Заявление подано 12.10.2026; справка не выдана.")
    executor.fill("#id_reasons", "Срок оказания услуги нарушен; справка выдается в течение 1 рабочего дня.")
    executor.fill("#id_legal_references", "Закон «О государственных услугах», ст. 25; АППК, ст. 100")
    executor.get_by_role("button", name="Save the draft").click()
    expect(executor.locator(".notice")).to_contain_text("Draft saved")
    executor.get_by_role("button", name="Send to the head for signature").click()
    expect(executor.locator(".notice")).to_contain_text("sent to the head")
    complaint.refresh_from_db()
    assert complaint.status == State.AWAITING_SIGNATURE
    applicant.sees("in execution", "4-awaiting-signature")  # internal steps are not shown to the applicant

    # ---- 5. The head reads and signs. ----------------------------------------------------------------------------
    nav(head, "Head's inbox")
    head.get_by_role("link", name=f"Review and sign {complaint.number}").click()
    expect(head.locator(".answer-review")).to_contain_text("Срок оказания услуги нарушен")
    snap(head, "backoffice-sign")
    head.get_by_role("button", name="Sign", exact=True).click()
    expect(head.locator(".notice")).to_contain_text("signed")
    complaint.refresh_from_db()
    assert complaint.status == State.DECIDED and complaint.signed_by == people["head"]
    answer = complaint.letters.get(kind="answer")
    answer_text = pdf_text(bytes(answer.pdf))
    assert "Срок оказания услуги нарушен" in answer_text and "136" in answer_text
    applicant.sees("result of review: decision taken", "5-decided")

    # ---- 6. The clerk records the delivery by post. ---------------------------------------------------------------
    nav(clerk, "Registration desk")
    clerk.get_by_role("link", name=f"Record delivery {complaint.number}").click()
    expect(clerk.get_by_label("by post")).to_be_checked()  # a paper complaint is answered in writing
    clerk.get_by_role("button", name="Record the delivery").click()
    complaint.refresh_from_db()
    assert complaint.status == State.ANSWER_DELIVERED and complaint.delivered_on == today
    snap(clerk, "backoffice-case-delivered")
    applicant.sees("result of review: answer delivered", "6-delivered")
    assert list(complaint.events.values_list("action", flat=True)) == [
        Action.SUBMIT, Action.REGISTER, Action.ASSIGN, Action.EXTEND, Action.RECORD_EXTENSION_NOTICE,
        Action.PROPOSE_DECISION, Action.SIGN_DECISION, Action.DELIVER_ANSWER,
    ]
    for context in (clerk_context, head_context, executor_context):
        context.close()
