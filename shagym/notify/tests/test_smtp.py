"""E-mail through real SMTP: a server on loopback (aiosmtpd) receives the messages, and the test reads them back."""

from __future__ import annotations

import pytest
import time_machine

from shagym.complaints import services as complaints
from shagym.notify import selectors
from shagym.notify.models import DeliveryStatus, Kind, Medium, Message

from .conftest import MONDAY, portal_complaint

pytestmark = pytest.mark.django_db


def subject_of(mail) -> str:
    # Python folds a long encoded subject onto a continuation line; its parser keeps the folding space.
    return " ".join(str(mail["Subject"]).split())


def body_of(mail) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "registered", "answer"),
    [
        (
            "kk",
            "№ {number} шағым тіркелді",
            "Құрметті Ахметов Ерлан Серікұлы!",
            "Сіздің шағымыңызды {body} 02.11.2026 № {number} нөмірімен тіркеді.",
            "Жауап 16.11.2026 кешіктірілмей беріледі.",
        ),
        (
            "ru",
            "Жалоба № {number} зарегистрирована",
            "Уважаемый(ая) Ахметов Ерлан Серікұлы!",
            "Ваша жалоба зарегистрирована: {body}, 02.11.2026, № {number}.",
            "Ответ будет дан не позднее 16.11.2026.",
        ),
    ],
)
def test_applicant_mail_is_in_the_language_of_the_complaint(
    language, subject, greeting, registered, answer, applicant, clerk, head, executor, ministry, committed,
    smtp_server, kk_ru,
):
    with time_machine.travel(MONDAY, tick=False), committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY, language=language)
        complaint = complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY).complaint
        complaint = complaints.assign_executor(actor=head, complaint=complaint, executor=executor, now=MONDAY).complaint
        complaints.extend_term(actor=executor, complaint=complaint, days=5, ground="more_information",
                               reasons="Қосымша ақпарат сұралды.", now=MONDAY)
    number, body = complaint.number, ministry.name_in(language)

    inbox = smtp_server.to("erlan@example.kz")
    [registration] = [m for m in inbox if subject_of(m) == subject.format(number=number)]
    assert registration["Content-Language"] == language
    text = body_of(registration)
    assert greeting in text
    assert registered.format(body=body, number=number) in text
    assert "09.11.2026" in text  # the due date: 5 working days after Monday 2 November

    extension_subject = {
        "kk": f"№ {number} шағым: қарау мерзімі 16.11.2026 дейін ұзартылды",
        "ru": f"Жалоба № {number}: срок рассмотрения продлён до 16.11.2026",
    }[language]
    [extension] = [m for m in inbox if subject_of(m) == extension_subject]
    text = body_of(extension)
    assert answer in text
    assert "Қосымша ақпарат сұралды." in text
    assert "Article 25" in text  # the legal basis (its sentence is translated in the catalogue pass)

    # The Message-ID the server received is the one kept as proof.
    message = Message.objects.get(complaint=complaint, kind=Kind.EXTENDED)
    email = message.deliveries.get(medium=Medium.EMAIL)
    assert (email.status, email.reference) == (DeliveryStatus.SENT, extension["Message-ID"])


def test_decision_mail_carries_the_answer_as_a_pdf(applicant, clerk, head, executor, ministry, committed, smtp_server):
    with time_machine.travel(MONDAY, tick=False), committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY, language="ru")
        complaint = complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY).complaint
        complaint = complaints.assign_executor(actor=head, complaint=complaint, executor=executor, now=MONDAY).complaint
        complaint = complaints.propose_decision(actor=executor, complaint=complaint, outcome="refuse",
                                                reasons="Срок подачи документов пропущен.", now=MONDAY).complaint
        complaints.sign_decision(actor=head, complaint=complaint, now=MONDAY)
    [mail] = [m for m in smtp_server.to("erlan@example.kz") if complaint.number in subject_of(m)
              and m.get_content_maintype() == "multipart"]
    text = body_of(mail)
    assert "Срок подачи документов пропущен." in text
    assert "136" in text  # АППК 136: the right to go to court
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"decided-{complaint.number}.pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_refused_address_falls_back_to_sms_at_once(applicant, clerk, ministry, committed, smtp_server, settings):
    settings.SHAGYM_NOTIFY_SMS_KINDS = []
    with time_machine.travel(MONDAY, tick=False), committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY, email="bounce@example.kz")
        complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY)
    message = Message.objects.get(complaint=complaint, kind=Kind.REGISTERED)
    email = message.deliveries.get(medium=Medium.EMAIL)
    assert (email.status, email.attempts) == (DeliveryStatus.FAILED, 1)  # a 550 is not retried
    assert "bounce@example.kz" in email.last_error
    sms = message.deliveries.get(medium=Medium.SMS)
    assert (sms.status, sms.fallback_from) == (DeliveryStatus.SENT, email)
    assert email in selectors.delivery_problems(complaint)
    assert smtp_server.messages == []


def test_decision_mail_attaches_the_answer_as_the_body_signed_it(
    applicant, clerk, head, executor, ministry, committed, smtp_server
):
    from shagym.documents.models import Letter

    with time_machine.travel(MONDAY, tick=False), committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY, language="kk")
        complaint = complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY).complaint
        complaint = complaints.assign_executor(actor=head, complaint=complaint, executor=executor, now=MONDAY).complaint
        complaints.propose_decision(actor=executor, complaint=complaint, outcome="refuse", facts="Тексерілді.",
                                    reasons="Құжаттар мерзімінде тапсырылмаған.", legal_references="ӘРПК 100-бап",
                                    now=MONDAY)
        complaints.sign_decision(actor=head, complaint=complaint, now=MONDAY)
    [mail] = [m for m in smtp_server.to("erlan@example.kz") if complaint.number in subject_of(m)
              and m.get_content_maintype() == "multipart"]
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content() == bytes(Letter.objects.get(complaint=complaint, kind=Letter.Kind.ANSWER).pdf)
