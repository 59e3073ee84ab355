"""RULES §3, §23: the applicant signs the complaint's canonical content, the head signs the answer; each signature is
verified, matched to the signer (IIN, BIN) and kept with the event that recorded the signing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import override

from shagym.complaints import services, signing
from shagym.complaints.models import Complaint, ComplaintEvent, Signature
from shagym.complaints.states import Action, ApplicantKind, Channel, Refused, State
from shagym.complaints.tests.factories import complaint_input
from shagym.signatures import verify

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BODY_BIN = "150440000122"  # identifiers.make_bin(2015, 4, serial=12)


@pytest.fixture
def required(settings):
    settings.SHAGYM_APPLICANT_SIGNATURE = "required"
    settings.SHAGYM_ANSWER_SIGNATURE = "required"


def signed(person, content):
    return verify.verify(person.sign(content), content)


def test_applicant_signs_the_canonical_content_and_it_is_kept_with_the_filing(trusted, required, applicant, ministry):
    data = complaint_input(reviewing_body=ministry)
    upload = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    content = signing.complaint_content(data, [signing.upload_digest(upload)])
    event = services.submit_complaint(actor=applicant, data=data, attachments=[upload],
                                      signature=signed(trusted.person(data.iin), content))
    record = event.signature
    assert record.purpose == Signature.Purpose.COMPLAINT
    assert bytes(record.content) == content and record.iin == data.iin
    assert record.outcome == verify.Outcome.VALID and record.revocation == verify.Revocation.NOT_CHECKED
    assert event.payload.signed == "digital"
    document = json.loads(content)
    assert document["applicant"]["iin"] == data.iin
    assert document["attachments"][0]["sha256"] == event.complaint.attachments.get().sha256


def test_canonical_content_is_deterministic_and_follows_every_field(ministry):
    data = complaint_input(reviewing_body=ministry)
    assert signing.complaint_content(data, []) == signing.complaint_content(data, [])
    changed = complaint_input(reviewing_body=ministry, demands="Басқа талап.")
    assert signing.complaint_content(changed, []) != signing.complaint_content(data, [])
    assert signing.complaint_content(data, [("a.pdf", "0" * 64)]) != signing.complaint_content(data, [])


def test_portal_complaint_without_a_signature_is_refused_when_required(required, applicant, ministry):
    with pytest.raises(Refused) as refused:
        services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry))
    assert refused.value.field == "signature" and "NCALayer" in refused.value.message
    assert not Complaint.objects.exists()


def test_without_the_requirement_the_account_alone_files_it(applicant, ministry):
    event = services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry))
    assert event.payload.signed == "" and not Signature.objects.exists()


def test_a_signature_with_another_persons_iin_is_refused(trusted, required, applicant, ministry):
    data = complaint_input(reviewing_body=ministry)
    content = signing.complaint_content(data, [])
    with pytest.raises(Refused) as refused:
        services.submit_complaint(actor=applicant, data=data, signature=signed(trusted.person("900202400456"), content))
    assert "900202400456" in refused.value.message and data.iin in refused.value.message
    assert not Complaint.objects.exists()


def test_a_signature_of_other_content_is_refused(trusted, required, applicant, ministry):
    data = complaint_input(reviewing_body=ministry)
    earlier = signing.complaint_content(complaint_input(reviewing_body=ministry, demands="Бұрынғы талап."), [])
    with override("en"), pytest.raises(Refused) as refused:
        services.submit_complaint(actor=applicant, data=data, signature=signed(trusted.person(data.iin), earlier))
    assert "other content" in refused.value.message


def test_a_file_swapped_after_signing_is_refused(trusted, required, applicant, ministry):
    data = complaint_input(reviewing_body=ministry)
    signed_file = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    content = signing.complaint_content(data, [signing.upload_digest(signed_file)])
    swapped = SimpleUploadedFile("scan.pdf", PDF + b"% another\n", content_type="application/pdf")
    with pytest.raises(Refused):
        services.submit_complaint(actor=applicant, data=data, attachments=[swapped],
                                  signature=signed(trusted.person(data.iin), content))


def test_an_untrusted_signature_is_refused_with_its_explanation(test_pki, required, applicant, ministry, settings):
    settings.SHAGYM_TRUST_DIR = ""
    data = complaint_input(reviewing_body=ministry)
    content = signing.complaint_content(data, [])
    with pytest.raises(Refused) as refused:
        services.submit_complaint(actor=applicant, data=data, signature=signed(test_pki.person(data.iin), content))
    assert refused.value.message == str(verify.EXPLANATIONS[verify.Outcome.UNTRUSTED])


def test_a_legal_entity_signs_with_its_bin(trusted, required, applicant, ministry):
    data = complaint_input(reviewing_body=ministry, applicant_kind=ApplicantKind.LEGAL_ENTITY, legal_name="«Дала» ЖШС",
                           bin=BODY_BIN, outgoing_number="12/3", outgoing_date=dt.date(2026, 11, 2))
    content = signing.complaint_content(data, [])
    director = trusted.person("880101300123", bin=BODY_BIN, organisation="«Дала» ЖШС")
    event = services.submit_complaint(actor=applicant, data=data, signature=signed(director, content))
    assert event.signature.bin == BODY_BIN
    with pytest.raises(Refused):
        other = trusted.person("880101300123", bin="150440000231")
        services.submit_complaint(actor=applicant, data=data, signature=signed(other, content))


def test_a_paper_complaint_records_the_paper_signature(required, clerk, ministry):
    event = services.submit_complaint(actor=clerk, holder=ministry,
                                      data=complaint_input(reviewing_body=ministry, channel=Channel.OFFICE))
    assert event.payload.signed == "paper"


@pytest.fixture
def answer_required(settings):
    settings.SHAGYM_ANSWER_SIGNATURE = "required"


@pytest.fixture
def awaiting(under_review, executor, ministry, now):
    ministry.bin = BODY_BIN
    ministry.save()
    services.propose_decision(actor=executor, complaint=under_review, outcome="perform", reasons="Заң бойынша.",
                              now=now)
    return under_review


def test_head_signs_the_answer_with_a_certificate_of_the_body(trusted, answer_required, awaiting, head):
    head_key = trusted.person("750505300111", surname="Бекенов", first_name="Серік", bin=BODY_BIN,
                              organisation="Министерство")
    event = services.sign_decision(actor=head, complaint=awaiting, signature=signed(head_key, PDF), document=PDF)
    assert event.complaint.status == State.DECIDED
    assert event.signature.purpose == Signature.Purpose.ANSWER
    assert bytes(event.signature.content) == PDF and event.signature.bin == BODY_BIN


def test_head_signature_of_another_body_is_refused(trusted, answer_required, awaiting, head):
    stranger = trusted.person("750505300111", bin="150440000231")
    with pytest.raises(Refused) as refused:
        services.sign_decision(actor=head, complaint=awaiting, signature=signed(stranger, PDF), document=PDF)
    assert "150440000231" in refused.value.message and BODY_BIN in refused.value.message
    awaiting.refresh_from_db()
    assert awaiting.status == State.AWAITING_SIGNATURE
    assert not ComplaintEvent.objects.filter(action=Action.SIGN_DECISION).exists()


def test_a_signed_answer_must_be_the_document_shown(trusted, answer_required, awaiting, head):
    key = trusted.person("750505300111", bin=BODY_BIN)
    with pytest.raises(Refused):
        services.sign_decision(actor=head, complaint=awaiting, signature=signed(key, PDF), document=PDF + b" ")


def test_the_answer_needs_the_heads_signature_when_required(answer_required, awaiting, head):
    with pytest.raises(Refused) as refused:
        services.sign_decision(actor=head, complaint=awaiting)
    assert refused.value.field == "signature"


def test_a_body_without_a_bin_cannot_match_a_signature(trusted, answer_required, awaiting, head, ministry):
    ministry.bin = ""
    ministry.save()
    key = trusted.person("750505300111", bin=BODY_BIN)
    with override("en"), pytest.raises(Refused) as refused:
        services.sign_decision(actor=head, complaint=awaiting, signature=signed(key, PDF), document=PDF)
    assert "BIN" in refused.value.message


def test_signatures_are_never_changed_or_deleted(trusted, applicant, ministry):
    data = complaint_input(reviewing_body=ministry)
    content = signing.complaint_content(data, [])
    record = services.submit_complaint(actor=applicant, data=data,
                                       signature=signed(trusted.person(data.iin), content)).signature
    with pytest.raises(TypeError):
        record.save()
    with pytest.raises(TypeError):
        record.delete()
    with pytest.raises(TypeError):
        Signature.objects.filter(pk=record.pk).update(iin="")
    with pytest.raises(TypeError):
        Signature.objects.all().delete()
