"""Every PDF we issue is numbered, sealed with the issuing body's key (PAdES, verified here by pyHanko's own
validator) and recorded; the answer the head signed is issued as those very bytes, sealed; the verification page's
checks tell the original from an altered copy."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.utils.translation import override
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from shagym.complaints import services
from shagym.documents import services as documents
from shagym.documents import verification
from shagym.documents.models import Document, Letter
from shagym.signatures import verify

BODY_BIN = "150440000122"


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def pyhanko_status(pdf: bytes, test_pki, index: int = -1):
    reader = PdfFileReader(io.BytesIO(pdf))
    context = ValidationContext(trust_roots=[_asn1(test_pki.root.der)], allow_fetching=False)
    return validate_pdf_signature(reader.embedded_signatures[index], context)


def _asn1(der: bytes):
    from asn1crypto import x509

    return x509.Certificate.load(der)


@pytest.fixture
def seals(sealed, ministry, trusted):
    ministry.bin = BODY_BIN
    ministry.save()
    sealed.add(ministry)
    return sealed


def test_the_talon_is_numbered_sealed_by_its_body_and_recorded(seals, paper, test_pki):
    talon = Letter.objects.get(complaint=paper, kind=Letter.Kind.TALON)
    document = talon.document
    assert document.kind == Document.Kind.TALON and document.organisation == paper.holder
    assert document.sha256 == talon.sha256
    text = pdf_text(bytes(talon.pdf))
    assert document.number in text and f"/verify/{document.number}/" in text
    status = pyhanko_status(bytes(talon.pdf), test_pki)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert BODY_BIN in status.signing_cert.subject.human_friendly
    assert verification.check_file(bytes(talon.pdf)).verdict == "original"


def test_a_body_without_its_own_key_gets_the_operators_seal(sealed, trusted, paper, test_pki):
    talon = Letter.objects.get(complaint=paper, kind=Letter.Kind.TALON)
    assert "Shagym operator" in talon.document.sealed_by
    assert pyhanko_status(bytes(talon.pdf), test_pki).intact


def test_without_any_seal_the_document_is_issued_unsealed_and_says_so(paper):
    talon = Letter.objects.get(complaint=paper, kind=Letter.Kind.TALON)
    assert talon.document.sealed_by == ""
    assert PdfFileReader(io.BytesIO(bytes(talon.pdf))).embedded_signatures == []


def test_the_receipt_and_a_notice_are_sealed_too(seals, received, test_pki):
    receipt = documents.issue_receipt(received)
    assert pyhanko_status(receipt, test_pki).intact
    notice = documents.issue_notice(complaint=received, sender=received.holder, language="ru", date=received.received_at.date(),
                                    number="", addressee="Ахметов Е.", postal_address="Астана", subject="Уведомление",
                                    body="Текст", legal_reference="АППК")
    assert pyhanko_status(notice, test_pki).intact
    assert set(Document.objects.values_list("kind", flat=True)) == {Document.Kind.RECEIPT, Document.Kind.NOTICE}


@pytest.fixture
def signed_answer(seals, under_review, executor, head, test_pki, committed, now):
    services.propose_decision(actor=executor, complaint=under_review, outcome="perform", reasons="Заң бойынша.",
                              now=now)
    pdf = documents.answer_to_sign(under_review, signer=head)
    assert documents.answer_to_sign(under_review, signer=head) == pdf  # rendered again, the same bytes
    key = test_pki.person("750505300111", surname="Бекенов", first_name="Серік", bin=BODY_BIN,
                          organisation="Министерство")
    with committed():
        event = services.sign_decision(actor=head, complaint=under_review, document=pdf,
                                       signature=verify.verify(key.sign(pdf), pdf), now=now)
    return pdf, Letter.objects.get(event=event, kind=Letter.Kind.ANSWER)


def test_the_answer_is_the_bytes_the_head_signed_with_the_seal_added(signed_answer, test_pki):
    signed_bytes, letter = signed_answer
    issued = bytes(letter.pdf)
    assert issued.startswith(signed_bytes)  # the seal is an incremental update: the signed revision is untouched
    record = letter.document
    assert record.signature is not None and record.signature.bin == BODY_BIN
    assert record.number == documents.answer_number(letter.complaint)
    # The head's CMS travels inside the sealed file and verifies against its first revision.
    reader = PdfFileReader(io.BytesIO(issued))
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[1].get_object()
    cms = spec["/EF"]["/F"].get_object().data
    assert verify.verify(cms, signed_bytes).ok
    status = pyhanko_status(issued, test_pki)
    assert status.intact and status.trusted and status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_the_verification_page_knows_the_original_and_its_signer(signed_answer):
    _, letter = signed_answer
    found = verification.check_file(bytes(letter.pdf))
    assert found.verdict == "original"
    assert found.document.signature.signer_name == "БЕКЕНОВ СЕРІК"
    assert verification.by_number(found.document.number.lower().replace("-", " ")) == found.document


def test_a_tampered_copy_is_told_apart_and_named(signed_answer):
    _, letter = signed_answer
    issued = bytearray(bytes(letter.pdf))
    position = issued.index(b"stream", 200) + 40  # inside the first content stream, same length
    issued[position] ^= 0x01
    found = verification.check_file(bytes(issued))
    assert found.verdict == "altered"
    assert found.document == letter.document  # the seal still names the document it pretends to be
    assert not any(seal.intact for seal in found.seals)
    with override("en"):
        assert "altered" in found.message


def test_something_appended_after_the_seal_is_seen(signed_answer):
    _, letter = signed_answer
    issued = bytes(letter.pdf) + b"\n% appended\n"
    found = verification.check_file(issued)
    assert found.verdict == "altered"


def test_a_pdf_we_never_issued_and_a_non_pdf(signed_answer):
    assert verification.check_file(b"%PDF-1.4\n%%EOF\n").verdict in {"unknown", "not_pdf"}
    assert verification.check_file(b"GIF89a").verdict == "not_pdf"


def test_document_numbers_are_random_and_well_formed():
    numbers = {documents.new_number() for _ in range(200)}
    assert len(numbers) == 200
    assert all(verification.NUMBER.match(n) for n in numbers)


@pytest.mark.parametrize("junk", [b"%PDF-1.7\n" + b"\x00" * 100, b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 1 0 R>>endobj\n"
                                  b"trailer<</Root 1 0 R>>\n%%EOF", b"%PDF-" + bytes(range(256)) * 10])
def test_a_broken_pdf_is_a_verdict_not_an_error(db, junk):
    assert verification.check_file(junk).verdict in {"not_pdf", "unknown"}
