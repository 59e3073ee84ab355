"""GOST 34.310 signatures, verified by an NCANode server (https://github.com/malikzh/NCANode, version 3): the
operator runs it beside Shagym with НУЦ РК's roots and points SHAGYM_NCANODE_URL at it.

    POST {SHAGYM_NCANODE_URL}/cms/verify
    {"cms": "<base64>", "data": "<base64 of the signed bytes>", "revocationCheck": ["OCSP"]}
    -> {"status": 200, "message": "OK", "valid": true,
        "signers": [{"certificates": [{"valid": true, "revocations": [{"revoked": false, "by": "OCSP"}],
                                       "notBefore": "...", "notAfter": "...", "keyUsage": "SIGN",
                                       "subject": {"iin": "...", "bin": "...", "commonName": "..."}, ...}, ...]}]}

The first certificate of the signer is the signer's own. The signer's identity is read from the certificate inside
the CMS (the same as for RSA), so NCANode answers only whether the signature, the chain and the revocation hold."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import replace
from typing import Any

import requests
from django.conf import settings

from . import cms
from .verify import Outcome, Revocation, Signer, Verification


class NCANodeVerifier:
    def __init__(self, url: str | None = None, *, timeout: float | None = None):
        self.url = (url if url is not None else settings.SHAGYM_NCANODE_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.SHAGYM_NCANODE_TIMEOUT

    def verify(self, signature: bytes, data: bytes, *, at: dt.datetime, parsed: cms.Parsed) -> Verification:
        base = Verification(
            outcome=Outcome.UNSUPPORTED, detail="", cms=signature, data_sha256=hashlib.sha256(data).hexdigest(),
            verified_at=at, signer=Signer.of(parsed.certificate), signed_at=parsed.signed_at,
            algorithm=parsed.algorithm, verifier=f"NCANode {self.url}",
        )
        if not self.url:
            return _with(base, detail="GOST 34.310 signature and no NCANode configured (SHAGYM_NCANODE_URL)")
        try:
            answer = requests.post(
                f"{self.url}/cms/verify",
                json={"cms": base64.b64encode(signature).decode(), "data": base64.b64encode(data).decode(),
                      "revocationCheck": ["OCSP"]},
                timeout=self.timeout,
            )
            body: dict[str, Any] = answer.json()
        except (requests.RequestException, ValueError) as exc:
            return _with(base, detail=f"NCANode did not answer: {exc.__class__.__name__}")
        if answer.status_code >= 500 or not isinstance(body, dict):
            return _with(base, detail=f"NCANode answered {answer.status_code}")
        return interpret(base, body)


def _with(base: Verification, **changes: Any) -> Verification:
    return replace(base, **changes)


def interpret(base: Verification, body: dict[str, Any]) -> Verification:
    """NCANode's answer as our outcome. `valid` false with a well-formed signer means the signature or the chain
    failed; a revoked or expired certificate is told apart by its own fields."""
    signers = body.get("signers") or []
    certificate: dict[str, Any] = (signers[0].get("certificates") or [{}])[0] if signers else {}
    revocations = certificate.get("revocations") or []
    revoked = any(r.get("revoked") for r in revocations)
    checked = [str(r.get("by", "")) for r in revocations]
    revocation = Revocation.REVOKED if revoked else Revocation.GOOD if checked else Revocation.NOT_CHECKED
    detail = str(body.get("message", ""))
    common = {"revocation": revocation, "revocation_detail": ", ".join(checked) or "not reported by NCANode"}
    if body.get("valid") is True:
        return _with(base, outcome=Outcome.VALID, detail=detail, **common)
    if not signers:
        # NCANode answers 400 with a message for a CMS it cannot read or a content that does not match.
        outcome = Outcome.TAMPERED if "data" in detail.lower() or "content" in detail.lower() else Outcome.MALFORMED
        return _with(base, outcome=outcome, detail=detail or "NCANode: not valid", **common)
    if revoked:
        return _with(base, outcome=Outcome.REVOKED, detail=detail, **common)
    expired = _outside_validity(certificate, base.verified_at)
    if expired:
        return _with(base, outcome=Outcome.EXPIRED, detail=detail or "certificate outside its validity", **common)
    if certificate.get("valid") is False:
        return _with(base, outcome=Outcome.UNTRUSTED, detail=detail or "certificate chain not valid", **common)
    return _with(base, outcome=Outcome.TAMPERED, detail=detail or "signature not valid", **common)


def _outside_validity(certificate: dict[str, Any], at: dt.datetime) -> bool:
    try:
        start = dt.datetime.fromisoformat(str(certificate["notBefore"]).replace("Z", "+00:00"))
        end = dt.datetime.fromisoformat(str(certificate["notAfter"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return False
    if start.tzinfo is None:
        start, end = start.replace(tzinfo=dt.UTC), end.replace(tzinfo=dt.UTC)
    return not start <= at <= end
