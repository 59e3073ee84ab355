"""What a signature of a complaint or of an answer covers, and whether a verified signature may stand with the
action: the signer is the applicant (IIN, or BIN for a legal entity) or an official of the body (BIN), and the
signed bytes are exactly the content.

The canonical content of a complaint is a deterministic JSON (UTF-8, keys sorted, no spaces) of every field the
applicant gives (RULES §3) and the SHA-256 of each attached file, so the applicant signs what the body receives and
anyone can recompute it from the complaint. The answer's content is its PDF as the head read it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

from shagym.directory.models import Organisation
from shagym.signatures.verify import Verification

from .attachments import safe_name, sniff
from .states import ApplicantKind, Refused

if TYPE_CHECKING:
    from .services.intake import ComplaintInput

FORMAT = "shagym-complaint/1"


def _body(organisation: Organisation | None) -> dict[str, str] | None:
    if organisation is None:
        return None
    return {"key": organisation.key, "bin": organisation.bin, "name_kk": organisation.name_kk,
            "name_ru": organisation.name_ru}


def complaint_content(data: ComplaintInput, attachments: Iterable[tuple[str, str]]) -> bytes:
    """The bytes the applicant signs: the complaint's fields as the service stores them (trimmed), and the files as
    (name, SHA-256) in the order given."""
    individual = data.applicant_kind == ApplicantKind.INDIVIDUAL
    document: dict[str, Any] = {
        "format": FORMAT,
        "applicant": {
            "kind": data.applicant_kind,
            "surname": data.surname.strip(), "first_name": data.first_name.strip(),
            "patronymic": data.patronymic.strip(), "iin": data.iin if individual else "",
            "legal_name": data.legal_name.strip(), "bin": "" if individual else data.bin,
            "outgoing_number": data.outgoing_number.strip(),
            "outgoing_date": data.outgoing_date.isoformat() if data.outgoing_date else None,
            "postal_address": data.postal_address.strip(), "phones": data.phones.strip(), "email": data.email.strip(),
        },
        "addressee": {"kind": data.addressee_kind, "body": _body(data.reviewing_body)},
        "respondent": _body(data.respondent),
        "service": data.service.code if data.service else None,
        "appealed_act": data.appealed_act,
        "officials": [{"position": o.position.strip(), "surname": o.surname.strip(), "initials": o.initials.strip()}
                      for o in data.officials],
        "language": data.language,
        "learned_on": data.learned_on.isoformat(),
        "circumstances": data.circumstances.strip(),
        "reasons": data.reasons.strip(),
        "demands": data.demands.strip(),
        "restoration": {"requested": data.restoration_requested, "reason": data.restoration_reason.strip()},
        "attachments": [{"name": name, "sha256": digest} for name, digest in attachments],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def upload_digest(upload: UploadedFile) -> tuple[str, str]:
    """(name as it will be stored, SHA-256) of a file about to be attached; the file is left at its start."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    name = safe_name(upload.name or "", kind[1] if kind else "")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return name, digest.hexdigest()


def required(purpose: str) -> bool:
    """RULES §3, §23: whether this signature is required (settings SHAGYM_APPLICANT_SIGNATURE and
    SHAGYM_ANSWER_SIGNATURE, with the legal references there)."""
    setting = settings.SHAGYM_APPLICANT_SIGNATURE if purpose == "complaint" else settings.SHAGYM_ANSWER_SIGNATURE
    return setting == "required"


def check(signature: Verification, *, content: bytes, iin: str = "", bin: str = "", who: str) -> None:
    """Raise Refused (field "signature", translated, saying what to do) unless the signature is valid, signs exactly
    `content`, and was made with the certificate of this IIN or this BIN. `who` names the signer in the message."""
    if not signature.ok:
        raise Refused(signature.explanation, field="signature")
    if signature.data_sha256 != hashlib.sha256(content).hexdigest():
        raise Refused(gettext("The signature is of other content: the document changed after it was signed. "
                              "Sign it again."), field="signature")
    signer = signature.signer
    assert signer is not None
    if iin and signer.iin != iin:
        raise Refused(
            gettext("The signature was made with the certificate of IIN %(signer)s, not %(who)s's IIN %(expected)s. "
                    "Sign with your own key.") % {"signer": signer.iin or "—", "who": who, "expected": iin},
            field="signature")
    if bin and signer.bin != bin:
        raise Refused(
            gettext("The signature was made with a certificate of BIN %(signer)s, not the BIN of %(who)s "
                    "(%(expected)s). Sign with your key as an official of this body.")
            % {"signer": signer.bin or "—", "who": who, "expected": bin},
            field="signature")
