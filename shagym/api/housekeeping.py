"""What the API keeps only for a while, removed by the worker's sweep (registered in ApiConfig.ready()): the answers
kept for Idempotency-Key retries, files uploaded and never bound to a complaint, and rate counters of windows long
past. Without it the three tables, and the upload folder, would grow for ever."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings

from .models import IdempotencyRecord, RateCounter, Upload

logger = logging.getLogger(__name__)


def tidy(at: dt.datetime) -> int:
    """Remove what is past its keeping time at `at`; return how many rows."""
    removed, _ = IdempotencyRecord.objects.filter(
        created_at__lt=at - dt.timedelta(hours=settings.SHAGYM_API_IDEMPOTENCY_HOURS)
    ).delete()
    stale = Upload.objects.filter(bound_at__isnull=True,
                                  created_at__lt=at - dt.timedelta(hours=settings.SHAGYM_API_UPLOAD_HOURS))
    for upload in stale.iterator():
        # The file first: a row without its file is harmless, a file without its row would never be found again.
        try:
            upload.file.delete(save=False)
        except OSError:
            logger.warning("Upload %s: its file could not be removed; the next sweep tries again", upload.pk)
            continue
        upload.delete()
        removed += 1
    # A counter's slot is its window's number (shagym.api.limits); a day of windows back is long past any limit.
    day_of_windows = 86_400 // settings.SHAGYM_API_RATE_WINDOW_SECONDS + 1
    current = int(at.timestamp()) // settings.SHAGYM_API_RATE_WINDOW_SECONDS
    counters, _ = RateCounter.objects.filter(slot__lt=current - day_of_windows).delete()
    return removed + counters
