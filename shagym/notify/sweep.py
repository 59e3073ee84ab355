"""The periodic sweep (issue 6, item 3): terms that passed, reminders and alerts, the heads' digest, lost hand-offs
and deliveries waiting for a retry.

It finds its work with indexed queries and claims each item so that two sweeps at once (two workers, a cron job
and a worker) do every thing once: the overdue mark through services.mark_overdue (row lock, returns False if
already marked), every message through its unique key. Each item is handled on its own: one that fails is logged
and left for the next sweep, and does not stop the others."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.utils import timezone

from shagym import workdays
from shagym.complaints import events
from shagym.complaints import services as complaint_services
from shagym.complaints.models import Complaint
from shagym.directory.calendar import current_calendar
from shagym.directory.roles import Role

from . import selectors, services
from .models import Delivery, DeliveryStatus, Kind, Message

if TYPE_CHECKING:
    from shagym.accounts.models import User

logger = logging.getLogger(__name__)
T = TypeVar("T")


# Housekeeping the apps above register in their AppConfig.ready() (the API's old idempotency records and uploads never
# bound, for one): each is called with the sweep's time and returns how many rows it removed. The sweep never imports
# them.
_housekeeping: list[Callable[[dt.datetime], int]] = []


def register_housekeeping(tidy: Callable[[dt.datetime], int]) -> None:
    if tidy not in _housekeeping:
        _housekeeping.append(tidy)


@dataclass
class SweepReport:
    overdue: int = 0
    caught_up: int = 0
    reminders: int = 0
    digests: int = 0
    requeued: int = 0
    tidied: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def run(*, now: dt.datetime | None = None) -> SweepReport:
    at = now or timezone.now()
    local = timezone.localtime(at, workdays.ALMATY)
    today = local.date()
    cal = current_calendar()
    report = SweepReport()
    report.overdue = _mark_overdue(report, at=at, today=today)
    report.caught_up = _catch_up(report, at=at)
    # Reminders, alerts and digests are for staff and go out on working days (RULES §16-§17); the deemed refusal
    # above does not wait for one: the term ended at 24:00 of its last day (Civil Code Art. 176).
    if cal.is_working_day(today):
        next_day = workdays.next_working_day(cal, today)
        report.reminders = (
            _remind_due(report, today, next_day)
            + _watch_extension_notices(report, today, next_day)
            + _watch_forwarding(report, today, next_day)
        )
        if local.hour >= settings.SHAGYM_DIGEST_HOUR:
            report.digests = _send_digests(report, today, next_day)
    report.requeued = _requeue(at=at)
    report.tidied = _each(report, list(_housekeeping), lambda tidy: tidy(at))
    return report


def _each(report: SweepReport, items: Iterable[T], handle: Callable[[T], int]) -> int:
    done = 0
    for item in items:
        try:
            done += handle(item)
        except Exception:
            report.errors += 1
            logger.exception("Sweep: %s failed for %r; the next sweep will retry it", handle.__name__, item)
    return done


def _mark_overdue(report: SweepReport, *, at: dt.datetime, today: dt.date) -> int:
    """RULES §15 (АППК 91(2), 100(5)): the term ended without a decision. mark_overdue tells the applicant and
    alerts the executor and the head (catalog.EVENT_KINDS) once it has set the mark."""

    def mark(complaint: Complaint) -> int:
        return int(complaint_services.mark_overdue(complaint=complaint, now=at) is not None)

    return _each(report, selectors.overdue_candidates(today, limit=settings.SHAGYM_NOTIFY_BATCH), mark)


def _remind_due(report: SweepReport, today: dt.date, next_day: dt.date) -> int:
    """One working day before the due date, the executor (the head while there is none) is reminded. A reminder
    missed on that day (no sweep ran) still goes out on the due date itself."""

    def remind(complaint: Complaint) -> int:
        assert complaint.due_date is not None
        users = _executor_or_heads(complaint)
        return len(services.remind(Kind.DUE_REMINDER, complaint=complaint, users=users, day=complaint.due_date))

    return _each(report, selectors.due_between(today, next_day, limit=settings.SHAGYM_NOTIFY_BATCH), remind)


def _watch_extension_notices(report: SweepReport, today: dt.date, next_day: dt.date) -> int:
    """RULES §14 (Law Art. 25(4)): the applicant is told of an extension within 3 working days. Reminded the working
    day before, alerted once it is late; the clerks too, since they post the letter."""

    def watch(complaint: Complaint) -> int:
        day = complaint.extension_notice_due
        assert day is not None
        kind = Kind.EXTENSION_NOTICE_OVERDUE if day < today else Kind.EXTENSION_NOTICE_REMINDER
        users = services.staff_to_alert(complaint, Role.HEAD, Role.CLERK)
        return len(services.remind(kind, complaint=complaint, users=users, day=day))

    return _each(report, selectors.extension_notices_due(next_day, limit=settings.SHAGYM_NOTIFY_BATCH), watch)


def _watch_forwarding(report: SweepReport, today: dt.date, next_day: dt.date) -> int:
    """RULES §8 (АППК 91(4)): the appealed body forwards the complaint within 3 working days."""

    def watch(complaint: Complaint) -> int:
        day = complaint.forward_due
        assert day is not None
        kind = Kind.FORWARD_OVERDUE if day < today else Kind.FORWARD_REMINDER
        users = selectors.staff_of(complaint.holder_id, Role.HEAD, Role.CLERK)
        return len(services.remind(kind, complaint=complaint, users=users, day=day))

    return _each(report, selectors.forwarding_due(next_day, limit=settings.SHAGYM_NOTIFY_BATCH), watch)


def _send_digests(report: SweepReport, today: dt.date, next_day: dt.date) -> int:
    """Each head, once a working day from SHAGYM_DIGEST_HOUR: what is late, due, unassigned or unsigned."""
    from shagym.accounts.models import User

    heads = selectors.heads_by_user()
    keys = {user_id: f"{Kind.DIGEST}:{today.isoformat()}:u{user_id}" for user_id in heads}
    sent = set(Message.objects.filter(dedup_key__in=list(keys.values())).values_list("dedup_key", flat=True))
    users = User.objects.in_bulk([user_id for user_id, key in keys.items() if key not in sent])

    def digest(user: User) -> int:
        figures = selectors.digest_figures(heads[user.pk], today, next_day)
        if not any(count for count, _numbers in figures.values()):
            return 0  # nothing to report: no message
        return int(services.send_digest(user=user, day=today, next_day=next_day, figures=figures) is not None)

    return _each(report, users.values(), digest)


def _catch_up(report: SweepReport, *, at: dt.datetime) -> int:
    """Issue 6, never miss: every subscriber of the complaints' events (these messages, the documents) gets the
    events whose hand-off after commit was lost (a crash, a queue outage). Handing an event over twice creates
    nothing."""
    made, failed = events.catch_up(now=at, batch=settings.SHAGYM_NOTIFY_BATCH,
                                      settle_seconds=settings.SHAGYM_NOTIFY_STALE_SECONDS)
    report.errors += failed
    return made


def _requeue(*, at: dt.datetime) -> int:
    """Deliveries waiting for a retry, and claims left by a worker that died while sending.

    A dead worker's claim goes back to the queue after SHAGYM_NOTIFY_STALE_SECONDS: the message may then go out
    twice (for a legal notice, at least once beats never); the attempt log shows both tries."""
    from . import tasks

    stale = at - dt.timedelta(seconds=settings.SHAGYM_NOTIFY_STALE_SECONDS)
    stuck = selectors.stale_claims(stale, limit=settings.SHAGYM_NOTIFY_BATCH)
    Delivery.objects.filter(pk__in=stuck, status=DeliveryStatus.SENDING, claimed_at__lt=stale).update(
        status=DeliveryStatus.PENDING, next_attempt_at=at
    )
    # A backend that runs tasks later (run_after) already holds a task for every due delivery: the sweep only rescues
    # those still pending well after their time. Without one, the sweep is what schedules the retries.
    due_by = stale if tasks.deliver.get_backend().supports_defer else at
    ids = [*stuck, *selectors.deliveries_to_retry(due_by, limit=settings.SHAGYM_NOTIFY_BATCH)]
    services.enqueue_deliveries(ids)
    return len(ids)


def _executor_or_heads(complaint: Complaint) -> list[User]:
    if complaint.executor is not None and complaint.executor.is_active:
        return [complaint.executor]
    return selectors.staff_of(complaint.holder_id, Role.HEAD)
