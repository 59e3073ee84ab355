"""Checking a document someone holds: by its number (who issued and signed it, when, and the fingerprint of the
file as issued) or by the file itself (is it the file we issued, byte for byte; if not, does its seal still hold,
and what was changed). The seal is validated by pyHanko against the configured roots (SHAGYM_TRUST_DIR)."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from shagym.signatures import blocking
from shagym.signatures.verify import trust_store

from .models import Document

logger = logging.getLogger(__name__)

NUMBER = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def normalise_number(text: str) -> str:
    """"k7qm 3rta-9xwe" -> "K7QM-3RTA-9XWE" (read off paper, typed on a phone)."""
    code = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{code[:4]}-{code[4:8]}-{code[8:]}" if len(code) == 12 else ""


def _documents() -> QuerySet[Document]:
    return Document.objects.select_related("organisation", "complaint", "signature", "signature__event__actor")


def by_number(text: str) -> Document | None:
    number = normalise_number(text)
    if not NUMBER.match(number):
        return None
    return _documents().filter(number=number).first()


@dataclass(frozen=True)
class SealCheck:
    """What pyHanko says of one signature in the file."""

    field: str
    signer: str
    intact: bool  # the bytes it covers are unchanged
    trusted: bool  # the certificate leads to a configured root
    whole_file: bool  # nothing was added after it
    number: str  # the document number the seal names (its Location)


@dataclass
class FileCheck:
    """The verdict on an uploaded file, in words for the page."""

    verdict: str  # "original", "altered", "unknown", "not_pdf"
    document: Document | None = None
    seals: list[SealCheck] = field(default_factory=list)
    sha256: str = ""

    @property
    def message(self) -> str:
        if self.verdict == "original":
            return gettext("This is the original: the file is exactly the one issued, byte for byte, and its seal "
                           "is intact.") if self.seals else gettext(
                "This is the original: the file is exactly the one issued, byte for byte.")
        if self.verdict == "altered":
            return gettext("This file was altered after it was issued: it is not the original and proves nothing. "
                           "Ask the body for the original, or download it again from your cabinet.")
        if self.verdict == "not_pdf":
            return gettext("This is not a PDF file we can read.")
        return gettext("We did not issue this file: there is no document with this content or seal in Shagym.")


def _seals(data: bytes) -> list[SealCheck]:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    store = trust_store()
    checks = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=list(store.roots), other_certs=list(store.intermediates),
                                    allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = blocking.run(async_validate_pdf_signature(embedded, context, skip_diff=True))
        except Exception as exc:  # a file made to break the parser must not break the page
            logger.info("Seal validation failed: %s", exc)
            checks.append(SealCheck(embedded.field_name, "", False, False, False, ""))
            continue
        location = embedded.sig_object.get("/Location")
        checks.append(SealCheck(
            field=embedded.field_name,
            signer=_name_of(status.signing_cert),
            intact=bool(status.intact),
            trusted=bool(status.trusted),
            whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            number=str(location) if location is not None else "",
        ))
    return checks


def _name_of(cert) -> str:  # type: ignore[no-untyped-def]
    names = cert.subject.native
    return str(names.get("organization_name") or names.get("common_name") or cert.subject.human_friendly)


def check_file(data: bytes) -> FileCheck:
    digest = hashlib.sha256(data).hexdigest()
    original = _documents().filter(sha256=digest).first()
    if not data.startswith(b"%PDF"):
        return FileCheck("not_pdf", sha256=digest)
    try:
        seals = _seals(data)
    except (PdfError, Exception) as exc:  # any file may be uploaded: an unreadable one is a verdict, never a 500
        logger.info("Unreadable PDF on the verification page: %s", exc)
        seals = []
        if original is None:
            return FileCheck("not_pdf", sha256=digest)
    if original is not None:
        return FileCheck("original", original, seals, digest)
    # Not our bytes. If it names one of our documents (its seal's number), say which one it pretends to be.
    claimed = next((by_number(s.number) for s in seals if s.number and by_number(s.number)), None)
    if claimed is not None or any(s.field == "Seal" for s in seals):
        return FileCheck("altered", claimed, seals, digest)
    return FileCheck("unknown", None, seals, digest)
