"""Attachments while the complaint form is being filled: checked by the complaint's one upload door
(shagym.complaints.attachments), kept in a draft folder until the complaint is submitted, then handed to the
service as uploaded files (which checks them again)."""

from __future__ import annotations

import hashlib
import shutil
import time
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from shagym.complaints.attachments import random_name, safe_name

DRAFT_DIR = "portal-drafts"
DRAFT_MAX_AGE = 2 * 24 * 3600


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
        stored = random_name(extension)  # the applicant's name never reaches the disk
        with open(self.folder / stored, "wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
        return {
            "stored": stored,
            "name": safe_name(upload.name or "", extension),
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
