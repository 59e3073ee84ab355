"""The sweep removes what the API keeps only for a while: old idempotency answers, uploads never bound, old rate
counters; it keeps what is still owed (a recent answer, an upload waiting, a bound one)."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shagym.api.models import IdempotencyRecord, RateCounter, Upload
from shagym.notify import sweep

from .test_complaints import PDF, complaint_body


def _upload(api, name: str) -> Upload:
    response = api.client.post("/api/v1/uploads", {"file": SimpleUploadedFile(name, PDF)}, headers=api.headers())
    assert response.status_code == 201, response.content
    return Upload.objects.get(token=response.json()["id"])


def test_the_sweep_removes_old_answers_unbound_uploads_and_old_counters(api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SHAGYM_API_IDEMPOTENCY_HOURS = 72
    settings.SHAGYM_API_UPLOAD_HOURS = 24
    now = timezone.now()
    first = api.post("/complaints", complaint_body(), key="old-key")
    assert first.status_code == 201
    api.post("/complaints", complaint_body(), key="recent-key")
    IdempotencyRecord.objects.filter(key="old-key").update(created_at=now - dt.timedelta(hours=73))
    waiting, abandoned, bound = _upload(api, "waiting.pdf"), _upload(api, "abandoned.pdf"), _upload(api, "bound.pdf")
    assert api.post("/complaints", complaint_body(attachments=[bound.token])).status_code == 201
    Upload.objects.filter(pk__in=[abandoned.pk, bound.pk]).update(created_at=now - dt.timedelta(hours=25))
    abandoned_file = abandoned.file.name
    window = int(now.timestamp()) // settings.SHAGYM_API_RATE_WINDOW_SECONDS
    RateCounter.objects.create(key="address:203.0.113.9", slot=window - 10_000, count=3)
    RateCounter.objects.create(key="address:203.0.113.10", slot=window, count=3)

    report = sweep.run(now=now)

    assert report.tidied == 3 and report.errors == 0
    assert not IdempotencyRecord.objects.filter(key="old-key").exists()
    assert IdempotencyRecord.objects.filter(key="recent-key").exists()
    assert set(Upload.objects.values_list("token", flat=True)) == {waiting.token, bound.token}
    assert not default_storage.exists(abandoned_file)
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["address:203.0.113.10"]
    # A late retry of a filing whose kept answer is gone still files nothing twice: the complaint keeps its own key.
    again = api.post("/complaints", complaint_body(), key="old-key")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]


def test_nothing_is_removed_before_its_time(api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api.post("/complaints", complaint_body(), key="k1")
    upload = _upload(api, "waiting.pdf")
    assert sweep.run().tidied == 0
    assert IdempotencyRecord.objects.filter(key="k1").exists() and Upload.objects.filter(pk=upload.pk).exists()
