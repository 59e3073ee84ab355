"""Reading a CMS (CAdES) signature and checking that it signs the given bytes: the message digest in its signed
attributes, and the signature over those attributes with the signer's public key (RSA PKCS#1 v1.5 or PSS, ECDSA).
GOST 34.310 signatures are recognised here and verified elsewhere (verify.py hands them to NCANode)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from asn1crypto import cms as asn1_cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

# Kazakh (1.2.398.3.10...) and Russian (1.2.643...) GOST algorithm arcs.
GOST_PREFIXES = ("1.2.398.3.10.", "1.2.643.")

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class CmsError(Exception):
    """The signature cannot be read or checked. `outcome` is the verification outcome it leads to."""

    def __init__(self, message: str, *, outcome: str):
        super().__init__(message)
        self.outcome = outcome


@dataclass(frozen=True)
class Parsed:
    signed_data: asn1_cms.SignedData
    signer_info: asn1_cms.SignerInfo
    certificate: asn1_x509.Certificate
    certificates: list[asn1_x509.Certificate]  # every certificate the CMS carries (the chain, as the signer sent it)
    signed_at: dt.datetime | None  # the signing-time attribute: what the signer's computer said

    @property
    def signature_oid(self) -> str:
        return str(self.signer_info["signature_algorithm"]["algorithm"].dotted)

    @property
    def key_oid(self) -> str:
        return str(self.certificate.public_key["algorithm"]["algorithm"].dotted)

    @property
    def is_gost(self) -> bool:
        return any(oid.startswith(GOST_PREFIXES) for oid in (self.signature_oid, self.key_oid))

    @property
    def algorithm(self) -> str:
        """"RSA, SHA-256", "ECDSA, SHA-256", "GOST 34.310 (1.2.398...)"."""
        if self.is_gost:
            return f"GOST 34.310 ({self.signature_oid})"
        digest = str(self.signer_info["digest_algorithm"]["algorithm"].native).upper().replace("SHA", "SHA-")
        kind = "ECDSA" if self.certificate.public_key.algorithm == "ec" else "RSA"
        return f"{kind}, {digest}"


_PEM = re.compile(rb"-----BEGIN [A-Z0-9 ]+-----(.*?)-----END [A-Z0-9 ]+-----", re.S)


def decode(signature: bytes | str) -> bytes:
    """DER from what a browser or a person hands us: DER, PEM, or base64 text (NCALayer answers base64)."""
    raw = signature.encode("ascii", "ignore") if isinstance(signature, str) else signature
    if raw[:1] == b"\x30":
        return raw
    match = _PEM.search(raw)
    text = match.group(1) if match else raw
    try:
        return base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CmsError("The signature is neither DER nor base64.", outcome="malformed") from exc


def parse(signature: bytes | str) -> Parsed:
    der = decode(signature)
    try:
        info = asn1_cms.ContentInfo.load(der)
        if info["content_type"].native != "signed_data":
            raise CmsError("The CMS is not signed data.", outcome="malformed")
        signed_data: asn1_cms.SignedData = info["content"]
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise CmsError(f"Expected one signer, found {len(signer_infos)}.", outcome="malformed")
        signer_info = signer_infos[0]
        certificates = [c.chosen for c in signed_data["certificates"] or [] if c.name == "certificate"]
        certificate = _signer_certificate(signer_info, certificates)
        signed_at = None
        for attr in signer_info["signed_attrs"] or []:
            if attr["type"].native == "signing_time":
                signed_at = attr["values"][0].native
        # Reading every part now: a broken encoding fails here, not halfway through the checks.
        signed_data.native  # noqa: B018
    except CmsError:
        raise
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise CmsError(f"The CMS cannot be read: {exc}", outcome="malformed") from exc
    return Parsed(signed_data, signer_info, certificate, certificates, signed_at)


def _signer_certificate(signer_info: asn1_cms.SignerInfo, certificates: list[asn1_x509.Certificate]
                        ) -> asn1_x509.Certificate:
    sid = signer_info["sid"]
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            if cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    raise CmsError("The signer's certificate is not inside the signature.", outcome="malformed")


def check_integrity(parsed: Parsed, data: bytes) -> None:
    """Raise CmsError unless the CMS signs exactly `data` with the key of its certificate (RSA or ECDSA)."""
    signer_info = parsed.signer_info
    content = parsed.signed_data["encap_content_info"]["content"]
    if content.native is not None and bytes(content.native) != data:
        # An attached signature of something else.
        raise CmsError("The signature carries other content.", outcome="tampered")
    digest_name = str(signer_info["digest_algorithm"]["algorithm"].native)
    if digest_name not in _HASHES:
        raise CmsError(f"Digest algorithm {digest_name} is not supported.", outcome="unsupported")
    digest = hashlib.new(digest_name, data).digest()
    signed_attrs = signer_info["signed_attrs"]
    if signed_attrs:
        claimed = next((attr["values"][0].native for attr in signed_attrs if attr["type"].native == "message_digest"),
                       None)
        if claimed != digest:
            raise CmsError("The content does not match the message digest the signer signed.", outcome="tampered")
        # RFC 5652 5.4: the signature is over the DER of the attributes as a SET OF, not as the [0] field.
        to_verify = signed_attrs.untag().dump(force=True)
    else:
        to_verify = data
    public_key = x509.load_der_x509_certificate(parsed.certificate.dump()).public_key()
    signature = bytes(signer_info["signature"].native)
    algorithm = _HASHES[digest_name]()
    scheme = str(signer_info["signature_algorithm"].signature_algo)
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            if scheme == "rsassa_pss":
                params = signer_info["signature_algorithm"]["parameters"]
                pss_hash = _HASHES[str(params["hash_algorithm"]["algorithm"].native)]()
                pad: padding.AsymmetricPadding = padding.PSS(padding.MGF1(pss_hash), params["salt_length"].native)
                public_key.verify(signature, to_verify, pad, pss_hash)
            else:
                public_key.verify(signature, to_verify, padding.PKCS1v15(), algorithm)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, to_verify, ec.ECDSA(algorithm))
        else:
            raise CmsError(f"Key type {type(public_key).__name__} is not supported.", outcome="unsupported")
    except InvalidSignature as exc:
        raise CmsError("The signature value does not match the signed attributes.", outcome="tampered") from exc
