"""Issue 10: the dead ends a new user met in the back office, each tried the way they met it."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shagym.complaints import services
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import Action, State
from shagym.complaints.tests.factories import OrganisationFactory, UserFactory, complaint_input, member
from shagym.directory.models import CalendarOverride, OrganisationKind
from shagym.directory.roles import Role
from shagym.documents.models import Letter

from .conftest import login
from .test_views import intake_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def body_without_executors(db):
    """A department with a clerk and a head only, as the Almaty education department in the demo."""
    department = OrganisationFactory(key="department", kind=OrganisationKind.PROVIDER)
    clerk = member(UserFactory(username="d_clerk"), department, Role.CLERK)
    head = member(UserFactory(username="d_head", first_name="Серік", last_name="Бекенов"), department, Role.HEAD)
    return department, clerk, head


def test_a_body_without_executors_says_so_and_its_head_may_take_the_complaint(applicant, body_without_executors, now):
    department, clerk, head = body_without_executors
    complaint = services.submit_complaint(actor=applicant, data=complaint_input(
        reviewing_body=department, addressee_kind="provider_head"), now=now).complaint
    services.register_complaint(actor=clerk, complaint=complaint, now=now)

    page = login(head).get(reverse("bo-action", args=[complaint.pk, "assign"])).content.decode()
    assert "This body has no executor in Shagym yet." in page
    assert "You may review the complaint yourself" in page
    assert f'value="{head.pk}"' in page  # the head can choose himself

    response = login(head).post(reverse("bo-action", args=[complaint.pk, "assign"]), {"executor": head.pk})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.executor) == (State.UNDER_REVIEW, head)
    assert complaint.number in login(head).get(reverse("bo-mine")).content.decode()  # and finds it in his list


def test_with_the_head_not_allowed_to_review_the_page_points_to_the_administrator(
    applicant, body_without_executors, now, settings
):
    settings.SHAGYM_HEAD_MAY_REVIEW = False
    department, clerk, head = body_without_executors
    complaint = services.submit_complaint(actor=applicant, data=complaint_input(
        reviewing_body=department, addressee_kind="provider_head"), now=now).complaint
    services.register_complaint(actor=clerk, complaint=complaint, now=now)

    page = login(head).get(reverse("bo-action", args=[complaint.pk, "assign"])).content.decode()
    assert "Ask the administrator to add the body's executors" in page
    response = login(head).post(reverse("bo-action", args=[complaint.pk, "assign"]), {"executor": head.pk})
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.executor is None


def test_a_complaint_not_registered_on_its_day_is_marked_and_the_register_page_says_the_term_runs(
    applicant, ministry, clerk, now
):
    # The desk's clock is Monday 2 November; the complaint came on the portal the Thursday before.
    received = now - dt.timedelta(days=4)  # Thursday 29 October
    complaint = services.submit_complaint(actor=applicant, now=received, data=complaint_input(
        reviewing_body=ministry, learned_on=dt.date(2026, 10, 20))).complaint
    desk = login(clerk).get(reverse("bo-desk")).content.decode()
    assert "to register on 29.10.2026: the term runs" in desk

    page = login(clerk).get(reverse("bo-action", args=[complaint.pk, "register"])).content.decode()
    assert "Not registered on its day: the registration is dated 29.10.2026" in page
    assert "working days of the term have already run" in page

    response = login(clerk).post(reverse("bo-action", args=[complaint.pk, "register"]), follow=True)
    complaint.refresh_from_db()
    assert complaint.registered_on == dt.date(2026, 10, 29)  # RULES §6: the day of receipt
    assert f"Registered as of 29.10.2026, the day of receipt: the answer is due on {complaint.due_date:%d.%m.%Y}." \
        in response.content.decode()


def test_the_case_history_shows_dates_and_the_system_for_people(under_review, executor, head, now):
    services.extend_term(actor=executor, complaint=under_review, days=3, ground="further_study", reasons="Тексеру.",
                         now=now)
    services.mark_overdue(complaint=under_review, now=now + dt.timedelta(days=30))
    page = login(head).get(reverse("bo-case", args=[under_review.pk])).content.decode()
    history = page[page.index('id="history-title"'):]
    assert "09.11.2026 → 12.11.2026" in history  # not 2026-11-09
    assert ">2026-11-" not in history and " 2026-11-" not in history
    assert "Shagym, automatically" in history and "(system)" not in history


def test_the_russian_talon_is_wholly_in_russian(paper, clerk):
    clerk.position, clerk.position_ru = "кеңсе маманы", "специалист канцелярии"
    clerk.save()
    from shagym.documents.services import issue_for_event

    event = services.reissue_talon(actor=clerk, complaint=paper)
    talon = issue_for_event(event)[0]
    text = subprocess.run(["pdftotext", "-", "-"], input=bytes(talon.pdf), capture_output=True, check=True).stdout
    text = " ".join(text.decode().split())
    assert paper.language == "ru"
    assert "специалист канцелярии" in text and "кеңсе маманы" not in text


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "31.12.9999"])
def test_an_implausible_search_date_gets_a_message_not_a_500(clerk, registered, value):
    response = login(clerk).get(reverse("bo-search"), {"received_to": value})
    assert response.status_code in (200, 400)
    assert "Enter a date between 01.01.2000 and 31.12.2100." in response.content.decode() or \
        "Enter a real date" in response.content.decode()


def test_a_delivery_dated_before_the_signature_is_refused(decided, clerk):
    response = login(clerk).post(reverse("bo-action", args=[decided.pk, "deliver"]),
                                 {"method": "post", "delivered_on": "2001-01-01"})
    assert response.status_code == 400
    assert "cannot be delivered before it was signed" in response.content.decode()
    decided.refresh_from_db()
    assert decided.status == State.DECIDED and decided.delivered_on is None


def test_a_recommendation_due_in_the_year_9999_is_refused(qa_case, inspector, ministry):
    response = login(inspector).post(reverse("bo-action", args=[qa_case.pk, "recommend"]),
                                     {"body": ministry.pk, "text": "Қалпына келтіру.", "due_date": "9999-12-31"})
    assert response.status_code == 400
    assert "Enter a date between 01.01.2000 and 31.12.2100." in response.content.decode()
    assert not ComplaintEvent.objects.filter(action=Action.RECOMMEND).exists()


def test_paper_intake_reads_the_file_type_from_the_content(clerk, ministry):
    """Issue 10, 17: an HTML page named .pdf is refused at the desk, whatever its name and declared type."""
    page = SimpleUploadedFile("scan.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = login(clerk).post(reverse("bo-intake"), {**intake_data(ministry), "attachments": [page]})
    assert response.status_code == 400
    assert "is not a PDF, JPEG or PNG" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_clerk_records_supplied_content_with_the_scans(registered, clerk, now):
    services.request_content(actor=clerk, complaint=registered, missing="Көшірме", now=now)
    scan = SimpleUploadedFile("copy.png", b"\x89PNG\r\n\x1a\n image", content_type="application/octet-stream")
    response = login(clerk).post(reverse("bo-action", args=[registered.pk, "supply-content"]),
                                 {"text": "", "attachments": [scan]})
    assert response.status_code == 302
    registered.refresh_from_db()
    attachment = registered.attachments.get()
    assert (registered.status, attachment.content_type) == (State.REGISTERED, "image/png")


def test_the_admin_takes_a_calendar_override_written_as_every_page_writes_dates(administrator):
    from django.test import Client

    client = Client()
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    url = reverse("admin:directory_calendaroverride_add")
    response = client.post(url, {"day": "02.12.2026", "working": "", "reason": "Күні ауыстырылды",
                                 "reference": "Бұйрық № 1, 01.11.2026"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarOverride.objects.get().day == dt.date(2026, 12, 2)
    response = client.post(url, {"day": "02.12.9999", "working": "", "reason": "x", "reference": "y"})
    assert response.status_code == 200 and CalendarOverride.objects.count() == 1


def test_staff_pages_do_not_offer_the_citizens_links(clerk):
    page = login(clerk).get(reverse("staff-home")).content.decode()
    start = page.index('class="wrap main-nav"')
    nav = page[start:page.index("</nav>", start)]
    assert reverse("staff-home") in nav
    assert reverse("complaint-start") not in nav and reverse("cabinet") not in nav


def test_a_portal_complaint_before_registration_is_named_by_its_reference(received, clerk):
    from shagym.documents.render import receipt

    assert received.reference and received.reference.startswith("D-")
    text = subprocess.run(["pdftotext", "-", "-"], input=receipt(received), capture_output=True, check=True).stdout
    assert received.reference in text.decode() and f"reference {received.pk}" not in text.decode()
    found = login(clerk).get(reverse("bo-search"), {"q": received.reference.lower()}).content.decode()
    assert f'href="{reverse("bo-case", args=[received.pk])}"' in found


def test_every_letter_of_the_desk_is_ready_when_the_page_asks(registered, clerk, other_body):
    """The action commits, then its letter is there for the clerk to print (after commit, never under the lock)."""
    response = login(clerk).post(reverse("bo-action", args=[registered.pk, "redirect"]),
                                 {"target": other_body.pk, "reason": "Құзыретінде емес."})
    letter = Letter.objects.get(complaint=registered, kind=Letter.Kind.REDIRECT)
    assert response["Location"] == reverse("bo-letter", args=[letter.pk])
    assert timezone.now() - letter.created_at < dt.timedelta(minutes=5)
