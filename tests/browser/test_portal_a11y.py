"""An axe-core scan of every portal page, as a visitor and as a signed-in applicant, on a 360 px wide screen:
no serious or critical violations, and nothing wider than the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from shagym.complaints import services
from shagym.complaints.codes import issue_access_code
from shagym.complaints.identifiers import make_iin
from shagym.complaints.states import Outcome
from shagym.directory.models import Organisation, Service

from . import portal_setup

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Axe()
SUBMIT = "main form[method=post] button[type=submit]"


def _scan(page: Page, label: str, problems: list[str]) -> None:
    page.wait_for_load_state("load")
    try:
        results = AXE.run(page)
    except Exception as exc:
        raise AssertionError(f"{label}: axe could not run on {page.url}") from exc
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{label}: {violation['id']} ({violation['impact']}) {targets}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 360:
        problems.append(f"{label}: {width} px wide at 360")


def _visit(page: Page, url: str, label: str, problems: list[str]) -> None:
    page.goto(url)
    _scan(page, label, problems)


def _continue(page: Page) -> None:
    page.locator(f"{SUBMIT}:not([value=upload]):not([value=add])").last.click()


def test_every_portal_page_passes_axe_at_360px(live_server, page: Page):
    users = portal_setup.reference()
    applicant = portal_setup.applicant()
    clerk, head, executor = users["demo-clerk"], users["demo-head"], users["demo-executor"]
    paper = portal_setup.paper_complaint(clerk)
    code = issue_access_code(paper)
    delivered = portal_setup.portal_complaint(applicant)
    registered = services.register_complaint(actor=clerk, complaint=portal_setup.portal_complaint(applicant)).complaint
    asked = services.register_complaint(actor=clerk, complaint=portal_setup.portal_complaint(applicant, language="ru")).complaint
    services.request_content(actor=clerk, complaint=asked, missing="Шешімнің көшірмесі")
    answered = services.register_complaint(actor=clerk, complaint=portal_setup.portal_complaint(applicant)).complaint
    services.assign_executor(actor=head, complaint=answered, executor=executor)
    services.extend_term(actor=executor, complaint=answered, days=3, ground="more_information",
                         reasons="Қосымша ақпарат сұратылды.")
    services.propose_decision(actor=executor, complaint=answered, outcome=Outcome.REFUSE, reasons="Заңның 5-бабы.")
    services.sign_decision(actor=head, complaint=answered)
    services.deliver_answer(actor=clerk, complaint=answered, method="electronic")

    page.set_viewport_size({"width": 360, "height": 780})
    base = live_server.url
    problems: list[str] = []

    # A visitor.
    for path, label in [("/kk/", "home kk"), ("/ru/help/", "help ru"), ("/en/status/", "status en"),
                        ("/kk/calendar/deadline/", "calculator"), ("/kk/accounts/signup/", "signup"),
                        ("/ru/accounts/password/reset/", "password reset"), ("/kk/accounts/login/", "login")]:
        _visit(page, base + path, label, problems)
    page.locator(SUBMIT).click()
    _scan(page, "login with errors", problems)
    _visit(page, base + "/ru/status/", "status", problems)
    page.locator(SUBMIT).click()
    _scan(page, "status with errors", problems)
    page.fill("#id_number", paper.number)
    page.fill("#id_code", code)
    page.locator(SUBMIT).click()
    _scan(page, "status found", problems)

    # The applicant signs in.
    page.goto(base + "/kk/accounts/login/")
    page.fill("#id_login", applicant.email)
    page.fill("#id_password", portal_setup.PASSWORD)
    page.locator(SUBMIT).click()
    _scan(page, "cabinet", problems)
    for complaint, label in [(delivered, "delivered"), (registered, "registered"), (asked, "asked for content"),
                             (answered, "answered")]:
        _visit(page, f"{base}/kk/cabinet/{complaint.pk}/", f"complaint {label}", problems)
    _visit(page, f"{base}/kk/cabinet/{registered.pk}/withdraw/", "withdraw", problems)
    page.locator(SUBMIT).click()
    _scan(page, "withdraw with errors", problems)
    _visit(page, f"{base}/ru/cabinet/{asked.pk}/supply/", "supply", problems)
    _visit(page, f"{base}/kk/cabinet/{answered.pk}/quality-authority/", "second tier", problems)
    page.locator(SUBMIT).click()
    _scan(page, "second tier with errors", problems)

    # The complaint form, each step, with its errors.
    _visit(page, f"{base}/kk/complaint/new/", "start", problems)
    page.locator("button[value=new]").click()
    _continue(page)
    _scan(page, "who with errors", problems)
    page.check("input[name=applicant_kind][value=individual]")
    _continue(page)
    page.fill("#id_iin", "123")
    page.fill("#id_phones", "123")
    _continue(page)
    _scan(page, "details with errors", problems)
    page.fill("#id_surname", "Нұрғалиева")
    page.fill("#id_first_name", "Дана")
    page.fill("#id_iin", make_iin(dt.date(1995, 6, 30), sex="f"))
    page.fill("#id_phones", "")
    page.fill("#id_postal_address", "Алматы қ.")
    _continue(page)
    _scan(page, "body", problems)
    page.fill("#id_q", "білім")
    page.locator("form[role=search] button").click()
    _continue(page)
    _scan(page, "body with errors", problems)
    page.check(f"input[name=respondent][value='{Organisation.objects.get(key='uo_almaty').pk}']")
    _continue(page)
    page.locator("button[value=add]").click()
    _continue(page)
    _scan(page, "officials with errors", problems)
    page.check("input[name=appealed_act][value=inaction]")
    page.fill("#id_officials-0-position", "")
    _continue(page)
    _continue(page)
    _scan(page, "service with errors", problems)
    page.check(f"input[name=service][value='{Service.objects.get(code='DEMO-14').pk}']")
    _continue(page)
    page.fill("#id_learned_on", (dt.date.today() - dt.timedelta(days=200)).isoformat())
    _continue(page)
    _scan(page, "facts with errors", problems)
    page.fill("#id_circumstances", "Бас тартылды.")
    page.fill("#id_reasons", "Негізсіз.")
    page.fill("#id_demands", "Қайта қарау.")
    _continue(page)
    _scan(page, "facts: late warning", problems)
    _continue(page)
    page.set_input_files("#id_files", files=[{"name": "x.pdf", "mimeType": "application/pdf", "buffer": b"nope"}])
    page.locator("button[value=upload]").click()
    _scan(page, "attachments with errors", problems)
    _continue(page)
    _continue(page)
    _scan(page, "addressee with errors", problems)
    page.locator("input[name=addressee]").first.check()
    _continue(page)
    _scan(page, "check your answers", problems)
    page.locator("form[data-once] button[type=submit]").click()
    _scan(page, "confirmation", problems)

    assert not problems, "\n".join(problems)
