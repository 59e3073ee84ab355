"""The complaint form's draft attachments live in the media storage, not on the disk of the server that took them
(shagym/portal/uploads.py): with several application servers the next step or the submit may be served by another."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shagym.complaints.models import Complaint
from shagym.portal import uploads
from shagym.portal.wizard import SESSION_KEY

from .conftest import PDF, PNG
from .wizard_steps import fill, step_url, url

IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture
def shared_store(settings):
    """A store that is not the local disk (as an S3 bucket is not): anything written to MEDIA_ROOT is a bug."""
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY}
    return default_storage


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_drafts_and_attachments_go_through_the_media_storage(applicant_client, provider, ministry, settings,
                                                              shared_store):
    fill(applicant_client, provider, addressee=f"central:{ministry.pk}", until="attachments")
    applicant_client.post(step_url("attachments"), {
        "files": [SimpleUploadedFile("шешім.pdf", PDF), SimpleUploadedFile("photo.png", PNG)], "action": "upload"})
    key = applicant_client.session[SESSION_KEY]["key"]
    stored = applicant_client.session[SESSION_KEY]["attachments"]
    assert [shared_store.exists(f"portal-drafts/{key}/{item['stored']}") for item in stored] == [True, True]
    # One is removed again, from the store too.
    applicant_client.post(step_url("attachments"), {"remove": stored[1]["stored"]})
    assert not shared_store.exists(f"portal-drafts/{key}/{stored[1]['stored']}")
    applicant_client.post(step_url("attachments"), {"action": "continue"})
    applicant_client.post(step_url("addressee"), {"addressee": f"central:{ministry.pk}"})
    applicant_client.post(url("complaint-check"), {"idempotency_key": key})

    complaint = Complaint.objects.get()
    [attachment] = complaint.attachments.all()
    assert attachment.name == "шешім.pdf" and shared_store.exists(attachment.file.name)
    assert _files(Path(settings.MEDIA_ROOT)) == []
    # Served through the access door, from the store.
    response = applicant_client.get(reverse("cabinet-attachment", args=[complaint.pk, attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_old_drafts_are_swept_from_the_store(shared_store):
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=uploads.DRAFT_MAX_AGE + 60), tick=False):
        old = shared_store.save("portal-drafts/portal-1-old/01.pdf", ContentFile(PDF))
    fresh = shared_store.save("portal-drafts/portal-2-new/01.pdf", ContentFile(PDF))
    assert uploads.sweep_old_drafts(force=True) == 1
    assert not shared_store.exists(old) and shared_store.exists(fresh)


def test_old_drafts_are_swept_from_a_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    old = default_storage.save("portal-drafts/portal-1-old/01.pdf", ContentFile(PDF))
    assert uploads.sweep_old_drafts(time.time() + uploads.DRAFT_MAX_AGE + 60, force=True) == 1
    assert not default_storage.exists(old) and not (tmp_path / "media" / "portal-drafts" / "portal-1-old").exists()


def test_one_server_sweeps_at_a_time(shared_store):
    shared_store.save("portal-drafts/portal-1-old/01.pdf", ContentFile(PDF))
    later = time.time() + uploads.DRAFT_MAX_AGE + 60
    assert uploads.sweep_old_drafts(later) == 1
    shared_store.save("portal-drafts/portal-1-old/02.pdf", ContentFile(PDF))
    assert uploads.sweep_old_drafts(later) == 0  # another sweep this hour: skipped
