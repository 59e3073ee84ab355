"""Each outcome of a verification, with certificates made in the test: a root, an intermediate, a revoked one, an
expired one; revocation answered by an OCSP responder and a CRL on loopback, or by nobody."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils.translation import override

from shagym.signatures import pki, verify
from shagym.signatures.testing import TestPKI, loopback
from shagym.signatures.verify import Outcome, Revocation

IIN = "880101300123"
CONTENT = '{"complaint":"Прошу рассмотреть"}'.encode()


def test_a_signature_by_a_trusted_certificate_is_valid_and_names_the_signer(trusted):
    person = trusted.person(IIN, key_kind="rsa")
    result = verify.verify(person.sign(CONTENT), CONTENT)
    assert result.ok, result.detail
    assert result.signer is not None
    assert (result.signer.iin, result.signer.common_name) == (IIN, "АХМЕТОВ ЕРЛАН")
    assert result.algorithm == "RSA, SHA-256"
    assert result.chain[-1].startswith("Common Name: Test Root CA")
    assert result.signed_at is not None


def test_ecdsa_signature_is_verified_in_process(trusted):
    result = verify.verify(trusted.person(IIN, key_kind="ec").sign(CONTENT), CONTENT)
    assert result.ok and result.algorithm == "ECDSA, SHA-256"


def test_base64_and_pem_as_ncalayer_and_people_send_them(trusted):
    der = trusted.person(IIN).sign(CONTENT)
    as_text = base64.b64encode(der).decode()
    as_pem = "-----BEGIN CMS-----\n" + "\n".join(as_text[i:i + 64] for i in range(0, len(as_text), 64)) + "\n-----END CMS-----\n"
    assert verify.verify(as_text, CONTENT).ok
    assert verify.verify(as_pem, CONTENT).ok


def test_an_attached_signature_of_the_same_content_is_valid(trusted):
    assert verify.verify(trusted.person(IIN).sign(CONTENT, attach=True), CONTENT).ok


def test_changed_content_is_tampered(trusted):
    signature = trusted.person(IIN).sign(CONTENT)
    result = verify.verify(signature, CONTENT.replace("Прошу".encode(), "Требую".encode()))
    assert result.outcome == Outcome.TAMPERED
    with override("en"):
        assert "does not match" in result.explanation


def test_an_attached_signature_of_other_content_is_tampered(trusted):
    result = verify.verify(trusted.person(IIN).sign(b"other", attach=True), CONTENT)
    assert result.outcome == Outcome.TAMPERED


def test_a_forged_signature_value_is_tampered(trusted):
    signature = bytearray(trusted.person(IIN, key_kind="rsa").sign(CONTENT))
    signature[-5] ^= 0xFF  # the last bytes are the signature value
    assert verify.verify(bytes(signature), CONTENT).outcome == Outcome.TAMPERED


def test_garbage_is_malformed():
    assert verify.verify("not a signature at all", CONTENT).outcome == Outcome.MALFORMED
    assert verify.verify(b"\x30\x03\x02\x01\x01", CONTENT).outcome == Outcome.MALFORMED


def test_a_certificate_of_another_ca_is_untrusted(trusted):
    stranger = TestPKI.make().person(IIN)
    assert verify.verify(stranger.sign(CONTENT), CONTENT).outcome == Outcome.UNTRUSTED


def test_nothing_is_trusted_without_configured_roots(test_pki, settings):
    settings.SHAGYM_TRUST_DIR = ""
    assert verify.verify(test_pki.person(IIN).sign(CONTENT), CONTENT).outcome == Outcome.UNTRUSTED


def test_an_expired_certificate_is_refused(trusted):
    now = pki.utcnow()
    expired = trusted.person(IIN, not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=1))
    assert verify.verify(expired.sign(CONTENT), CONTENT).outcome == Outcome.EXPIRED


def test_validity_is_judged_at_the_time_of_signing(trusted):
    now = pki.utcnow()
    person = trusted.person(IIN, not_before=now - dt.timedelta(days=10), not_after=now + dt.timedelta(days=10))
    signature = person.sign(CONTENT)
    assert verify.verify(signature, CONTENT, at=now - dt.timedelta(days=5)).ok
    assert verify.verify(signature, CONTENT, at=now + dt.timedelta(days=11)).outcome == Outcome.EXPIRED
    assert verify.verify(signature, CONTENT, at=now - dt.timedelta(days=11)).outcome == Outcome.EXPIRED


def test_an_authentication_key_is_not_a_signing_key(trusted):
    person = trusted.person(IIN, usage=pki.AUTH_USAGE)
    assert verify.verify(person.sign(CONTENT), CONTENT).outcome == Outcome.WRONG_KEY


def test_revoked_in_the_crl_is_refused(trusted):
    with loopback() as server:
        person = trusted.person(IIN, crl_url=server.url + "/nca.crl")
        crl = pki.make_crl(trusted.intermediate, [(person.cert, pki.utcnow() - dt.timedelta(hours=1))])
        server.routes["/nca.crl"] = lambda _body: (200, "application/pkix-crl", crl)
        result = verify.verify(person.sign(CONTENT), CONTENT)
    assert result.outcome == Outcome.REVOKED
    assert result.revocation == Revocation.REVOKED
    assert "CRL" in result.revocation_detail


def test_not_in_the_crl_is_good(trusted):
    with loopback() as server:
        person = trusted.person(IIN, crl_url=server.url + "/nca.crl")
        other = trusted.person("900202400456")
        crl = pki.make_crl(trusted.intermediate, [(other.cert, pki.utcnow() - dt.timedelta(hours=1))])
        server.routes["/nca.crl"] = lambda _body: (200, "application/pkix-crl", crl)
        result = verify.verify(person.sign(CONTENT), CONTENT)
    assert result.ok and result.revocation == Revocation.GOOD


def test_a_crl_signed_by_someone_else_is_not_believed(trusted):
    with loopback() as server:
        person = trusted.person(IIN, crl_url=server.url + "/nca.crl")
        forged = pki.make_crl(TestPKI.make().intermediate, [(person.cert, pki.utcnow())])
        server.routes["/nca.crl"] = lambda _body: (200, "application/pkix-crl", forged)
        result = verify.verify(person.sign(CONTENT), CONTENT)
    assert result.ok
    assert result.revocation == Revocation.NOT_CHECKED
    assert "not usable" in result.revocation_detail


@pytest.mark.parametrize("revoked", [False, True])
def test_the_ocsp_responder_is_asked_first(trusted, revoked):
    with loopback() as server:
        person = trusted.person(IIN, ocsp_url=server.url + "/ocsp", crl_url=server.url + "/nca.crl")
        when = pki.utcnow() - dt.timedelta(hours=2) if revoked else None
        server.routes["/ocsp"] = lambda body: (
            200, "application/ocsp-response", pki.ocsp_answer(body, trusted.intermediate, {person.cert.serial_number: when}))
        result = verify.verify(person.sign(CONTENT), CONTENT)
        asked = [path for path, _ in server.requests]
    assert asked == ["/ocsp"]
    assert result.outcome == (Outcome.REVOKED if revoked else Outcome.VALID)
    assert result.revocation == (Revocation.REVOKED if revoked else Revocation.GOOD)
    assert result.revocation_detail.startswith("OCSP")


def test_an_unreachable_responder_leaves_revocation_not_checked(trusted):
    with loopback() as server:
        url = server.url
    person = trusted.person(IIN, ocsp_url=url + "/ocsp", crl_url=url + "/nca.crl")  # the server is gone
    result = verify.verify(person.sign(CONTENT), CONTENT)
    assert result.ok
    assert result.revocation == Revocation.NOT_CHECKED
    assert "OCSP" in result.revocation_detail and "CRL" in result.revocation_detail


def test_a_certificate_without_revocation_pointers_is_not_checked(trusted):
    result = verify.verify(trusted.person(IIN).sign(CONTENT), CONTENT)
    assert result.ok and result.revocation == Revocation.NOT_CHECKED


def test_the_employee_certificate_names_the_organisation_bin(trusted):
    head = trusted.person(IIN, bin="150440000012", organisation="Министерство")
    signer = verify.verify(head.sign(CONTENT), CONTENT).signer
    assert signer is not None and (signer.iin, signer.bin, signer.organisation) == (IIN, "150440000012", "Министерство")


def test_the_record_is_plain_json(trusted):
    record = verify.verify(trusted.person(IIN).sign(CONTENT), CONTENT).as_json()
    assert record["outcome"] == "valid" and record["signer"]["iin"] == IIN
