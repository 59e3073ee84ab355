"""Attachments while the complaint form is being filled: checked by the complaint's one upload door
(shagym.complaints.attachments), kept in a draft folder until the complaint is submitted, then handed to the
service as uploaded files (which checks them again).

The drafts live in the media storage (STORAGES["default"]: a shared folder or an S3 bucket), never on the local disk of
the server that took the upload: with several application servers behind the load balancer the next step of the form,
or the submit, may be served by another one."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import PurePath

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from shagym.complaints.attachments import random_name, safe_name

DRAFT_DIR = "portal-drafts"
DRAFT_MAX_AGE = 2 * 24 * 3600
# How often one of the servers looks for abandoned drafts (listing a bucket costs requests; once an hour is plenty).
SWEEP_EVERY = 3600


@dataclass
class Draft:
    """Where one form's attachments wait: portal-drafts/<key>/ in the media storage."""

    key: str

    @property
    def folder(self) -> str:
        return f"{DRAFT_DIR}/{self.key}"

    def _name(self, stored: str) -> str:
        return f"{self.folder}/{PurePath(stored).name}"

    def save(self, upload: UploadedFile, *, content_type: str, extension: str) -> dict[str, object]:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        # A random name (the applicant's never reaches the storage), unique without listing the folder (a listing is
        # a request on S3); the storage may still add a suffix.
        stored = PurePath(default_storage.save(self._name(random_name(extension)), upload)).name
        return {
            "stored": stored,
            "name": safe_name(upload.name or "", extension),
            "content_type": content_type,
            "size": upload.size,
            "sha256": digest.hexdigest(),
        }

    def remove(self, stored: str) -> None:
        default_storage.delete(self._name(stored))

    def open_all(self, items: list[dict]) -> list[UploadedFile]:
        """The stored files as uploads for services.submit_complaint; a missing one is skipped."""
        files = []
        for item in items:
            name = self._name(str(item["stored"]))
            if default_storage.exists(name):
                files.append(
                    UploadedFile(
                        file=default_storage.open(name, "rb"),  # closed by close_all after the submit
                        name=str(item["name"]),
                        content_type=str(item["content_type"]),
                        size=default_storage.size(name),
                    )
                )
        return files


def close_all(files: list[UploadedFile]) -> None:
    for upload in files:
        upload.close()


def sweep_old_drafts(now: float | None = None, *, force: bool = False) -> int:
    """Drafts are removed two days after they were stored (forms abandoned, or submitted long ago). One server does
    it at most once an hour (the shared cache says which); returns the number of files removed."""
    if not force and not cache.add("portal-drafts-swept", 1, timeout=SWEEP_EVERY):
        return 0
    limit = (now or time.time()) - DRAFT_MAX_AGE
    removed = 0
    try:
        folders, _files = default_storage.listdir(DRAFT_DIR)
    except FileNotFoundError:
        return 0
    for folder in folders:
        _dirs, names = default_storage.listdir(f"{DRAFT_DIR}/{folder}")
        old = [name for name in names
               if default_storage.get_modified_time(f"{DRAFT_DIR}/{folder}/{name}").timestamp() < limit]
        for name in old:
            default_storage.delete(f"{DRAFT_DIR}/{folder}/{name}")
        removed += len(old)
        if len(old) == len(names):
            _remove_empty_folder(f"{DRAFT_DIR}/{folder}")
    return removed


def _remove_empty_folder(folder: str) -> None:
    """A disk keeps an emptied folder; remove it. A bucket has no folders (its storage has no path())."""
    try:
        path = default_storage.path(folder)
    except NotImplementedError:
        return
    with contextlib.suppress(OSError):
        os.rmdir(path)
