"""The case file (issue 13, item 9): one complaint's whole record as a ZIP, for the archive, a court or an audit.

    complaint.json    the complaint as stored: every field, the appealed officials, the recommendations, links
    events.json       the history, every event with its actor, role, time, before, after and payload
    letters.json      the documents issued, and letters/<id>-<kind>.pdf each as printed
    attachments.json  the applicant's files, and attachments/<id>-<name> each as uploaded
    messages.json     every notice and staff message with its deliveries and each attempt (the delivery log), and
                      messages/<id>-<kind>.pdf the letters made from them
    manifest.json     what this is, who exported it and when, every file with its size and SHA-256, and the checks
                      that failed (a stored file missing, or no longer matching the SHA-256 kept at upload or issue)
    SHA256SUMS        every other file's SHA-256, as `sha256sum -c SHA256SUMS` reads it

Who may export it is decided by the access door (access.get_dossier_complaint); this module only reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone, translation
from django.utils.text import get_valid_filename

from shagym.complaints.models import Attachment, Complaint, ComplaintEvent
from shagym.documents.models import Letter
from shagym.notify.models import Message

if TYPE_CHECKING:
    from shagym.accounts.models import User

FORMAT = "shagym-dossier/1"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
# Kept out of the file: secrets and the internals of de-duplication.
WITHHELD = {"idempotency_key"}


@dataclass
class Exported:
    filename: str
    files: int
    size: int
    problems: list[str] = field(default_factory=list)


def filename_for(complaint: Complaint) -> str:
    name = complaint.number or complaint.reference or str(complaint.pk)
    return f"dossier-{get_valid_filename(name)}.zip"


def write(complaint: Complaint, out: IO[bytes], *, exported_by: User | None, at: dt.datetime | None = None) -> Exported:
    """Write the complaint's file as a ZIP to `out`. `exported_by` None is the operator (manage.py export_dossier)."""
    at = at or timezone.now()
    problems: list[str] = []
    entries: list[tuple[str, bytes]] = [
        ("complaint.json", _json(_complaint(complaint))),
        ("events.json", _json(_events(complaint))),
    ]
    letters, files = _letters(complaint, problems)
    entries += [("letters.json", _json(letters)), *files]
    attachments, files = _attachments(complaint, problems)
    entries += [("attachments.json", _json(attachments)), *files]
    messages, files = _messages(complaint, problems)
    entries += [("messages.json", _json(messages)), *files]
    manifest = {
        "format": FORMAT,
        "complaint": {"id": complaint.pk, "number": complaint.number, "reference": complaint.reference},
        "exported_at": at,
        "exported_by": _user(exported_by) if exported_by is not None else {"username": "manage.py export_dossier"},
        "files": [{"path": path, "size": len(data), "sha256": _sha(data)} for path, data in entries],
        "problems": problems,
    }
    entries.append((MANIFEST, _json(manifest)))
    sums = "".join(f"{_sha(data)}  {path}\n" for path, data in entries).encode()
    entries.append((SUMS, sums))
    stamp = timezone.localtime(at).timetuple()[:6]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return Exported(filename_for(complaint), len(entries), sum(len(data) for _, data in entries), problems)


def verify(source: IO[bytes] | str) -> list[str]:
    """What does not hold in a file: a file missing or changed against SHA256SUMS, a file not listed there, or a
    manifest that disagrees with it. Empty when it verifies."""
    errors: list[str] = []
    with zipfile.ZipFile(source) as archive:
        names = set(archive.namelist())
        if SUMS not in names or MANIFEST not in names:
            return [f"{SUMS} or {MANIFEST} missing"]
        listed: dict[str, str] = {}
        for line in archive.read(SUMS).decode().splitlines():
            digest, _, path = line.partition("  ")
            listed[path] = digest
        for path, digest in listed.items():
            if path not in names:
                errors.append(f"{path}: listed, not in the file")
            elif _sha(archive.read(path)) != digest:
                errors.append(f"{path}: SHA-256 does not match")
        errors += [f"{path}: not listed in {SUMS}" for path in sorted(names - set(listed) - {SUMS})]
        manifest = json.loads(archive.read(MANIFEST))
        for entry in manifest.get("files", []):
            if listed.get(entry["path"]) != entry["sha256"]:
                errors.append(f"{entry['path']}: the manifest and {SUMS} disagree")
    return errors


# ---------------------------------------------------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(value: Any) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _user(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name()}


def _row(obj: models.Model, *, language: str) -> dict[str, Any]:
    """Every stored field by its column name; beside each choice its label (in the complaint's language), beside each
    link the name of what it links to."""
    row: dict[str, Any] = {}
    with translation.override(language):
        for f in obj._meta.concrete_fields:
            if f.name in WITHHELD or isinstance(f, models.BinaryField):
                continue
            value = getattr(obj, f.attname)
            if isinstance(f, models.FileField):
                value = value or ""
                row[f.attname] = str(value)
                continue
            row[f.attname] = value
            if f.choices and value not in (None, ""):
                row[f"{f.name}_label"] = str(getattr(obj, f"get_{f.name}_display")())
            if isinstance(f, models.ForeignKey) and value is not None:
                target = getattr(obj, f.name)
                row[f"{f.name}_name"] = target.get_username() if hasattr(target, "get_username") else str(target)
    return row


def _complaint(complaint: Complaint) -> dict[str, Any]:
    language = complaint.language
    return {
        "complaint": _row(complaint, language=language),
        "officials": [_row(o, language=language) for o in complaint.officials.order_by("pk")],
        "recommendations": [_row(r, language=language) for r in complaint.recommendations.order_by("pk")],
        "first_tier": complaint.parent.number if complaint.parent_id and complaint.parent else None,
        "second_tier": list(complaint.second_tier.order_by("pk").values_list("number", "reference")),
    }


def _events(complaint: Complaint) -> list[dict[str, Any]]:
    rows = []
    with translation.override(complaint.language):
        events = ComplaintEvent.objects.filter(complaint=complaint).select_related("actor").order_by("at", "pk")
        for event in events:
            rows.append({
                "id": event.pk, "at": event.at, "action": event.action, "action_label": str(event.get_action_display()),
                "actor": _user(event.actor), "role": event.role, "before": event.before, "after": event.after,
                "data": event.data,
            })
    return rows


def _letters(complaint: Complaint, problems: list[str]) -> tuple[list[dict[str, Any]], list[tuple[str, bytes]]]:
    rows, files = [], []
    for letter in Letter.objects.filter(complaint=complaint).select_related("organisation", "created_by").order_by("pk"):
        pdf = bytes(letter.pdf)
        path = f"letters/{letter.pk}-{letter.kind}.pdf"
        if _sha(pdf) != letter.sha256:
            problems.append(f"{path}: the stored letter no longer matches the SHA-256 kept when it was issued")
        row = _row(letter, language=complaint.language)
        row["path"] = path
        rows.append(row)
        files.append((path, pdf))
    return rows, files


def _attachments(complaint: Complaint, problems: list[str]) -> tuple[list[dict[str, Any]], list[tuple[str, bytes]]]:
    rows, files = [], []
    for attachment in Attachment.objects.filter(complaint=complaint).order_by("pk"):
        row = _row(attachment, language=complaint.language)
        path = f"attachments/{attachment.pk}-{get_valid_filename(attachment.name) or 'file'}"
        try:
            with attachment.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, ValueError, OSError):
            problems.append(f"{path}: the stored file is missing")
            row["path"] = None
            rows.append(row)
            continue
        if _sha(data) != attachment.sha256:
            problems.append(f"{path}: the stored file no longer matches the SHA-256 kept at upload")
        row["path"] = path
        rows.append(row)
        files.append((path, data))
    return rows, files


def _messages(complaint: Complaint, problems: list[str]) -> tuple[list[dict[str, Any]], list[tuple[str, bytes]]]:
    rows, files = [], []
    messages = (
        Message.objects.filter(complaint=complaint)
        .select_related("recipient", "sender")
        .prefetch_related("deliveries__attempt_log")
        .order_by("created_at", "pk")
    )
    for message in messages:
        row = _row(message, language=complaint.language)
        row.pop("dedup_key", None)
        row["deliveries"] = []
        for delivery in message.deliveries.all():
            entry = _row(delivery, language=complaint.language)
            entry["attempt_log"] = [
                {"at": a.at, "ok": a.ok, "reference": a.reference, "error": a.error} for a in delivery.attempt_log.all()
            ]
            row["deliveries"].append(entry)
        if message.document:
            path = f"messages/{message.pk}-{message.kind}.pdf"
            try:
                with message.document.open("rb") as handle:
                    files.append((path, handle.read()))
                row["document_path"] = path
            except (FileNotFoundError, ValueError, OSError):
                problems.append(f"{path}: the letter made from this message is missing")
        rows.append(row)
    return rows, files
