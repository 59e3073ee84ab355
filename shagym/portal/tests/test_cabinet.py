"""The personal cabinet: my complaints, the timeline in the applicant's words (nothing internal), the deadline,
the documents, and the actions open to the applicant."""

from __future__ import annotations

import base64
import datetime as dt
import subprocess

import pytest
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from shagym.complaints import services
from shagym.complaints.models import Complaint
from shagym.complaints.states import Action, Outcome, State

from .wizard_steps import url


@pytest.fixture
def client_of(client, verified):
    client.force_login(verified)
    return client


def _detail(client, complaint, language="kk"):  # type: ignore[no-untyped-def]
    response = client.get(url("cabinet-complaint", complaint.pk, language=language))
    assert response.status_code == 200
    return response.content.decode()


def test_my_complaints_lists_status_and_due_date(client_of, registered, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client_of.get(url("cabinet"))
    content = response.content.decode()
    assert registered.number in content
    assert registered.due_date.strftime("%d.%m.%Y") in content
    with translation.override("kk"):
        assert escape(pgettext("applicant status", "registered")) in content


def test_another_applicants_complaint_is_not_found(client, registered, outsider):
    client.force_login(outsider)
    for name in ("cabinet-complaint", "cabinet-talon", "cabinet-withdraw", "cabinet-supply", "cabinet-second-tier"):
        assert client.get(url(name, registered.pk)).status_code == 404


def test_the_cabinet_needs_an_account(client, registered):
    assert client.get(url("cabinet-complaint", registered.pk)).status_code == 302


def test_timeline_speaks_the_applicants_words_and_hides_internal_steps(client_of, under_review, executor, head, now):
    services.propose_decision(actor=executor, complaint=under_review, outcome=Outcome.REFUSE,
                              reasons="Ішкі жоба мәтіні", now=now)
    services.return_draft(actor=head, complaint=under_review, comment="ҚҰПИЯ ПІКІР", now=now)
    content = _detail(client_of, under_review)
    with translation.override("kk"):
        for word in ("Delivered", "Registered", "In execution"):
            assert escape(gettext(word)) in content
    assert "ҚҰПИЯ ПІКІР" not in content
    assert "Ішкі жоба мәтіні" not in content
    assert executor.last_name not in content
    assert escape(gettext("answer awaiting signature")) not in content


def test_deadline_is_explained(client_of, registered):
    content = _detail(client_of, registered)
    assert registered.due_date.strftime("%d.%m.%Y") in content
    assert registered.registered_on.strftime("%d.%m.%Y") in content


def test_a_delivered_complaint_shows_the_expected_due_date(client_of, received):
    content = _detail(client_of, received)
    with translation.override("kk"):
        assert escape(gettext("expected")) in content


def test_talon_is_a_pdf_in_the_complaints_language_with_kazakh_letters(client_of, registered, tmp_path):
    response = client_of.get(url("cabinet-talon", registered.pk, language="ru"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "talon.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert registered.number in text
    assert registered.due_date.strftime("%d.%m.%Y") in text
    assert "Ахметов" in text  # the applicant
    assert "Қ" in text or "ә" in text or "і" in text  # Kazakh letters survive (the body's and officials' names)
    assert "cabinet" in text  # the QR link is printed too


def test_withdraw_before_the_decision(client_of, registered):
    page = client_of.get(url("cabinet-withdraw", registered.pk))
    assert page.status_code == 200
    refused = client_of.post(url("cabinet-withdraw", registered.pk), {"reason": "Шешілді."})
    assert refused.status_code == 200
    with translation.override("kk"):
        assert escape(gettext("Tick the box to confirm that you withdraw the complaint.")) in refused.content.decode()
    registered.refresh_from_db()
    assert registered.status == State.REGISTERED
    done = client_of.post(url("cabinet-withdraw", registered.pk), {"reason": "Шешілді.", "confirm": "on"})
    assert done.status_code == 302
    registered.refresh_from_db()
    assert registered.status == State.WITHDRAWN
    assert registered.events.filter(action=Action.WITHDRAW).count() == 1


def test_withdraw_after_the_decision_is_refused_with_a_message(client_of, under_review, executor, head, now):
    services.propose_decision(actor=executor, complaint=under_review, outcome=Outcome.PERFORM_ACTION,
                              reasons="Заңның 5-бабы.", now=now)
    services.sign_decision(actor=head, complaint=under_review, now=now)
    response = client_of.post(url("cabinet-withdraw", under_review.pk), {"confirm": "on"})
    assert response.status_code == 200
    under_review.refresh_from_db()
    assert under_review.status == State.DECIDED
    assert "error-summary" in response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_answer_a_request_for_missing_content(client_of, registered, clerk, now, language):
    services.request_content(actor=clerk, complaint=registered, missing="Шешімнің көшірмесі", now=now)
    content = _detail(client_of, registered, language)
    assert "Шешімнің көшірмесі" in content
    empty = client_of.post(url("cabinet-supply", registered.pk, language=language), {"text": " "})
    with translation.override(language):
        assert escape(gettext("Write the missing information the body asked for, or attach the documents.")) in \
            empty.content.decode()
    done = client_of.post(url("cabinet-supply", registered.pk), {"text": "Көшірме қоса беріледі."})
    assert done.status_code == 302
    registered.refresh_from_db()
    assert registered.status == State.REGISTERED


def test_missing_content_is_supplied_as_a_file(client_of, registered, clerk, now):
    """Issue 10: the clerk asks for a copy of the refusal letter; the citizen uploads it (no text needed)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.request_content(actor=clerk, complaint=registered, missing="Бас тарту хатының көшірмесі", now=now)
    page = client_of.get(url("cabinet-supply", registered.pk)).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    scan = SimpleUploadedFile("refusal.pdf", b"%PDF-1.4 refusal letter", "application/pdf")
    done = client_of.post(url("cabinet-supply", registered.pk), {"text": "", "files": [scan]})
    assert done.status_code == 302
    registered.refresh_from_db()
    assert registered.status == State.REGISTERED
    assert [a.name for a in registered.attachments.all()] == ["refusal.pdf"]


def test_a_supplied_file_that_is_not_a_document_is_refused(client_of, registered, clerk, now):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.request_content(actor=clerk, complaint=registered, missing="Көшірме", now=now)
    fake = SimpleUploadedFile("copy.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client_of.post(url("cabinet-supply", registered.pk, language="en"), {"text": "", "files": [fake]})
    assert response.status_code == 200
    assert "is not a PDF, JPEG or PNG" in response.content.decode()
    registered.refresh_from_db()
    assert registered.status == State.AWAITING_CONTENT and not registered.attachments.exists()


def _answered(complaint, executor, head, clerk, now):  # type: ignore[no-untyped-def]
    services.propose_decision(actor=executor, complaint=complaint, outcome=Outcome.REFUSE,
                              reasons="Заңның 5-бабына сәйкес бас тартылды.", now=now)
    services.sign_decision(actor=head, complaint=complaint, now=now)
    return services.deliver_answer(actor=clerk, complaint=complaint, method="electronic", now=now).complaint


def test_answer_and_court_guidance_after_delivery(client_of, under_review, executor, head, clerk, now):
    _answered(under_review, executor, head, clerk, now)
    content = _detail(client_of, under_review)
    assert "Заңның 5-бабына сәйкес бас тартылды." in content
    assert url("cabinet-answer", under_review.pk) in content
    assert url("cabinet-second-tier", under_review.pk) in content
    assert "02.12.2026" in content  # court: 1 month from delivery on 02.11.2026 (Civil Code Art. 175)
    response = client_of.get(url("cabinet-answer", under_review.pk))
    assert response["Content-Type"] == "application/pdf"


def test_the_answer_is_not_shown_before_delivery(client_of, under_review):
    assert client_of.get(url("cabinet-answer", under_review.pk)).status_code == 302


def test_second_tier_is_prefilled_linked_and_idempotent(client_of, under_review, executor, head, clerk, now,
                                                          quality_authority):
    _answered(under_review, executor, head, clerk, now)
    page = client_of.get(url("cabinet-second-tier", under_review.pk))
    content = page.content.decode()
    assert under_review.demands in content
    key = page.context["form"].initial["idempotency_key"]
    assert quality_authority.name in content  # where it goes, to choose (issue 10)
    data = {"reasons": "Бас тарту негізсіз.", "demands": "Қайта қарауды сұраймын.", "idempotency_key": key,
            "authority": quality_authority.pk}
    first = client_of.post(url("cabinet-second-tier", under_review.pk), data)
    second = client_of.post(url("cabinet-second-tier", under_review.pk), data)
    child = Complaint.objects.get(parent=under_review)
    assert first["Location"] == url("complaint-sent", child.pk)
    assert second.status_code == 302
    assert child.reviewing_body == quality_authority and child.term_days == 15
    assert url("cabinet-complaint", child.pk) in _detail(client_of, under_review)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_second_tier_errors(client_of, under_review, executor, head, clerk, now, quality_authority, language):
    _answered(under_review, executor, head, clerk, now)
    response = client_of.post(url("cabinet-second-tier", under_review.pk, language=language),
                              {"reasons": "", "demands": "", "idempotency_key": "x"})
    with translation.override(language):
        assert escape(gettext("Explain why the answer does not satisfy you, or that no answer came in time.")) in \
            response.content.decode()
    assert not Complaint.objects.filter(parent=under_review).exists()


def test_second_tier_after_silence_past_the_term(client_of, under_review, quality_authority):
    later = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 0))
    services.mark_overdue(complaint=under_review, now=later)
    with __import__("time_machine").travel(later, tick=False):
        content = _detail(client_of, under_review)
        assert url("cabinet-second-tier", under_review.pk) in content
        with translation.override("kk"):
            assert escape(gettext("Term passed without an answer")) in content


def test_extension_shows_reasons_and_the_notice(client_of, under_review, executor, now, ministry):
    services.extend_term(actor=executor, complaint=under_review, days=5, ground="more_information",
                         reasons="Қосымша ақпарат сұратылды.", now=now)
    content = _detail(client_of, under_review)
    assert "Қосымша ақпарат сұратылды." in content
    assert client_of.get(url("cabinet-extension", under_review.pk))["Content-Type"] == "application/pdf"


def test_cabinet_serves_the_answer_and_notice_as_the_body_issued_them(client_of, under_review, executor, head, clerk,
                                                                       now, committed):
    from shagym.documents.models import Letter

    with committed():
        services.extend_term(actor=executor, complaint=under_review, days=5, ground="more_information",
                             reasons="Қосымша ақпарат сұратылды.", now=now)
        services.propose_decision(actor=executor, complaint=under_review, outcome=Outcome.REFUSE, facts="Тексерілді.",
                                  reasons="Заңның 5-бабына сәйкес бас тартылды.", legal_references="ӘРПК 100-бап",
                                  now=now)
        services.sign_decision(actor=head, complaint=under_review, now=now)
    services.deliver_answer(actor=clerk, complaint=under_review, method="electronic", now=now)

    for name, kind in (("cabinet-answer", Letter.Kind.ANSWER), ("cabinet-extension", Letter.Kind.EXTENSION)):
        issued = bytes(Letter.objects.get(complaint=under_review, kind=kind).pdf)
        assert client_of.get(url(name, under_review.pk)).content == issued


def test_supplied_content_with_a_launch_action_is_refused(client_of, registered, clerk, now):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shagym.complaints.tests.test_attachments import LAUNCH

    services.request_content(actor=clerk, complaint=registered, missing="Көшірме", now=now)
    response = client_of.post(url("cabinet-supply", registered.pk, language="en"),
                              {"text": "", "files": [SimpleUploadedFile("copy.pdf", LAUNCH)]})
    assert response.status_code == 200
    assert "starts a program (Launch)" in response.content.decode()
    registered.refresh_from_db()
    assert registered.status == State.AWAITING_CONTENT and not registered.attachments.exists()


def test_the_applicant_downloads_an_attachment_as_a_file_of_its_detected_type(client_of, registered):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shagym.complaints import attachments

    item = attachments.store(complaint=registered, upload=SimpleUploadedFile("скан.pdf", b"\x89PNG\r\n\x1a\n...",
                                                                            content_type="text/html"))
    response = client_of.get(url("cabinet-attachment", registered.pk, item.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_second_tier_is_checked_signed_and_filed_with_its_file_when_the_signature_is_required(
        client_of, under_review, executor, head, clerk, now, quality_authority, trusted, settings, tmp_path):
    """RULES §3 (АППК Art. 93): a second-tier complaint is a complaint: signed like the first one. The applicant
    writes it, checks it, signs exactly that (with the file's SHA-256), and it is filed; unsigned, it is refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shagym.complaints.models import Signature

    settings.SHAGYM_APPLICANT_SIGNATURE = "required"
    settings.MEDIA_ROOT = tmp_path
    _answered(under_review, executor, head, clerk, now)
    path = url("cabinet-second-tier", under_review.pk)
    key = client_of.get(path).context["form"].initial["idempotency_key"]
    written = client_of.post(path, {"reasons": "Бас тарту негізсіз.", "demands": "Қайта қарауды сұраймын.",
                                    "idempotency_key": key, "authority": quality_authority.pk,
                                    "files": SimpleUploadedFile("шешім.pdf", PDF)})
    assert written.status_code == 302 and written["Location"].endswith("?sign=1")
    check = client_of.get(written["Location"])
    page = check.content.decode()
    assert "Бас тарту негізсіз." in page and "шешім.pdf" in page and "data-sign-content" in page
    content = client_of.get(path + "?sign=1&content=1").content
    assert content == base64.b64decode(check.context["sign"]["content"])
    draft = check.context["stash"]["draft"]

    stale = client_of.post(path, {"draft": "another-window", "signature": "x"})
    assert stale.status_code == 200 and not Complaint.objects.filter(parent=under_review).exists()
    unsigned = client_of.post(path, {"draft": draft})
    assert unsigned.status_code == 200 and not Complaint.objects.filter(parent=under_review).exists()
    assert "NCALayer" in unsigned.content.decode()
    someone_else = base64.b64encode(trusted.person("900101300015").sign(content)).decode()
    refused = client_of.post(path, {"draft": draft, "signature": someone_else})
    assert refused.status_code == 200 and not Complaint.objects.filter(parent=under_review).exists()

    cms = base64.b64encode(trusted.person(under_review.iin).sign(content)).decode()
    filed = client_of.post(path, {"draft": draft, "signature": cms})
    child = Complaint.objects.get(parent=under_review)
    assert filed["Location"] == url("complaint-sent", child.pk)
    assert child.reviewing_body == quality_authority and child.attachments.get().name == "шешім.pdf"
    record = Signature.objects.get(event__complaint=child)
    assert bytes(record.content) == content and record.iin == under_review.iin
    # Sent twice (a double click): one complaint.
    assert client_of.post(path, {"draft": draft, "signature": cms}).status_code == 302
    assert Complaint.objects.filter(parent=under_review).count() == 1
