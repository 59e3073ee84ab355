"""Attachments while the complaint form is being filled: checked by their content (not their name), kept in a
draft folder until the complaint is submitted, then handed to the service as uploaded files."""

from __future__ import annotations

import hashlib
import shutil
import time
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

# Magic bytes of the three types accepted (PDF 1.x/2.0, JPEG, PNG).
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
DRAFT_DIR = "portal-drafts"
DRAFT_MAX_AGE = 2 * 24 * 3600


class BadUpload(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def max_bytes() -> int:
    return settings.SHAGYM_ATTACHMENT_MAX_MB * 1024 * 1024


def check(upload: UploadedFile, *, already: int) -> tuple[str, str]:
    """Raise BadUpload with a translated message that says what to do; return (content type, extension)."""
    name = upload.name or ""
    if already >= settings.SHAGYM_ATTACHMENT_MAX_FILES:
        raise BadUpload(
            gettext("You can attach at most %(count)d files. Remove one before adding “%(name)s”.")
            % {"count": settings.SHAGYM_ATTACHMENT_MAX_FILES, "name": name}
        )
    if not upload.size:
        raise BadUpload(gettext("The file “%(name)s” is empty. Choose the file again.") % {"name": name})
    if upload.size > max_bytes():
        raise BadUpload(
            gettext("The file “%(name)s” is larger than %(size)d MB. Make it smaller, for example scan at a lower "
                    "resolution, and attach it again.") % {"name": name, "size": settings.SHAGYM_ATTACHMENT_MAX_MB}
        )
    upload.seek(0)
    kind = sniff(upload.read(8))
    upload.seek(0)
    if kind is None:
        raise BadUpload(
            gettext("The file “%(name)s” is not a PDF, JPEG or PNG. Save it in one of these formats and attach it "
                    "again.") % {"name": name}
        )
    return kind


def _safe_name(name: str, extension: str) -> str:
    stem = PurePath(name.replace("\\", "/")).stem.strip() or "file"
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in " -_.()")[:80].strip() or "file"
    return f"{stem}{extension}"


@dataclass
class Draft:
    """Where one form's attachments wait: MEDIA_ROOT/portal-drafts/<key>/."""

    key: str

    @property
    def folder(self) -> Path:
        return Path(settings.MEDIA_ROOT) / DRAFT_DIR / self.key

    def save(self, upload: UploadedFile, *, content_type: str, extension: str) -> dict[str, object]:
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        stored = f"{len(list(self.folder.iterdir())) + 1:02d}-{int(time.time() * 1000)}{extension}"
        with open(self.folder / stored, "wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
        return {
            "stored": stored,
            "name": _safe_name(upload.name or "", extension),
            "content_type": content_type,
            "size": upload.size,
            "sha256": digest.hexdigest(),
        }

    def remove(self, stored: str) -> None:
        path = self.folder / PurePath(stored).name
        path.unlink(missing_ok=True)

    def open_all(self, items: list[dict]) -> list[UploadedFile]:
        """The stored files as uploads for services.submit_complaint; a missing one is skipped."""
        files = []
        for item in items:
            path = self.folder / PurePath(str(item["stored"])).name
            if path.exists():
                files.append(
                    UploadedFile(
                        file=open(path, "rb"),  # noqa: SIM115 - closed by close_all after the submit
                        name=str(item["name"]),
                        content_type=str(item["content_type"]),
                        size=path.stat().st_size,
                    )
                )
        return files


def close_all(files: list[UploadedFile]) -> None:
    for upload in files:
        upload.close()


def sweep_old_drafts(now: float | None = None) -> None:
    """Drafts are removed two days after their last change (forms abandoned or submitted long ago)."""
    root = Path(settings.MEDIA_ROOT) / DRAFT_DIR
    if not root.exists():
        return
    limit = (now or time.time()) - DRAFT_MAX_AGE
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
