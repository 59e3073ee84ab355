"""Background work on complaints, through Django's Tasks API (database backend by default)."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def enqueue_notice(kind: str, complaint_id: int, extra: dict[str, Any]) -> None:
    """Called after commit by the services when something the applicant or staff must hear of has happened.
    Delivery (e-mail, SMS, cabinet, paper letters) is built in the notifications module (issue 6); until then
    the event itself, visible in the cabinet and the back office, is the record."""
    logger.debug("notice %s for complaint %s %s", kind, complaint_id, extra)
