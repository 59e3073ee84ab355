"""The back-office pages: forms that explain, one service per POST, queues that show the deadlines."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from shagym.complaints import services
from shagym.complaints.identifiers import make_iin
from shagym.complaints.models import Complaint, Recommendation
from shagym.complaints.states import Action, Channel, State
from shagym.complaints.tests.factories import complaint_input
from shagym.documents.models import Letter

from ..models import AnswerDraft
from ..views.search import _cell
from .conftest import login

pytestmark = pytest.mark.django_db


def intake_data(ministry, **overrides):
    data = {
        "holder": ministry.pk,
        "channel": Channel.OFFICE,
        "received_on": "2026-11-02",
        "received_time": "11:30",
        "language": "ru",
        "applicant_kind": "individual",
        "surname": "Иванова",
        "first_name": "Ольга",
        "patronymic": "Петровна",
        "iin": make_iin(dt.date(1979, 11, 2), sex="f"),
        "postal_address": "г. Астана, ул. Кенесары, 1, кв. 2",
        "addressee_kind": "central",
        "reviewing_body": ministry.pk,
        "respondent": ministry.pk,
        "public_service": "on",
        "appealed_act": "decision",
        "learned_on": "2026-10-20",
        "official_1_position": "начальник отдела",
        "official_1_surname": "Касымов",
        "official_1_initials": "Б.Т.",
        "circumstances": "Справка не выдана.",
        "reasons": "Документы были полными.",
        "demands": "Выдать справку.",
        "idempotency_key": "abc",
    }
    data.update(overrides)
    return data


# ---- Registration desk -----------------------------------------------------------------------------------------


def test_clerk_registers_a_paper_complaint_and_gets_the_talon(clerk, ministry):
    client = login(clerk)
    assert client.get(reverse("bo-intake")).status_code == 200
    response = client.post(reverse("bo-intake"), intake_data(ministry))
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(reverse("bo-case", args=[complaint.pk]))
    assert complaint.status == State.REGISTERED and complaint.channel == Channel.OFFICE
    assert complaint.officials.get().surname == "Касымов"
    talon = client.get(reverse("bo-talon", args=[complaint.pk]))
    assert talon.status_code == 200 and talon["Content-Type"] == "application/pdf"


def test_bad_iin_is_an_error_on_the_field_and_creates_nothing(clerk, ministry):
    response = login(clerk).post(reverse("bo-intake"), intake_data(ministry, iin="123456789012"))
    assert response.status_code == 400
    assert "check digit" in response.content.decode()
    assert 'href="#id_iin"' in response.content.decode()  # the error summary links to the field
    assert not Complaint.objects.exists()


def test_post_needs_the_postmark_date(clerk, ministry):
    response = login(clerk).post(reverse("bo-intake"), intake_data(ministry, channel=Channel.POST))
    assert response.status_code == 400
    assert "postmark" in response.content.decode()
    assert not Complaint.objects.exists()


def test_receipt_in_the_future_is_refused(clerk, ministry):
    response = login(clerk).post(reverse("bo-intake"), intake_data(ministry, received_on="2026-11-03"))
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_incomplete_official_row_is_named(clerk, ministry):
    response = login(clerk).post(reverse("bo-intake"), intake_data(ministry, official_1_initials=""))
    assert response.status_code == 400
    assert "For official 1" in response.content.decode()


def test_register_from_the_desk_returns_to_the_desk(received, clerk):
    client = login(clerk)
    desk_page = client.get(reverse("bo-desk"))
    assert received.applicant_name in desk_page.content.decode()
    response = client.post(reverse("bo-action", args=[received.pk, "register"]), {"next": reverse("bo-desk")})
    assert response.status_code == 302 and response["Location"] == reverse("bo-desk")
    received.refresh_from_db()
    assert received.status == State.REGISTERED


def test_register_ignores_a_foreign_next(received, clerk):
    response = login(clerk).post(reverse("bo-action", args=[received.pk, "register"]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("bo-case", args=[received.pk])


def test_forwarding_leads_to_the_letter_that_stays_with_the_provider(against_provider, provider_clerk):
    client = login(provider_clerk)
    page = client.get(reverse("bo-desk")).content.decode()
    assert against_provider.number in page and "05.11.2026" in page
    response = client.post(reverse("bo-action", args=[against_provider.pk, "forward"]))
    letter = Letter.objects.get(kind=Letter.Kind.FORWARDING)
    assert response["Location"] == reverse("bo-letter", args=[letter.pk])
    assert client.get(reverse("bo-letter", args=[letter.pk])).status_code == 200
    assert client.get(reverse("bo-letter-pdf", args=[letter.pk]))["Content-Type"] == "application/pdf"
    # The complaint itself has gone to the ministry.
    assert client.get(reverse("bo-case", args=[against_provider.pk])).status_code == 404


def test_missing_content_form_needs_something_missing(registered, clerk):
    url = reverse("bo-action", args=[registered.pk, "request-content"])
    response = login(clerk).post(url, {"days": "5"})
    assert response.status_code == 400 and "Tick what is missing" in response.content.decode()
    registered.refresh_from_db()
    assert registered.status == State.REGISTERED


def test_missing_content_request_with_checklist(registered, clerk):
    response = login(clerk).post(reverse("bo-action", args=[registered.pk, "request-content"]),
                                 {"items": ["iin", "demands"], "other": "Копия решения", "days": "5"})
    assert response.status_code == 302
    event = registered.events.get(action=Action.REQUEST_CONTENT)
    assert event.data["missing"].splitlines()[-1] == "Копия решения"
    assert len(event.data["missing"].splitlines()) == 3


# ---- Head --------------------------------------------------------------------------------------------------------


def test_head_inbox_lists_unassigned_by_due_date_and_appoints(registered, head, executor):
    client = login(head)
    page = client.get(reverse("bo-inbox")).content.decode()
    assert registered.number in page
    form = client.get(reverse("bo-action", args=[registered.pk, "assign"])).content.decode()
    assert executor.get_full_name() in form
    response = client.post(reverse("bo-action", args=[registered.pk, "assign"]), {"executor": executor.pk})
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.executor == executor and registered.status == State.UNDER_REVIEW
    page = client.get(reverse("bo-inbox")).content.decode()  # shows the success message once
    page = client.get(reverse("bo-inbox")).content.decode()
    assert registered.number not in page


def test_executor_of_another_body_cannot_be_appointed(registered, head, outsider):
    response = login(head).post(reverse("bo-action", args=[registered.pk, "assign"]), {"executor": outsider.pk})
    assert response.status_code == 400
    registered.refresh_from_db()
    assert registered.executor is None


def test_head_reads_the_answer_then_signs(awaiting_signature, head):
    client = login(head)
    page = client.get(reverse("bo-action", args=[awaiting_signature.pk, "sign"])).content.decode()
    assert "Заңның 25-бабы бойынша." in page
    assert client.post(reverse("bo-action", args=[awaiting_signature.pk, "sign"])).status_code == 302
    awaiting_signature.refresh_from_db()
    assert awaiting_signature.status == State.DECIDED and awaiting_signature.signed_by == head
    signed = client.get(reverse("bo-answer-pdf", args=[awaiting_signature.pk]))
    assert signed.content == bytes(Letter.objects.get(kind=Letter.Kind.ANSWER).pdf)


def test_head_returns_the_draft_with_a_comment(awaiting_signature, head):
    url = reverse("bo-action", args=[awaiting_signature.pk, "return-draft"])
    assert login(head).post(url, {"comment": ""}).status_code == 400
    assert login(head).post(url, {"comment": "Заңға сілтеме қосыңыз."}).status_code == 302
    awaiting_signature.refresh_from_db()
    assert awaiting_signature.status == State.UNDER_REVIEW


# ---- Executor ----------------------------------------------------------------------------------------------------


def _complaint_due(applicant, clerk, head, executor, ministry, registered_at):
    data = complaint_input(reviewing_body=ministry, learned_on=registered_at.date() - dt.timedelta(days=3))
    c = services.submit_complaint(actor=applicant, data=data, now=registered_at).complaint
    services.register_complaint(actor=clerk, complaint=c, now=registered_at)
    services.assign_executor(actor=head, complaint=c, executor=executor, now=registered_at)
    return c


def test_workspace_marks_overdue_today_and_tomorrow(applicant, clerk, head, executor, ministry, now):
    # 5 working days, day 1 after registration; Monday 26.10.2026 is a day off (Republic Day falls on Sunday).
    today = _complaint_due(applicant, clerk, head, executor, ministry, now - dt.timedelta(days=10))  # Fri 23.10
    tomorrow = _complaint_due(applicant, clerk, head, executor, ministry, now - dt.timedelta(days=6))  # Tue 27.10
    overdue = _complaint_due(applicant, clerk, head, executor, ministry, now - dt.timedelta(days=13))  # Tue 20.10
    assert (today.due_date, tomorrow.due_date, overdue.due_date) == (
        dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 10, 28))
    page = login(executor).get(reverse("bo-mine")).content.decode()
    assert page.index(overdue.number) < page.index(today.number) < page.index(tomorrow.number)
    assert "overdue by 5 days" in page and "due today" in page and "due tomorrow" in page
    assert '<strong>1</strong> overdue' in page


def test_executor_saves_a_draft_then_sends_it(under_review, executor):
    client = login(executor)
    url = reverse("bo-answer", args=[under_review.pk])
    response = client.post(url, {"outcome": "perform", "facts": "Факт", "reasons": "", "legal_references": "",
                                 "save": "1"})
    assert response.status_code == 302 and response["Location"] == url
    assert AnswerDraft.objects.get().facts == "Факт"
    assert client.get(reverse("bo-answer-pdf", args=[under_review.pk]))["Content-Type"] == "application/pdf"
    # Sending without reasons: the service refuses, the form says why, nothing moves.
    response = client.post(url, {"outcome": "perform", "facts": "Факт", "reasons": "", "legal_references": "",
                                 "send": "1"})
    assert response.status_code == 400 and "reasons" in response.content.decode()
    under_review.refresh_from_db()
    assert under_review.status == State.UNDER_REVIEW
    response = client.post(url, {"outcome": "perform", "facts": "Факт", "reasons": "Заң бойынша",
                                 "legal_references": "АППК 100", "send": "1"})
    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.status == State.AWAITING_SIGNATURE and under_review.legal_references == "АППК 100"


def test_extension_beyond_ten_days_is_an_error(under_review, executor):
    url = reverse("bo-action", args=[under_review.pk, "extend"])
    response = login(executor).post(url, {"days": "11", "ground": "more_information", "reasons": "x"})
    assert response.status_code == 400
    under_review.refresh_from_db()
    assert under_review.extension_days == 0


def test_extension_then_notice_recorded(under_review, executor):
    client = login(executor)
    client.post(reverse("bo-action", args=[under_review.pk, "extend"]),
                {"days": "5", "ground": "further_study", "reasons": "Жергілікті тексеру."})
    under_review.refresh_from_db()
    assert under_review.status == State.EXTENDED
    page = client.get(reverse("bo-mine")).content.decode()
    assert "Extension notices to send" in page
    client.post(reverse("bo-action", args=[under_review.pk, "extension-notice"]), {"channel": "electronic"})
    under_review.refresh_from_db()
    assert under_review.extension_notice_sent_at is not None
    assert "Extension notices to send" not in client.get(reverse("bo-mine")).content.decode()


def test_hearing_in_the_future_is_refused(under_review, executor):
    url = reverse("bo-action", args=[under_review.pk, "hearing"])
    assert login(executor).post(url, {"held_on": "2026-11-09", "notes": "x"}).status_code == 400
    assert login(executor).post(url, {"held_on": "2026-11-02", "notes": "Өтініш беруші тыңдалды."}).status_code == 302
    assert under_review.events.filter(action=Action.RECORD_HEARING).exists()


def test_delivery_recorded_by_the_clerk(decided, clerk):
    url = reverse("bo-action", args=[decided.pk, "deliver"])
    assert login(clerk).post(url, {"method": "post", "delivered_on": "2026-11-03"}).status_code == 400  # future
    assert login(clerk).post(url, {"method": "post", "delivered_on": "2026-11-02"}).status_code == 302
    decided.refresh_from_db()
    assert decided.status == State.ANSWER_DELIVERED and decided.delivery_method == "post"


def test_action_not_possible_in_this_state_says_so(registered, head):
    response = login(head).get(reverse("bo-action", args=[registered.pk, "sign"]))
    assert response.status_code == 200 and "This cannot be done while the complaint is" in response.content.decode()


def test_unknown_action_is_404(registered, head):
    assert login(head).get(reverse("bo-action", args=[registered.pk, "teleport"])).status_code == 404


def test_case_page_shows_the_next_step_first(registered, head):
    page = login(head).get(reverse("bo-case", args=[registered.pk])).content.decode()
    steps = page[page.index("Next step"):page.index('id="term-title"')]
    assert steps.index("Appoint the executor") < steps.index("Leave without consideration")
    assert 'class="button"' in steps  # a primary button


# ---- Quality authority ----------------------------------------------------------------------------------------------


def test_quality_authority_sees_the_first_tier_beside(qa_case, inspector, decided):
    client = login(inspector)
    assert qa_case.number in client.get(reverse("bo-quality")).content.decode()
    page = client.get(reverse("bo-case", args=[qa_case.pk])).content.decode()
    assert "First-tier case" in page and decided.number in page and "Заңның 25-бабы бойынша." in page


def test_recommendation_issued_reported_and_confirmed(qa_case, inspector, head, ministry):
    response = login(inspector).post(reverse("bo-action", args=[qa_case.pk, "recommend"]),
                                     {"body": ministry.pk, "text": "Анықтаманы беру.", "due_date": "2026-11-20"})
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    head_page = login(head).get(reverse("bo-inbox")).content.decode()
    assert "Анықтаманы беру." in head_page
    report = reverse("bo-recommendation-action", args=[recommendation.pk, "report"])
    assert login(head).post(report, {"report": ""}).status_code == 400
    assert login(head).post(report, {"report": "Анықтама 05.11 берілді."}).status_code == 302
    confirm = reverse("bo-recommendation-action", args=[recommendation.pk, "confirm"])
    assert login(head).get(confirm).status_code == 403
    assert login(inspector).post(confirm, {"accepted": "yes"}).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.EXECUTED


def test_every_body_open_and_overdue(under_review, inspector, ministry):
    page = login(inspector).get(reverse("bo-bodies")).content.decode()
    assert ministry.name_en in page or ministry.name_kk in page


# ---- Search and export --------------------------------------------------------------------------------------------


def test_search_by_iin_number_and_name(registered, paper, clerk):
    client = login(clerk)
    assert paper.number in client.get(reverse("bo-search"), {"q": paper.iin}).content.decode()
    by_number = client.get(reverse("bo-search"), {"q": registered.number}).content.decode()
    assert registered.number in by_number and paper.number not in by_number
    by_prefix = client.get(reverse("bo-search"), {"q": registered.number[:6]}).content.decode()
    assert registered.number in by_prefix and paper.number in by_prefix
    assert paper.number in client.get(reverse("bo-search"), {"q": "Ахметов Ерлан"}).content.decode()
    assert "No complaint matches" in client.get(reverse("bo-search"), {"q": "Петров"}).content.decode()


def test_search_filters(registered, under_review, paper, clerk, now):
    client = login(clerk)
    page = client.get(reverse("bo-search"), {"channel": "office"}).content.decode()
    assert paper.number in page and under_review.number not in page
    page = client.get(reverse("bo-search"), {"status": "under_review"}).content.decode()
    assert under_review.number in page and paper.number not in page
    page = client.get(reverse("bo-search"), {"received_from": "2026-11-03"}).content.decode()
    assert "No complaint matches" in page
    page = client.get(reverse("bo-search"), {"overdue": "on"}).content.decode()
    assert "No complaint matches" in page


def test_search_with_bad_input_explains(clerk):
    response = login(clerk).get(reverse("bo-search"), {"received_from": "31.02.2026", "status": "nonsense"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a real date" in page and "Choose one of the options" in page


def test_export_is_the_current_list_as_csv(registered, paper, clerk):
    response = login(clerk).get(reverse("bo-export"), {"channel": "office"})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] == "Number" and len(rows) == 2
    assert rows[1][0] == paper.number and rows[1][4] == paper.iin


def test_export_neutralises_formulas():
    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("+7 701") == "'+7 701"
    assert _cell("Ахметов") == "Ахметов"


def test_lists_are_paginated_with_a_bounded_number_of_queries(applicant, clerk, head, executor, ministry, now,
                                                             django_assert_max_num_queries):
    for _ in range(30):
        _complaint_due(applicant, clerk, head, executor, ministry, now)
    for user, name in ((executor, "bo-mine"), (head, "bo-inbox"), (clerk, "bo-desk"), (clerk, "bo-search"),
                       (head, "staff-home")):
        client = login(user)
        with django_assert_max_num_queries(16):
            response = client.get(reverse(name))
        assert response.status_code == 200
    page = login(executor).get(reverse("bo-mine")).content.decode()
    assert "Page 1 of 2" in page


def test_paper_intake_refuses_a_pdf_with_javascript(clerk, ministry):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shagym.complaints.tests.test_attachments import IN_AN_OBJECT_STREAM

    scan = SimpleUploadedFile("scan.pdf", IN_AN_OBJECT_STREAM, content_type="application/pdf")
    response = login(clerk).post(reverse("bo-intake"), intake_data(ministry, attachments=[scan]))
    assert response.status_code == 400
    assert "contains a script or a command that starts a program" in response.content.decode()
    assert not Complaint.objects.exists()


def test_staff_download_an_attachment_as_a_file_of_its_detected_type(paper, clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shagym.complaints import attachments

    item = attachments.store(complaint=paper, upload=SimpleUploadedFile("scan.pdf", b"\xff\xd8\xff\xe0 jpeg",
                                                                        content_type="application/pdf"))
    response = login(clerk).get(reverse("bo-attachment", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="scan.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
