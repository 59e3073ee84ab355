"""The body's seal on every PDF it issues: a PAdES signature (pyHanko) with the organisation's own key, so any PDF
reader shows who issued the document and whether it was altered since.

Keys: `<organisation key>.p12` in SHAGYM_SEAL_DIR, its password in SHAGYM_SEAL_PASSWORD_<KEY> (upper case, "-" as
"_") or SHAGYM_SEAL_PASSWORD; a body without a key of its own, and a document without a body, get the operator's
seal, `operator.p12`. No key at all: the document is issued unsealed and the verification page says so.

Sealing is a signature over the whole file: done after the action's commit, never while a row is locked, as the
rendering itself (services.py)."""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils import embed
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from shagym.directory.models import Organisation
from shagym.signatures import blocking

logger = logging.getLogger(__name__)

OPERATOR = "operator"
FIELD = "Seal"


@dataclass(frozen=True)
class Seal:
    signer: signers.SimpleSigner
    name: str  # the organisation named in the certificate
    subject: str
    fingerprint: str


def _password(name: str) -> bytes:
    own = os.environ.get("SHAGYM_SEAL_PASSWORD_" + name.upper().replace("-", "_"))
    return (own if own is not None else settings.SHAGYM_SEAL_PASSWORD).encode()


@lru_cache(maxsize=256)
def _load(path: str, mtime: float, password: bytes) -> Seal | None:
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password)
    if signer is None or signer.signing_cert is None:
        logger.error("Seal %s cannot be opened (wrong password, or not a PKCS#12 file with a key)", path)
        return None
    cert: asn1_x509.Certificate = signer.signing_cert
    names = cert.subject.native
    return Seal(signer, str(names.get("organization_name") or names.get("common_name") or ""),
                cert.subject.human_friendly, hashlib.sha256(cert.dump()).hexdigest())


def seal_for(organisation: Organisation | None) -> Seal | None:
    """The issuing body's seal, else the operator's, else None."""
    if not settings.SHAGYM_SEAL_DIR:
        return None
    directory = Path(settings.SHAGYM_SEAL_DIR)
    for name in ([organisation.key] if organisation is not None else []) + [OPERATOR]:
        path = directory / f"{name}.p12"
        if path.is_file():
            seal = _load(str(path), path.stat().st_mtime, _password(name))
            if seal is not None:
                return seal
    return None


def apply(pdf: bytes, seal: Seal, *, number: str, reason: str,
          attachments: Sequence[tuple[str, bytes, str]] = ()) -> bytes:
    """The PDF with the seal added as an incremental update: the bytes before it stay exactly as they were (a
    signature of them, such as the head's, still verifies against the file's first revision). `attachments`
    (file name, content, description) are embedded in the same update, under the seal."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for filename, content, description in attachments:
        data = embed.EmbeddedFileObject.from_file_data(writer, data=content, mime_type="application/pkcs7-signature")
        embed.embed_file(writer, embed.FileSpec(file_spec_string=filename, file_name=filename,
                                                description=description, embedded_data=data))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=number, name=seal.name or None,
    )
    out = blocking.run(signers.async_sign_pdf(writer, meta, signer=seal.signer))
    return out.getvalue()  # type: ignore[no-any-return, attr-defined]
