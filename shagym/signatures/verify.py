"""Verifying a CMS (CAdES) signature of given bytes, as the law asks of an electronic document (Law of the Republic
of Kazakhstan "On electronic document and electronic digital signature", Art. 10): the signature matches the
content, the certificate leads to a trusted root (НУЦ РК's, configured in SHAGYM_TRUST_DIR), it was valid at the
time of signing and not revoked; the signer's identity (IIN, BIN) is read from the certificate for the caller to
match against the applicant or the body.

RSA and ECDSA are verified here, in-process; GOST 34.310 signatures go to the GOST verifier (ncanode.py by default,
settings.SHAGYM_GOST_VERIFIER). The time of signing is the time we receive the signature (`at`): our clock, not the
signing-time attribute the signer's computer wrote, which is recorded beside it."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule

from . import blocking, cms, revocation

logger = logging.getLogger(__name__)


class Outcome(models.TextChoices):
    VALID = "valid", _("valid")
    TAMPERED = "tampered", _("does not match the signed content")
    MALFORMED = "malformed", _("not a readable signature")
    UNTRUSTED = "untrusted", _("certificate not issued by a trusted certification centre")
    EXPIRED = "expired", _("certificate not valid at the time of signing")
    REVOKED = "revoked", _("certificate revoked")
    WRONG_KEY = "wrong_key", _("not a signing key")
    UNSUPPORTED = "unsupported", _("algorithm not verifiable here")


class Revocation(models.TextChoices):
    GOOD = "good", _("not revoked (checked)")
    REVOKED = "revoked", _("revoked")
    NOT_CHECKED = "not_checked", _("not checked")


# What each outcome tells the person who signed (or who checks a document): what happened and what to do.
EXPLANATIONS: dict[str, Any] = {
    Outcome.VALID: _("The signature is valid."),
    Outcome.TAMPERED: _("The signature does not match the content: the content was changed after signing, or "
                        "another document was signed."),
    Outcome.MALFORMED: _("This is not a signature we can read. Sign again with NCALayer."),
    Outcome.UNTRUSTED: _("The certificate was not issued by a certification centre we trust (the National "
                         "Certification Centre of the Republic of Kazakhstan)."),
    Outcome.EXPIRED: _("The certificate was not valid at the time of signing (expired or not yet valid). Renew "
                       "your key at the National Certification Centre and sign again."),
    Outcome.REVOKED: _("The certificate has been revoked. Get a new key at the National Certification Centre and "
                       "sign again."),
    Outcome.WRONG_KEY: _("This key is for signing in, not for signing documents. Choose the signing key (its file "
                         "name starts with RSA or GOSTKNCA)."),
    Outcome.UNSUPPORTED: _("Signatures of this kind cannot be verified here yet. Contact the body by phone."),
}


@dataclass(frozen=True)
class Signer:
    """Who signed, as the certificate says."""

    common_name: str
    surname: str
    given_name: str
    iin: str
    bin: str
    organisation: str
    subject: str
    issuer: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    certificate: bytes  # DER
    fingerprint: str  # SHA-256 of the DER, hex

    @classmethod
    def of(cls, cert: asn1_x509.Certificate) -> Signer:
        names: dict[str, str] = {}
        for rdn in cert.subject.chosen:
            for attr in rdn:
                value = attr["value"].native
                names.setdefault(str(attr["type"].native), str(value))
        serial_number = names.get("serial_number", "")
        unit = names.get("organizational_unit_name", "")
        validity = cert["tbs_certificate"]["validity"]
        der = cert.dump()
        return cls(
            common_name=names.get("common_name", ""),
            surname=names.get("surname", ""),
            given_name=names.get("given_name", ""),
            # НУЦ РК: serialNumber "IIN880101300123" for the person; OU "BIN150440000012" for the organisation.
            iin=serial_number[3:] if serial_number.upper().startswith("IIN") else "",
            bin=unit[3:] if unit.upper().startswith("BIN") else "",
            organisation=names.get("organization_name", ""),
            subject=cert.subject.human_friendly,
            # The issuing CA by its name (e.g. "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)"): shown on kk and ru pages, where
            # human_friendly's English labels ("Common Name: …, Country: KZ") do not belong.
            issuer=str(cert.issuer.native.get("common_name") or cert.issuer.human_friendly),
            serial=format(cert.serial_number, "x"),
            not_before=validity["not_before"].native,
            not_after=validity["not_after"].native,
            certificate=der,
            fingerprint=hashlib.sha256(der).hexdigest(),
        )


@dataclass(frozen=True)
class Verification:
    """The result of one verification: the outcome, who signed, and what was checked."""

    outcome: str
    detail: str  # technical, for the record and the operator (English)
    cms: bytes
    data_sha256: str
    verified_at: dt.datetime
    signer: Signer | None = None
    signed_at: dt.datetime | None = None
    algorithm: str = ""
    revocation: str = Revocation.NOT_CHECKED
    revocation_detail: str = ""
    verifier: str = "in-process"
    chain: list[str] = field(default_factory=list)  # subjects from the signer up to the root

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.VALID

    @property
    def explanation(self) -> str:
        return str(EXPLANATIONS[self.outcome])

    def as_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome, "detail": self.detail, "data_sha256": self.data_sha256,
            "verified_at": self.verified_at.isoformat(), "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "algorithm": self.algorithm, "revocation": self.revocation, "revocation_detail": self.revocation_detail,
            "verifier": self.verifier, "chain": self.chain,
            "signer": None if self.signer is None else {
                "common_name": self.signer.common_name, "iin": self.signer.iin, "bin": self.signer.bin,
                "organisation": self.signer.organisation, "subject": self.signer.subject,
                "issuer": self.signer.issuer, "serial": self.signer.serial,
                "not_before": self.signer.not_before.isoformat(), "not_after": self.signer.not_after.isoformat(),
                "fingerprint": self.signer.fingerprint,
            },
        }


class GostVerifier(Protocol):
    """Verifies a GOST 34.310 CMS signature of `data` (detached) and answers a Verification."""

    def verify(self, signature: bytes, data: bytes, *, at: dt.datetime, parsed: cms.Parsed) -> Verification: ...


class NoGostVerifier:
    """No GOST verifier configured: such signatures are recorded as not verifiable here."""

    def verify(self, signature: bytes, data: bytes, *, at: dt.datetime, parsed: cms.Parsed) -> Verification:
        return Verification(
            outcome=Outcome.UNSUPPORTED, detail="GOST 34.310 signature and no NCANode configured (SHAGYM_NCANODE_URL)",
            cms=signature, data_sha256=hashlib.sha256(data).hexdigest(), verified_at=at,
            signer=Signer.of(parsed.certificate), signed_at=parsed.signed_at, algorithm=parsed.algorithm,
        )


def gost_verifier() -> GostVerifier:
    path = settings.SHAGYM_GOST_VERIFIER
    if not path:
        return NoGostVerifier()
    verifier: GostVerifier = import_string(path)()
    return verifier


# ---------------------------------------------------------------------------------------------------------------
# The trusted roots and the intermediates, from the operator's directory


@dataclass(frozen=True)
class TrustStore:
    roots: tuple[asn1_x509.Certificate, ...]
    intermediates: tuple[asn1_x509.Certificate, ...]


def _read_certificates(path: Path) -> list[asn1_x509.Certificate]:
    raw = path.read_bytes()
    if pem.detect(raw):
        return [asn1_x509.Certificate.load(der) for _kind, _headers, der in pem.unarmor(raw, multiple=True)]
    return [asn1_x509.Certificate.load(raw)]


@lru_cache(maxsize=4)
def _load_store(directory: str, stamp: tuple[tuple[str, float], ...]) -> TrustStore:
    roots: list[asn1_x509.Certificate] = []
    intermediates: list[asn1_x509.Certificate] = []
    for name, _mtime in stamp:
        try:
            certificates = _read_certificates(Path(directory) / name)
        except (OSError, ValueError) as exc:
            logger.warning("Trust store: %s is not a certificate (%s)", name, exc)
            continue
        for cert in certificates:
            (roots if cert.self_signed == "maybe" or cert.self_signed == "yes" else intermediates).append(cert)
    return TrustStore(tuple(roots), tuple(intermediates))


def trust_store() -> TrustStore:
    """Every certificate file (.pem .crt .cer .der) in SHAGYM_TRUST_DIR: self-signed ones are roots, the others
    intermediates. Re-read when a file there changes."""
    directory = Path(settings.SHAGYM_TRUST_DIR) if settings.SHAGYM_TRUST_DIR else None
    if directory is None or not directory.is_dir():
        return TrustStore((), ())
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() in {".pem", ".crt", ".cer", ".der"})
    return _load_store(str(directory), tuple((p.name, p.stat().st_mtime) for p in files))


# ---------------------------------------------------------------------------------------------------------------
# The chain


class ChainRefused(Exception):
    def __init__(self, outcome: str, detail: str):
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail


def _context(store: TrustStore, extra: list[asn1_x509.Certificate], at: dt.datetime, *,
             revinfo: revocation.Revinfo | None = None) -> ValidationContext:
    if revinfo is None:
        return ValidationContext(trust_roots=list(store.roots), other_certs=[*store.intermediates, *extra],
                                 moment=at, allow_fetching=False, revocation_mode="soft-fail")
    # The signer's certificate must have a valid answer (the one fetched); the CAs above it are not asked.
    policy = CertRevTrustPolicy(RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK,
    ))
    return ValidationContext(trust_roots=list(store.roots), other_certs=[*store.intermediates, *extra], moment=at,
                             allow_fetching=False, crls=revinfo.crls, ocsps=revinfo.ocsps, revinfo_policy=policy)


async def _validate(cert: asn1_x509.Certificate, context: ValidationContext,
                    extra: list[asn1_x509.Certificate]) -> list[asn1_x509.Certificate]:
    validator = CertificateValidator(cert, intermediate_certs=extra, validation_context=context)
    path = await validator.async_validate_usage(key_usage={"non_repudiation"})
    return [item for item in path.iter_certs(include_root=True)]  # type: ignore[misc]


def check_chain(cert: asn1_x509.Certificate, extra: list[asn1_x509.Certificate], at: dt.datetime,
                *, revinfo: revocation.Revinfo | None = None) -> list[asn1_x509.Certificate]:
    """The path from the root to `cert`, valid at `at`; raise ChainRefused with the outcome otherwise."""
    store = trust_store()
    try:
        return blocking.run(_validate(cert, _context(store, extra, at, revinfo=revinfo), extra))
    except cv_errors.RevokedError as exc:
        raise ChainRefused(Outcome.REVOKED, str(exc)) from exc
    except (cv_errors.ExpiredError, cv_errors.NotYetValidError) as exc:
        raise ChainRefused(Outcome.EXPIRED, str(exc)) from exc
    except cv_errors.InsufficientRevinfoError as exc:
        raise ChainRefused(Revocation.NOT_CHECKED, str(exc)) from exc
    except cv_errors.PathBuildingError as exc:
        raise ChainRefused(Outcome.UNTRUSTED, str(exc) or "no path to a trusted root") from exc
    except cv_errors.InvalidCertificateError as exc:
        if "purpose" in str(exc).lower() or "usage" in str(exc).lower():
            raise ChainRefused(Outcome.WRONG_KEY, str(exc)) from exc
        raise ChainRefused(Outcome.UNTRUSTED, str(exc)) from exc
    except cv_errors.PathValidationError as exc:
        raise ChainRefused(Outcome.UNTRUSTED, str(exc)) from exc


# ---------------------------------------------------------------------------------------------------------------
# The whole verification


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def verify(signature: bytes | str, data: bytes, *, at: dt.datetime | None = None) -> Verification:
    """Verify a CMS signature of `data`, received at `at` (now). Network: the revocation responder, or NCANode for
    GOST; call it before any row is locked (a service takes the result)."""
    at = at or now()
    digest = hashlib.sha256(data).hexdigest()
    try:
        der = cms.decode(signature)
        parsed = cms.parse(der)
    except cms.CmsError as exc:
        raw = signature.encode("ascii", "ignore") if isinstance(signature, str) else signature
        return Verification(outcome=exc.outcome, detail=str(exc), cms=raw[:65536], data_sha256=digest, verified_at=at)
    if parsed.is_gost:
        return gost_verifier().verify(der, data, at=at, parsed=parsed)
    base = Verification(outcome=Outcome.VALID, detail="", cms=der, data_sha256=digest, verified_at=at,
                        signer=Signer.of(parsed.certificate), signed_at=parsed.signed_at, algorithm=parsed.algorithm)
    try:
        cms.check_integrity(parsed, data)
    except cms.CmsError as exc:
        return replace(base, outcome=exc.outcome, detail=str(exc))
    extra = [c for c in parsed.certificates if c.dump() != parsed.certificate.dump()]
    try:
        path = check_chain(parsed.certificate, extra, at)
    except ChainRefused as exc:
        return replace(base, outcome=exc.outcome, detail=exc.detail)
    base = replace(base, chain=[c.subject.human_friendly for c in reversed(path)])
    return _with_revocation(base, parsed, path, extra, at)


def _with_revocation(base: Verification, parsed: cms.Parsed, path: list[asn1_x509.Certificate],
                     extra: list[asn1_x509.Certificate], at: dt.datetime) -> Verification:
    issuer = path[-2] if len(path) >= 2 else path[-1]
    try:
        info = revocation.fetch(parsed.certificate, issuer, timeout=settings.SHAGYM_REVOCATION_TIMEOUT)
    except Exception as exc:  # the outside world: whatever fails there leaves the status unchecked
        logger.warning("Revocation fetch failed: %s", exc)
        info = revocation.Revinfo(problems=[exc.__class__.__name__])
    if not info.found:
        return replace(base, revocation=Revocation.NOT_CHECKED,
                       revocation_detail="; ".join(info.problems) or "no answer")
    try:
        check_chain(parsed.certificate, extra, at, revinfo=info)
    except ChainRefused as exc:
        if exc.outcome == Outcome.REVOKED:
            return replace(base, outcome=Outcome.REVOKED, detail=exc.detail, revocation=Revocation.REVOKED,
                           revocation_detail=", ".join(info.sources))
        # The answer came but could not be trusted (bad signature, stale): recorded, not decided on.
        return replace(base, revocation=Revocation.NOT_CHECKED,
                       revocation_detail=f"{', '.join(info.sources)}: answer not usable ({exc.detail})")
    return replace(base, revocation=Revocation.GOOD, revocation_detail=", ".join(info.sources))
