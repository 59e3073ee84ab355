"""Issue 13, item 9: the case file as a ZIP from the case page. Only the staff of the body holding the complaint get
it; everyone else is refused (404 out of reach, 403 for a reader who does not hold it); the manifest verifies, and
a changed file does not."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shagym.complaints import attachments, services
from shagym.complaints.models import ComplaintEvent
from shagym.documents.models import Letter
from shagym.dossier import export
from shagym.notify.models import Message

from .conftest import login

pytestmark = pytest.mark.django_db

SCAN = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def case(paper, head, executor, now, committed):
    """The ministry's paper complaint with its talon, an attachment, an executor and the messages that made."""
    attachments.store(complaint=paper, upload=SimpleUploadedFile("скан.pdf", SCAN, "application/pdf"))
    with committed():
        services.assign_executor(actor=head, complaint=paper, executor=executor, now=now)
    return paper


def _download(user, complaint):
    return login(user).get(reverse("bo-dossier", args=[complaint.pk]))


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_clerk_downloads_the_case_file_and_it_verifies(case, clerk):
    response = _download(clerk, case)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="dossier-{case.number}.zip"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    archive = _zip(response)
    assert export.verify(io.BytesIO(_bytes(archive))) == []
    names = set(archive.namelist())
    talon = Letter.objects.get(complaint=case, kind=Letter.Kind.TALON)
    attachment = case.attachments.get()
    assert {"complaint.json", "events.json", "letters.json", "attachments.json", "messages.json", "manifest.json",
            "SHA256SUMS", f"letters/{talon.pk}-talon.pdf", f"attachments/{attachment.pk}-скан.pdf"} <= names
    assert archive.read(f"letters/{talon.pk}-talon.pdf") == bytes(talon.pdf)
    assert archive.read(f"attachments/{attachment.pk}-скан.pdf") == SCAN
    events = json.loads(archive.read("events.json"))
    assert [e["id"] for e in events] == list(ComplaintEvent.objects.filter(complaint=case).order_by("at", "pk")
                                             .values_list("pk", flat=True))
    assert [e["action"] for e in events] == ["submit", "register", "assign"]
    data = json.loads(archive.read("complaint.json"))["complaint"]
    assert data["number"] == case.number and data["status"] == "under_review" and "idempotency_key" not in data
    messages = json.loads(archive.read("messages.json"))
    assert {m["kind"] for m in messages} == set(Message.objects.filter(complaint=case).values_list("kind", flat=True))
    assert messages and all(m["deliveries"] for m in messages)
    assert all("attempt_log" in d for m in messages for d in m["deliveries"])
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["exported_by"]["username"] == "clerk" and manifest["problems"] == []
    # The sums are the ones `sha256sum -c SHA256SUMS` checks.
    import hashlib

    for line in archive.read("SHA256SUMS").decode().splitlines():
        digest, path = line.split("  ")
        assert hashlib.sha256(archive.read(path)).hexdigest() == digest


def _bytes(archive: zipfile.ZipFile) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for name in archive.namelist():
            copy.writestr(name, archive.read(name))
    return out.getvalue()


def test_a_changed_or_added_file_does_not_verify(case, clerk):
    archive = _zip(_download(clerk, case))
    for change in ("events.json", "extra.txt"):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as copy:
            for name in archive.namelist():
                data = archive.read(name)
                copy.writestr(name, data.replace(b'"register"', b'"close"') if name == change else data)
            if change not in archive.namelist():
                copy.writestr(change, b"slipped in")
        errors = export.verify(io.BytesIO(out.getvalue()))
        assert errors and change in errors[0]


def test_head_and_executor_of_the_holding_body_may_export(case, head, executor):
    assert _download(head, case).status_code == 200
    assert _download(executor, case).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "applicant", "provider_clerk"])
def test_nobody_outside_the_holding_body_gets_the_file(case, who, request):
    user = request.getfixturevalue(who)
    assert _download(user, case).status_code in (403, 404)
    assert _download(user, case).status_code == (403 if who == "applicant" else 404)  # not staff: 403 before any look


def test_an_inspector_reads_the_case_but_does_not_export_it(case, inspector):
    """Inspectors read every body's case page; the file is exported by the body that holds it."""
    client = login(inspector)
    page = client.get(reverse("bo-case", args=[case.pk]))
    assert page.status_code == 200
    assert reverse("bo-dossier", args=[case.pk]) not in page.content.decode()
    assert client.get(reverse("bo-dossier", args=[case.pk])).status_code == 403


def test_a_body_the_complaint_left_keeps_its_letters_not_the_file(against_provider, provider_clerk, clerk, now,
                                                                   committed):
    with committed():
        services.forward_complaint(actor=provider_clerk, complaint=against_provider, now=now)
    assert _download(provider_clerk, against_provider).status_code == 404
    assert _download(clerk, against_provider).status_code == 200


def test_the_case_page_offers_the_file_to_its_staff(case, clerk):
    page = login(clerk).get(reverse("bo-case", args=[case.pk])).content.decode()
    assert reverse("bo-dossier", args=[case.pk]) in page
    assert "Download the case file (ZIP)" in page


def test_a_stored_file_changed_on_disk_is_reported_in_the_manifest(case, clerk):
    attachment = case.attachments.get()
    with open(attachment.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4 swapped")
    manifest = json.loads(_zip(_download(clerk, case)).read("manifest.json"))
    assert len(manifest["problems"]) == 1 and "no longer matches" in manifest["problems"][0]
