"""The steps every service takes: lock the row, find the actor's roles, ask the state table, change the complaint,
append its one event and publish it after commit. Used only inside the services package."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from shagym import workdays
from shagym.directory.calendar import current_calendar
from shagym.directory.roles import Role

from .. import access, events, states
from ..models import Complaint, ComplaintEvent
from ..situation import situation_of
from ..states import Action, Payload, Snapshot

if TYPE_CHECKING:
    from shagym.accounts.models import User


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, workdays.ALMATY).date()


def lock(complaint: Complaint) -> None:
    # Re-read under a row lock so two people (or a person and the sweep) acting at once are serialised and the
    # second one sees the state the first left. The caller's object is refreshed in place.
    complaint.refresh_from_db(from_queryset=Complaint.objects.select_for_update())


def acting_role(action: str, roles: set[Role]) -> str:
    """The role the event records: one of the actor's roles that the table lets take the action."""
    rule = states.TRANSITIONS.get(action) or states.RECOMMENDATION_TRANSITIONS.get(action)  # type: ignore[call-overload]
    allowed = rule.roles if rule is not None else frozenset(roles)
    acting = sorted(r.value for r in roles & allowed) or sorted(r.value for r in roles)
    return acting[0] if acting else ""


def record(
    complaint: Complaint,
    *,
    action: Action,
    actor: User | None,
    roles: set[Role],
    at: dt.datetime,
    before: Snapshot | None,
    payload: Payload | None = None,
) -> ComplaintEvent:
    """Append the action's event (the complaint as saved is its `after`) and publish it once the transaction commits."""
    event = ComplaintEvent.append(complaint, action=action, actor=actor, role=acting_role(action, roles), at=at,
                                  before=before, payload=payload)
    events.publish_on_commit(event)
    return event


@dataclass(frozen=True)
class Checked:
    """An action the table allowed on a locked complaint: who acts, in which roles, when, and the state it leads to."""

    complaint: Complaint
    action: Action
    actor: User | None
    roles: set[Role]
    at: dt.datetime
    target: states.State
    before: Snapshot

    def apply(self, *, payload: Payload | None = None, changes: dict[str, Any] | None = None) -> ComplaintEvent:
        complaint = self.complaint
        for name, value in (changes or {}).items():
            setattr(complaint, name, value)
        complaint.status = self.target
        complaint.save()
        return record(complaint, action=self.action, actor=self.actor, roles=self.roles, at=self.at,
                      before=self.before, payload=payload)


def check(
    complaint: Complaint,
    action: Action,
    *,
    actor: User | None,
    at: dt.datetime,
    roles: set[Role] | None = None,
    open_second_tier: bool | None = None,
    **given: Any,
) -> Checked:
    """On a complaint the caller has locked: the actor's roles, then the table (role, state, situation, input)."""
    roles = access.roles_for(actor, complaint) if roles is None else roles
    situation = situation_of(complaint, today=local_date(at), open_second_tier=open_second_tier)
    target = states.check(complaint, action, roles=roles, situation=situation, **given)
    return Checked(complaint, action, actor, roles, at, target, complaint.snapshot())


def transition(
    complaint: Complaint,
    action: Action,
    *,
    actor: User | None,
    at: dt.datetime,
    payload: Payload | None = None,
    changes: dict[str, Any] | None = None,
    **given: Any,
) -> ComplaintEvent:
    """check() and apply() in one: for the actions whose changes do not depend on the check."""
    return check(complaint, action, actor=actor, at=at, **given).apply(payload=payload, changes=changes)


def due(registered_on: dt.date, term_days: int, extension_days: int = 0) -> tuple[dt.date, str]:
    """RULES §11-§16: the due date and the version of the calendar that gave it."""
    cal = current_calendar()
    day = workdays.due_date(
        cal,
        registered=registered_on,
        working_days=term_days,
        extension_days=extension_days,
        day_one_after_registration=settings.SHAGYM_DAY_ONE_AFTER_REGISTRATION,
    )
    return day, cal.version


def working_days_after(day: dt.date, n: int) -> dt.date:
    return workdays.add_working_days(current_calendar(), day, n)


def scoped_key(actor: User | None, key: str | None) -> str | None:
    """An idempotency key as stored: namespaced by the actor, so nobody gets back someone else's complaint by
    reusing a key."""
    return f"{actor.pk if actor else '-'}:{key}"[:64] if key else None
