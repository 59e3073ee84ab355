"""Background work on complaints, through Django's Tasks API (database backend by default)."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def enqueue_notice(kind: str, complaint_id: int, extra: dict[str, Any]) -> None:
    """Called after commit by the services when something the applicant or staff must hear of has happened.
    Hands over to the notifications app (issue 6), which writes the messages and delivers them (cabinet, e-mail,
    SMS, paper letter) through the task queue. It never raises: a lost hand-off is caught up by the sweep."""
    from shagym.notify.services import hand_off

    logger.debug("notice %s for complaint %s %s", kind, complaint_id, extra)
    hand_off(kind=kind, complaint_id=complaint_id, extra=extra)
