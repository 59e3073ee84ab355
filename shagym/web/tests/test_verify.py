"""The verification page: by number (the QR code's target) and by file; bad input is a message, never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shagym.documents.models import Document, Letter

pytestmark = pytest.mark.django_db


def test_the_qr_code_opens_the_document_by_its_number(client, paper):
    document = Letter.objects.get(kind=Letter.Kind.TALON).document
    page = client.get(reverse("verify-document", args=[document.number]))
    assert page.status_code == 200 and document.number in page.content.decode()
    assert paper.applicant_name not in page.content.decode()  # no personal data of the applicant


def test_a_number_typed_loosely_leads_to_the_document(client, paper):
    document = Document.objects.get()
    answer = client.post(reverse("verify"), {"number": document.number.lower().replace("-", " ")})
    assert answer.status_code == 302 and answer["Location"] == reverse("verify-document", args=[document.number])


@pytest.mark.parametrize("number", ["", "AAAA-BBBB-CCCC", "../../etc", "x" * 20])
def test_an_unknown_number_or_nothing_is_a_form_error(client, db, number):
    page = client.post(reverse("verify"), {"number": number})
    assert page.status_code == 400


def test_an_unknown_number_in_the_address_is_not_found(client, db):
    assert client.get(reverse("verify-document", args=["AAAA-BBBB-CCCC"])).status_code == 404


def test_the_issued_file_is_the_original(client, paper):
    letter = Letter.objects.get(kind=Letter.Kind.TALON)
    upload = SimpleUploadedFile("talon.pdf", bytes(letter.pdf), content_type="application/pdf")
    page = client.post(reverse("verify"), {"file": upload})
    assert page.status_code == 200 and 'data-verdict="original"' in page.content.decode()


def test_any_file_is_a_verdict(client, db):
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4 nonsense", content_type="application/pdf")
    page = client.post(reverse("verify"), {"file": upload})
    assert page.status_code == 200 and "data-verdict" in page.content.decode()
