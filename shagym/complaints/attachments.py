"""Files attached to a complaint: one door for every upload (the portal form, supplied content, the second tier,
paper intake, the API's uploads). The type comes from the content, never from the name or what the browser claims;
the limits come from the settings here and nowhere else; a PDF that carries JavaScript or an action that starts a
program is refused; the file is stored under a random name; and it goes back out only as a download of the type we
detected (`serve`)."""

from __future__ import annotations

import hashlib
import re
import secrets
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
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
    if kind[0] == "application/pdf":
        data = upload.read()
        upload.seek(0)
        finding = pdf_active_content(data)
        if finding == UNREADABLE:
            raise Refused(
                gettext("The PDF “%(name)s” could not be checked: part of it is packed in a way we cannot read. "
                        "Print it to a new PDF (“Save as PDF”) or scan it, and attach it again.") % {"name": name},
                field="attachments",
            )
        if finding is not None:
            raise Refused(
                gettext("The PDF “%(name)s” contains a script or a command that starts a program (%(what)s), which "
                        "we do not accept for the safety of the staff who open it. Print it to a new PDF (“Save as "
                        "PDF”) or scan it, and attach it again.") % {"name": name, "what": finding},
                field="attachments",
            )
    return kind


# ---------------------------------------------------------------------------------------------------------------
# Active content in a PDF

# The names that make a PDF run something when it is opened or clicked: JavaScript actions and the code they carry,
# and launch actions (start a program or open a file).
ACTIVE_NAMES = {b"JavaScript": "JavaScript", b"JS": "JavaScript", b"Launch": "Launch"}
UNREADABLE = "unreadable"
# How much an object stream may unpack to, in all: the file is at most SHAGYM_ATTACHMENT_MAX_MB, a compression bomb
# would be far more.
_UNPACK_BUDGET = 64 * 1024 * 1024

# One token at a time outside stream data: a comment, a literal string (with escapes), a hex string, a name, the
# keywords `obj` and `stream`. Names are what we look for; strings and comments are skipped, so a title that
# mentions "/JavaScript" is not mistaken for an action.
_TOKEN = re.compile(
    rb"%[^\r\n]*"
    rb"|\((?:\\.|[^\\()])*\)"
    rb"|<[0-9A-Fa-f\s]*>"
    rb"|/(?P<name>[^\s/<>\[\]()%{}]*)"
    rb"|\b(?P<keyword>obj|stream)\b",
    re.DOTALL,
)
_END_STREAM = re.compile(rb"\bendstream\b")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _decode_name(raw: bytes) -> bytes:
    """A PDF name may spell any byte as #xx: /J#61vaScript is /JavaScript."""
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def pdf_active_content(data: bytes) -> str | None:
    """What in this PDF would run something ("JavaScript", "Launch"), None when nothing does, or UNREADABLE when an
    object stream (where a PDF may pack its objects, compressed) cannot be unpacked to be checked.

    Read as a PDF reader reads the objects, but only as far as needed: the names outside the stream data, and the
    names inside the object streams once unpacked. Page contents and images are never read (their bytes would give
    false alarms)."""
    budget = [_UNPACK_BUDGET]
    return _scan(data, budget, depth=0)


def _scan(data: bytes, budget: list[int], *, depth: int) -> str | None:
    position = 0
    names_in_object: set[bytes] = set()
    while True:
        match = _TOKEN.search(data, position)
        if match is None:
            return None
        position = match.end()
        if match.group("name") is not None:
            name = _decode_name(match.group("name"))
            if name in ACTIVE_NAMES:
                return ACTIVE_NAMES[name]
            names_in_object.add(name)
            continue
        keyword = match.group("keyword")
        if keyword == b"obj":
            names_in_object = set()
        elif keyword == b"stream":
            start = position + (2 if data[position:position + 2] == b"\r\n" else 1)
            end_match = _END_STREAM.search(data, start)
            end = end_match.start() if end_match else len(data)
            if b"ObjStm" in names_in_object:
                if depth > 2:
                    return UNREADABLE
                found = _scan_object_stream(data[start:end], names_in_object, budget, depth=depth)
                if found is not None:
                    return found
            names_in_object = set()
            position = end_match.end() if end_match else len(data)


def _scan_object_stream(raw: bytes, names: set[bytes], budget: list[int], *, depth: int) -> str | None:
    if b"Predictor" in names:
        return UNREADABLE  # rows re-coded by a predictor would hide the names; object streams hardly use one
    if b"FlateDecode" not in names and b"Fl" not in names:
        if names & {b"Filter"}:
            return UNREADABLE  # another filter (LZW, ASCII85...): rare for object streams; not checked, not taken
        return _scan(raw, budget, depth=depth + 1)
    try:
        unpacker = zlib.decompressobj()
        unpacked = unpacker.decompress(raw.rstrip(b"\r\n"), budget[0])
    except zlib.error:
        return UNREADABLE
    if unpacker.unconsumed_tail:
        return UNREADABLE  # over the budget: a bomb, or far more than any file we take
    budget[0] -= len(unpacked)
    return _scan(unpacked, budget, depth=depth + 1)


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
    # Stored under a random name (upload_to adds the folder): the applicant's file name never reaches the disk, and
    # the name tells nothing of the content (not even whether two files are the same).
    attachment.file.save(random_name(extension), upload, save=False)
    attachment.save()
    return attachment


def random_name(extension: str) -> str:
    """The name a file is stored under: 128 random bits and the extension of the type we detected."""
    return f"{secrets.token_hex(16)}{extension}"


class Stored(Protocol):
    """An attachment, or an upload waiting to be bound (shagym.api): a file, a clean name, the detected type."""

    name: str
    content_type: str

    @property
    def file(self):  # type: ignore[no-untyped-def]  # a FieldFile
        ...


def serve(item: Stored) -> FileResponse:
    """A stored file as it may go out: always a download (Content-Disposition: attachment, never shown in the
    page's origin), with the type we detected from its content, never sniffed by the browser, never cached, and
    sandboxed should a browser open it all the same."""
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def store_all(*, complaint: Complaint, uploads: list[UploadedFile]) -> list[Attachment]:
    """One batch of files (the filing, or one supply of missing content): at most `max_files` in it. Every file is
    checked before any is written, so a bad one leaves no orphan on the disk."""
    check_all(uploads)
    return [store(complaint=complaint, upload=upload, already=i) for i, upload in enumerate(uploads)]
