"""The head signs the answer on the sign page: the PDF offered is the one verified and issued; another body's key is
refused on the page; the history shows each EDS with its signer and outcome."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse

from shagym.complaints import services, signing
from shagym.complaints.models import Signature
from shagym.complaints.states import State
from shagym.complaints.tests.factories import complaint_input
from shagym.documents import services as documents
from shagym.documents.models import Letter
from shagym.signatures import verify

from .conftest import login

pytestmark = pytest.mark.django_db
BODY_BIN = "150440000122"


@pytest.fixture
def awaiting(trusted, settings, applicant, ministry, clerk, head, executor, now):
    settings.SHAGYM_ANSWER_SIGNATURE = "required"
    ministry.bin = BODY_BIN
    ministry.save()
    data = complaint_input(reviewing_body=ministry)
    content = signing.complaint_content(data, [])
    complaint = services.submit_complaint(
        actor=applicant, data=data, signature=verify.verify(trusted.person(data.iin).sign(content), content)).complaint
    services.register_complaint(actor=clerk, complaint=complaint, now=now)
    services.assign_executor(actor=head, complaint=complaint, executor=executor, now=now)
    services.propose_decision(actor=executor, complaint=complaint, outcome="perform", reasons="Заң бойынша.", now=now)
    return complaint


def test_the_head_signs_the_pdf_the_page_offers(awaiting, head, trusted):
    client = login(head)
    page = client.get(reverse("bo-action", args=[awaiting.pk, "sign"]))
    assert b"data-ncalayer" in page.content and BODY_BIN.encode() in page.content
    pdf = client.get(reverse("bo-answer-to-sign", args=[awaiting.pk])).content
    assert pdf.startswith(b"%PDF") and pdf == documents.answer_to_sign(awaiting, signer=head)
    key = trusted.person("750505300111", surname="Бекенов", first_name="Серік", bin=BODY_BIN)
    answer = client.post(reverse("bo-action", args=[awaiting.pk, "sign"]),
                         {"signature": base64.b64encode(key.sign(pdf)).decode()})
    assert answer.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == State.DECIDED
    letter = Letter.objects.get(kind=Letter.Kind.ANSWER)
    assert bytes(letter.pdf).startswith(pdf)
    history = client.get(reverse("bo-case", args=[awaiting.pk])).content.decode()
    assert "БЕКЕНОВ СЕРІК" in history and BODY_BIN in history  # the head's EDS in the history
    assert "АХМЕТОВ ЕРЛАН" in history  # and the applicant's


def test_another_bodys_key_is_refused_on_the_page(awaiting, head, trusted):
    client = login(head)
    pdf = client.get(reverse("bo-answer-to-sign", args=[awaiting.pk])).content
    stranger = trusted.person("750505300111", bin="150440000231")
    page = client.post(reverse("bo-action", args=[awaiting.pk, "sign"]),
                       {"signature": base64.b64encode(stranger.sign(pdf)).decode()})
    assert page.status_code == 400
    assert "150440000231" in page.content.decode()
    awaiting.refresh_from_db()
    assert awaiting.status == State.AWAITING_SIGNATURE
    assert not Signature.objects.filter(purpose=Signature.Purpose.ANSWER).exists()


def test_a_signature_file_works_without_javascript(awaiting, head, trusted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(head)
    pdf = client.get(reverse("bo-answer-to-sign", args=[awaiting.pk])).content
    key = trusted.person("750505300111", bin=BODY_BIN)
    upload = SimpleUploadedFile("answer.cms", key.sign(pdf), content_type="application/pkcs7-signature")
    assert client.post(reverse("bo-action", args=[awaiting.pk, "sign"]), {"signature_file": upload}).status_code == 302


def test_without_a_signature_the_page_asks_for_one(awaiting, head):
    client = login(head)
    page = client.post(reverse("bo-action", args=[awaiting.pk, "sign"]), {})
    assert page.status_code == 400 and "NCALayer" in page.content.decode()


def test_only_the_head_may_fetch_the_answer_to_sign(awaiting, executor, outsider):
    for user in (executor, outsider):
        assert login(user).get(reverse("bo-answer-to-sign", args=[awaiting.pk])).status_code == 404
