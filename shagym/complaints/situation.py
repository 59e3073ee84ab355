"""The situation the state table's preconditions read (states.Situation), built in one place for the services that
act and the pages that explain why an action is not open."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from . import states
from .models import Complaint


def situation_of(complaint: Complaint, *, today: dt.date, open_second_tier: bool | None = None) -> states.Situation:
    return states.Situation(
        today=today,
        holder_kind=complaint.holder.kind,
        holder_is_reviewer=complaint.holder_id == complaint.reviewing_body_id,
        holder_is_respondent=complaint.holder_id == complaint.respondent_id,
        # RULES §14 (Law Art. 25(4)): the body kinds that may extend; at most 10 working days (a setting may lower it).
        extension_body_kinds=frozenset(settings.SHAGYM_EXTENSION_BODY_KINDS),
        max_extension_days=min(settings.SHAGYM_MAX_EXTENSION_DAYS, 10),
        open_second_tier=open_second_tier,
    )


def has_open_second_tier(complaint: Complaint) -> bool:
    """RULES §24: a second-tier complaint about this one is still with the quality authority."""
    return complaint.second_tier.filter(status__in=states.OPEN_STATES).exists()
