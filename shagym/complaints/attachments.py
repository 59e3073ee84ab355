"""Files attached to a complaint: one door for every upload (the portal form, supplied content, the second tier,
paper intake). The type comes from the content, never from the name or what the browser claims; the limits come from
the settings here and nowhere else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

from .models import Attachment, Complaint
from .states import Refused

# Magic bytes of the three types accepted (PDF 1.x/2.0, JPEG, PNG).
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


@dataclass(frozen=True)
class Limits:
    max_files: int
    max_mb: int

    @property
    def max_bytes(self) -> int:
        return self.max_mb * 1024 * 1024


def limits() -> Limits:
    return Limits(max_files=settings.SHAGYM_ATTACHMENT_MAX_FILES, max_mb=settings.SHAGYM_ATTACHMENT_MAX_MB)


def help_text() -> str:
    limit = limits()
    return gettext("PDF, JPEG or PNG; up to %(count)d files, each up to %(size)d MB.") % {
        "count": limit.max_files, "size": limit.max_mb}


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def check(upload: UploadedFile, *, already: int = 0) -> tuple[str, str]:
    """Raise Refused (field "attachments") with a translated message that says what to do; return the content type
    and extension read from the file's first bytes."""
    limit = limits()
    name = upload.name or ""
    if already >= limit.max_files:
        raise Refused(
            gettext("You can attach at most %(count)d files. Remove one before adding “%(name)s”.")
            % {"count": limit.max_files, "name": name},
            field="attachments",
        )
    if not upload.size:
        raise Refused(gettext("The file “%(name)s” is empty. Choose the file again.") % {"name": name},
                      field="attachments")
    if upload.size > limit.max_bytes:
        raise Refused(
            gettext("The file “%(name)s” is larger than %(size)d MB. Make it smaller, for example scan at a lower "
                    "resolution, and attach it again.") % {"name": name, "size": limit.max_mb},
            field="attachments",
        )
    upload.seek(0)
    kind = sniff(upload.read(8))
    upload.seek(0)
    if kind is None:
        raise Refused(
            gettext("The file “%(name)s” is not a PDF, JPEG or PNG. Save it in one of these formats and attach it "
                    "again.") % {"name": name},
            field="attachments",
        )
    return kind


def check_all(uploads: list[UploadedFile], *, already: int = 0) -> None:
    for index, upload in enumerate(uploads):
        check(upload, already=already + index)


def safe_name(name: str, extension: str) -> str:
    """The name shown for a file: its stem cleaned of paths and odd characters, with the extension of its type."""
    stem = PurePath(name.replace("\\", "/")).stem.strip() or "file"
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in " -_.()")[:80].strip() or "file"
    return f"{stem}{extension}"


def store(*, complaint: Complaint, upload: UploadedFile, already: int = 0) -> Attachment:
    """Check the file and keep it with the complaint, typed by its content. Call inside the action's transaction."""
    content_type, extension = check(upload, already=already)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = safe_name(upload.name or "", extension)
    attachment = Attachment(complaint=complaint, name=name, content_type=content_type, size=upload.size or 0,
                            sha256=digest.hexdigest())
    # Stored under a generated name (upload_to adds the folder): the applicant's file name never reaches the disk.
    attachment.file.save(f"{digest.hexdigest()[:16]}{extension}", upload, save=False)
    attachment.save()
    return attachment


def store_all(*, complaint: Complaint, uploads: list[UploadedFile]) -> list[Attachment]:
    """One batch of files (the filing, or one supply of missing content): at most `max_files` in it. Every file is
    checked before any is written, so a bad one leaves no orphan on the disk."""
    check_all(uploads)
    return [store(complaint=complaint, upload=upload, already=i) for i, upload in enumerate(uploads)]
