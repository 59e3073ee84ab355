"""GOST 34.310 signatures go to NCANode's /cms/verify: a fake NCANode on loopback answers as the real one does.

A GOST signature cannot be made here (no GOST in `cryptography`), so the test takes a real CMS and marks its
signature algorithm with the Kazakh GOST OID: the structure NCALayer would send for a GOST key."""

from __future__ import annotations

import base64
import json

import pytest
from asn1crypto import algos
from asn1crypto import cms as asn1_cms

from shagym.signatures import verify
from shagym.signatures.ncanode import NCANodeVerifier
from shagym.signatures.testing import loopback
from shagym.signatures.verify import Outcome, Revocation

IIN = "880101300123"
DATA = b"answer.pdf bytes"
GOST_2015 = "1.2.398.3.10.1.1.2.3.2"  # ГОСТ 34.310-2015, 512 bits


def gost_like(der: bytes) -> bytes:
    info = asn1_cms.ContentInfo.load(der)
    info["content"]["signer_infos"][0]["signature_algorithm"]["algorithm"] = algos.SignedDigestAlgorithmId(GOST_2015)
    return info.dump(force=True)


def answer(valid: bool, *, revoked: bool = False, not_after: str = "2030-01-01T00:00:00Z", signers: bool = True):
    certificate = {"valid": valid, "revocations": [{"revoked": revoked, "by": "OCSP"}],
                   "notBefore": "2020-01-01T00:00:00Z", "notAfter": not_after, "keyUsage": "SIGN",
                   "subject": {"iin": IIN, "commonName": "АХМЕТОВ ЕРЛАН"}}
    body = {"status": 200, "message": "OK", "valid": valid,
            "signers": [{"certificates": [certificate]}] if signers else []}
    return lambda _request: (200, "application/json", json.dumps(body).encode())


@pytest.fixture
def gost_signature(test_pki):
    return gost_like(test_pki.person(IIN).sign(DATA))


def test_a_gost_signature_is_sent_to_ncanode_with_the_signed_bytes(gost_signature, settings):
    with loopback(**{"/cms/verify": answer(True)}) as server:
        settings.SHAGYM_NCANODE_URL = server.url
        result = verify.verify(gost_signature, DATA)
        sent = json.loads(server.requests[0][1])
    assert result.outcome == Outcome.VALID
    assert result.verifier == f"NCANode {server.url}"
    assert result.algorithm.startswith("GOST 34.310")
    assert result.revocation == Revocation.GOOD
    assert result.signer is not None and result.signer.iin == IIN  # read from the certificate inside the CMS
    assert base64.b64decode(sent["data"]) == DATA
    assert base64.b64decode(sent["cms"]) == gost_signature
    assert sent["revocationCheck"] == ["OCSP"]


@pytest.mark.parametrize(("reply", "outcome"), [
    (answer(False, revoked=True), Outcome.REVOKED),
    (answer(False, not_after="2021-01-01T00:00:00Z"), Outcome.EXPIRED),
    (answer(False), Outcome.UNTRUSTED),
    (lambda _r: (400, "application/json", b'{"status": 400, "message": "Data does not match"}'), Outcome.TAMPERED),
])
def test_ncanode_refusals_become_our_outcomes(gost_signature, settings, reply, outcome):
    with loopback(**{"/cms/verify": reply}) as server:
        settings.SHAGYM_NCANODE_URL = server.url
        assert verify.verify(gost_signature, DATA).outcome == outcome


def test_without_ncanode_a_gost_signature_is_not_verifiable_here(gost_signature, settings):
    settings.SHAGYM_NCANODE_URL = ""
    result = verify.verify(gost_signature, DATA)
    assert result.outcome == Outcome.UNSUPPORTED
    assert "SHAGYM_NCANODE_URL" in result.detail


def test_ncanode_down_is_not_a_valid_signature(gost_signature, settings):
    with loopback() as server:
        url = server.url
    settings.SHAGYM_NCANODE_URL = url
    result = verify.verify(gost_signature, DATA)
    assert result.outcome == Outcome.UNSUPPORTED and "did not answer" in result.detail


def test_the_gost_verifier_is_pluggable(gost_signature, settings):
    settings.SHAGYM_GOST_VERIFIER = "shagym.signatures.verify.NoGostVerifier"
    settings.SHAGYM_NCANODE_URL = "http://127.0.0.1:9"
    assert verify.verify(gost_signature, DATA).outcome == Outcome.UNSUPPORTED


def test_rsa_and_ecdsa_never_go_to_ncanode(trusted, settings):
    with loopback(**{"/cms/verify": answer(False)}) as server:
        settings.SHAGYM_NCANODE_URL = server.url
        assert verify.verify(trusted.person(IIN).sign(DATA), DATA).ok
        assert server.requests == []


def test_a_verifier_instance_takes_its_own_url():
    assert NCANodeVerifier("http://ncanode.internal:14579/").url == "http://ncanode.internal:14579"
