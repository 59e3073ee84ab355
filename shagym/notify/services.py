"""Write messages and deliver them. The only code in this app that creates or changes a Message or a Delivery.

Never twice: a message is created with get_or_create on its unique key (a second task, sweep or process finds it
and stops), and a delivery is claimed with a conditional update before anything goes out.
Never missed: each event is handed over after commit (apps.py subscribes to the complaints' events); if that
hand-off is lost, the sweep's catch-up finds the event after this subscriber's cursor, and a delivery left pending is
put back on the queue."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from shagym import workdays
from shagym.complaints import access
from shagym.complaints import services as complaint_services
from shagym.complaints.models import Complaint, ComplaintEvent, Recommendation
from shagym.complaints.states import AssignData, Channel, LeaveData, MoveData, NotAllowed, RecommendData, Refused
from shagym.directory.models import Organisation
from shagym.directory.roles import Role

from . import compose, counts, selectors, transport
from .catalog import EVENT_KINDS, SPECS
from .compose import Composed
from .gateways import PermanentError, mobile_number
from .models import Audience, Delivery, DeliveryAttempt, DeliveryStatus, Kind, Medium, Message

if TYPE_CHECKING:
    from shagym.accounts.models import User

logger = logging.getLogger(__name__)

# Issue 6, item 4: e-mail falls back to SMS, and an electronic channel to a paper letter.
FALLBACKS: dict[str, tuple[str, ...]] = {Medium.EMAIL: (Medium.SMS, Medium.PAPER), Medium.SMS: (Medium.PAPER,)}


@dataclass(frozen=True)
class Draft:
    key: str
    kind: str
    audience: str
    addressee: str
    language: str
    composed: Composed
    routes: list[tuple[str, str]]
    complaint: Complaint | None = None
    event: ComplaintEvent | None = None
    recipient: User | None = None
    sender: Organisation | None = None
    notice_due: dt.date | None = None


# ---------------------------------------------------------------------------------------------------------------
# From the complaints' events (the subscriber registered in apps.py)


def hand_off(event_id: int) -> None:
    """Called after commit with each event that makes messages: the work goes to the task queue. If the queue cannot
    take it, the sweep's catch-up finds the event later (complaints.events.catch_up)."""
    from . import tasks

    tasks.announce.enqueue(event_id=event_id)


def announce_event(event: ComplaintEvent) -> list[Message]:
    """Every message one lifecycle event makes (catalog.EVENT_KINDS). Running it again creates nothing: each message
    has its own key made of the event's id."""
    complaint = Complaint.objects.select_related(
        "holder", "reviewing_body", "respondent", "forwarded_from", "executor", "applicant_user", "signed_by"
    ).get(pk=event.complaint_id)
    created: list[Message | None] = []
    for kind in EVENT_KINDS.get(event.action, ()):
        if SPECS[kind].audience == Audience.APPLICANT:
            created.append(_tell_applicant(kind, complaint, event))
            continue
        recommendation = _recommendation(event) if kind == Kind.RECOMMENDATION else None
        for user in _event_staff(kind, complaint, event, recommendation):
            created.append(
                tell_staff(kind, complaint=complaint, user=user, key=f"e{event.pk}:{kind}:u{user.pk}",
                           event=event, recommendation=recommendation)
            )
    return [message for message in created if message is not None]


# ---------------------------------------------------------------------------------------------------------------
# Messages


def tell_staff(
    kind: str,
    *,
    complaint: Complaint,
    user: User,
    key: str,
    event: ComplaintEvent | None = None,
    recommendation: Recommendation | None = None,
) -> Message | None:
    """A staff message to the user's inbox (and e-mail). None if a message with this key exists already."""
    if Message.objects.filter(dedup_key=key).exists():
        return None
    composed = compose.staff_message(kind, complaint=complaint, user=user, event=event, recommendation=recommendation)
    return _create(
        Draft(
            key=key,
            kind=kind,
            audience=Audience.STAFF,
            addressee=compose.person(user),
            language=compose.language_of(kind, complaint),
            composed=composed,
            routes=_staff_routes(user),
            complaint=complaint,
            event=event,
            recipient=user,
            sender=complaint.holder,
        )
    )


def remind(kind: str, *, complaint: Complaint, users: list[User], day: dt.date) -> list[Message]:
    """A reminder or alert about a term ending on `day`: once per complaint, term and person (the sweep)."""
    messages = [
        tell_staff(kind, complaint=complaint, user=user, key=f"{kind}:c{complaint.pk}:{day.isoformat()}:u{user.pk}")
        for user in users
    ]
    return [message for message in messages if message is not None]


def send_digest(
    *, user: User, day: dt.date, next_day: dt.date, figures: dict[str, tuple[int, list[str]]]
) -> Message | None:
    key = f"{Kind.DIGEST}:{day.isoformat()}:u{user.pk}"
    if Message.objects.filter(dedup_key=key).exists():
        return None
    return _create(
        Draft(
            key=key,
            kind=Kind.DIGEST,
            audience=Audience.STAFF,
            addressee=compose.person(user),
            language=settings.LANGUAGE_CODE,
            composed=compose.digest_message(user=user, day=day, next_day=next_day, figures=figures),
            routes=_staff_routes(user),
            recipient=user,
        )
    )


def applicant_routes(kind: str, complaint: Complaint) -> list[tuple[str, str]]:
    """Issue 6, item 1: the cabinet and e-mail, SMS for the kinds configured, and a letter for a paper complaint."""
    routes: list[tuple[str, str]] = []
    if complaint.applicant_user is not None:
        routes.append((Medium.CABINET, complaint.applicant_user.get_username()))
    if email := _address(Medium.EMAIL, complaint):
        routes.append((Medium.EMAIL, email))
    if (phone := _address(Medium.SMS, complaint)) and kind in settings.SHAGYM_NOTIFY_SMS_KINDS:
        routes.append((Medium.SMS, phone))
    if complaint.channel != Channel.PORTAL and SPECS[kind].letter:
        # RULES §14, §23: a paper complaint is told in writing.
        routes.append((Medium.PAPER, complaint.postal_address))
    return routes


def _tell_applicant(kind: str, complaint: Complaint, event: ComplaintEvent) -> Message | None:
    if kind == Kind.RECEIVED and complaint.channel != Channel.PORTAL:
        return None  # RULES §5: the talon or the registration stamp confirms a paper complaint.
    key = f"e{event.pk}:{kind}:applicant"
    if Message.objects.filter(dedup_key=key).exists():
        return None
    routes = applicant_routes(kind, complaint)
    if not routes:
        return None
    return _create(
        Draft(
            key=key,
            kind=kind,
            audience=Audience.APPLICANT,
            addressee=complaint.applicant_name,
            language=complaint.language,
            composed=compose.applicant_message(kind, complaint=complaint, event=event),
            routes=routes,
            complaint=complaint,
            event=event,
            recipient=complaint.applicant_user,
            sender=_sender(kind, complaint, event),
            notice_due=_notice_due(kind, event),
        )
    )


def _create(draft: Draft, *, now: dt.datetime | None = None) -> Message | None:
    """The message and one delivery per route, in one transaction; deliveries go to the queue after commit."""
    at = now or timezone.now()
    with transaction.atomic():
        message, created = Message.objects.get_or_create(
            dedup_key=draft.key,
            defaults={
                "kind": draft.kind,
                "audience": draft.audience,
                "complaint": draft.complaint,
                "event": draft.event,
                "recipient": draft.recipient,
                "addressee": draft.addressee[:400],
                "sender": draft.sender,
                "language": draft.language,
                "subject": draft.composed.subject,
                "body": draft.composed.body,
                "sms_text": draft.composed.sms_text,
                "legal_reference": draft.composed.legal_reference,
                "notice_due": draft.notice_due,
                "created_at": at,
            },
        )
        if not created:
            return None  # another task or sweep made it first
        deliveries = [_new_delivery(message, medium, address, at=at) for medium, address in draft.routes]
        counts.forget_unread([message.recipient_id])
        pending = [d.pk for d in deliveries if d.status == DeliveryStatus.PENDING]
        transaction.on_commit(partial(enqueue_deliveries, pending), robust=True)
        for delivery in deliveries:
            if draft.kind == Kind.EXTENDED and delivery.status == DeliveryStatus.SENT:
                transaction.on_commit(partial(_after_sent, delivery.pk, actor_id=None), robust=True)
    return message


def _new_delivery(
    message: Message, medium: str, address: str, *, at: dt.datetime, fallback_from: Delivery | None = None
) -> Delivery:
    if medium == Medium.CABINET:
        # The message row is the cabinet entry: it is delivered by being written.
        delivery = Delivery.objects.create(
            message=message, medium=medium, address=address[:400], status=DeliveryStatus.SENT, attempts=1,
            sent_at=at, reference=str(message.pk), created_at=at,
        )
        DeliveryAttempt.objects.create(delivery=delivery, at=at, ok=True, reference=str(message.pk))
        return delivery
    return Delivery.objects.create(
        message=message,
        medium=medium,
        address=address[:400],
        organisation=message.sender if medium == Medium.PAPER else None,
        next_attempt_at=at,
        fallback_from=fallback_from,
        created_at=at,
    )


def _staff_routes(user: User) -> list[tuple[str, str]]:
    routes = [(str(Medium.CABINET), user.get_username())]
    if user.email:
        routes.append((Medium.EMAIL, user.email))
    return routes


def _event_staff(
    kind: str, complaint: Complaint, event: ComplaintEvent, recommendation: Recommendation | None
) -> list[User]:
    from shagym.accounts.models import User

    holder_id = event.new.holder_id or complaint.holder_id
    if kind == Kind.ASSIGNED:
        payload = event.payload
        assert isinstance(payload, AssignData)
        return list(User.objects.filter(pk__in=[payload.executor], is_active=True))
    if kind == Kind.AWAITING_SIGNATURE:
        return selectors.staff_of(holder_id, Role.HEAD)
    if kind == Kind.RECOMMENDATION:
        return selectors.staff_of(recommendation.body_id, Role.HEAD) if recommendation else []
    if kind == Kind.OVERDUE:
        return staff_to_alert(complaint, Role.HEAD)
    return []


def staff_to_alert(complaint: Complaint, *roles: str) -> list[User]:
    """The executor (if any) and the holder's staff in these roles, each once."""
    users = selectors.staff_of(complaint.holder_id, *roles)
    if complaint.executor is not None and complaint.executor.is_active:
        users = [complaint.executor, *(u for u in users if u.pk != complaint.executor_id)]
    return users


def _recommendation(event: ComplaintEvent) -> Recommendation | None:
    payload = event.payload
    assert isinstance(payload, RecommendData)
    return Recommendation.objects.select_related("body").filter(pk__in=[payload.recommendation]).first()


def _sender(kind: str, complaint: Complaint, event: ComplaintEvent) -> Organisation:
    # RULES §8, §9: the body that forwarded or redirected the complaint tells of it; otherwise its holder then.
    payload = event.payload
    pk = payload.from_body if isinstance(payload, MoveData) else event.new.holder_id
    if not pk or pk == complaint.holder_id:
        return complaint.holder
    return Organisation.objects.filter(pk=pk).first() or complaint.holder


def _notice_due(kind: str, event: ComplaintEvent) -> dt.date | None:
    """The last day to tell the applicant, for the notices with a term in the law."""
    if kind == Kind.EXTENDED:
        return event.new.extension_notice_due  # RULES §14: within 3 working days of the extension
    if kind == Kind.LEFT_WITHOUT_CONSIDERATION:
        payload = event.payload
        assert isinstance(payload, LeaveData)
        return payload.notice_due  # RULES §21: within 3 working days
    if kind == Kind.REDIRECTED:
        return _local_date(event.at)  # RULES §9: told at the same time
    return None


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, workdays.ALMATY).date()


def _address(medium: str, complaint: Complaint) -> str:
    if medium == Medium.EMAIL:
        user = complaint.applicant_user
        return complaint.email or (user.email if user is not None else "")
    if medium == Medium.SMS:
        return mobile_number(complaint.phones) or ""
    if medium == Medium.PAPER:
        return complaint.postal_address
    return ""


# ---------------------------------------------------------------------------------------------------------------
# Delivery


def enqueue_deliveries(delivery_ids: list[int]) -> None:
    from . import tasks

    for delivery_id in delivery_ids:
        tasks.deliver.enqueue(delivery_id=delivery_id)


def deliver(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one delivery if it is due and nobody else has it. Returns its status after the attempt."""
    at = now or timezone.now()
    if not _claim(delivery_id, at):
        return "skipped"
    delivery = Delivery.objects.select_related("message", "message__complaint", "message__sender").get(
        pk=delivery_id
    )
    try:
        reference = transport.send(delivery)
    except PermanentError as exc:
        return _failed(delivery, exc, at=at, final=True)
    except Exception as exc:  # the outside world failed: retry with backoff, then fall back
        return _failed(delivery, exc, at=at, final=delivery.attempts >= settings.SHAGYM_NOTIFY_MAX_ATTEMPTS)
    return _succeeded(delivery, reference, at=at)


def _claim(delivery_id: int, at: dt.datetime) -> bool:
    # A conditional update, the row's own lock: of two workers holding the same task (or a retry and a sweep),
    # one moves the row to "sending" and sends; the other updates nothing and stops.
    return (
        Delivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=at
        ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=at)
        == 1
    )


def _succeeded(delivery: Delivery, reference: str, *, at: dt.datetime) -> str:
    status = DeliveryStatus.AWAITING_PRINT if delivery.medium == Medium.PAPER else DeliveryStatus.SENT
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=status,
            sent_at=at if status == DeliveryStatus.SENT else None,
            reference=reference[:300],
            last_error="",
        )
        DeliveryAttempt.objects.create(delivery=delivery, at=at, ok=True, reference=reference[:300])
        if status == DeliveryStatus.AWAITING_PRINT:
            counts.forget_letters([delivery.organisation_id])
    if status == DeliveryStatus.SENT:
        _after_sent(delivery.pk, actor_id=None)
    return status


def _failed(delivery: Delivery, exc: Exception, *, at: dt.datetime, final: bool) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning("Delivery %s (%s to %s) failed, attempt %s: %s",
                   delivery.pk, delivery.medium, delivery.address, delivery.attempts, error)
    with transaction.atomic():
        DeliveryAttempt.objects.create(delivery=delivery, at=at, ok=False, error=error)
        if not final:
            retry_at = at + backoff(delivery.attempts)
            Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.PENDING, next_attempt_at=retry_at, last_error=error
            )
            transaction.on_commit(partial(_enqueue_retry, delivery.pk, retry_at), robust=True)
            return DeliveryStatus.PENDING
        # The message row is locked while the channel is marked failed and a fallback chosen: two channels of one
        # message failing at once would otherwise each see the other still "sending", and neither fall back.
        Message.objects.select_for_update().filter(pk=delivery.message_id).first()
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED, last_error=error
        )
        _fall_back(delivery, at=at)
    return DeliveryStatus.FAILED


def backoff(attempts: int) -> dt.timedelta:
    """1, 4, 16, 64 ... times the base wait (SHAGYM_NOTIFY_RETRY_SECONDS) after the 1st, 2nd, 3rd ... failure."""
    return dt.timedelta(seconds=settings.SHAGYM_NOTIFY_RETRY_SECONDS * 4 ** max(attempts - 1, 0))


def _enqueue_retry(delivery_id: int, at: dt.datetime) -> None:
    from . import tasks

    task = tasks.deliver
    if task.get_backend().supports_defer:
        task.using(run_after=at).enqueue(delivery_id=delivery_id)
    # Otherwise the sweep puts it back on the queue once it is due.


def _fall_back(delivery: Delivery, *, at: dt.datetime) -> Delivery | None:
    """Issue 6, item 4: when no other outward channel still carries the message, try the next one."""
    message = delivery.message
    complaint = message.complaint
    if message.audience != Audience.APPLICANT or complaint is None:
        return None  # staff keep the message in their inbox
    others = Delivery.objects.filter(message=message).exclude(pk=delivery.pk).exclude(medium=Medium.CABINET)
    if others.exclude(status=DeliveryStatus.FAILED).exists():
        return None
    tried = {*others.values_list("medium", flat=True), delivery.medium}
    for medium in FALLBACKS.get(delivery.medium, ()):
        if medium in tried or (medium == Medium.PAPER and not SPECS[message.kind].letter):
            continue
        address = _address(medium, complaint)
        if not address:
            continue
        fallback = _new_delivery(message, medium, address, at=at, fallback_from=delivery)
        transaction.on_commit(partial(enqueue_deliveries, [fallback.pk]), robust=True)
        return fallback
    if not Delivery.objects.filter(message=message, medium=Medium.CABINET).exists():
        logger.error("Message %s (%s, complaint %s) could not be delivered on any channel",
                     message.pk, message.kind, complaint.pk)
    return None


def _after_sent(delivery_id: int, *, actor_id: int | None) -> None:
    """RULES §14 (Law Art. 25(4)): the extension notice is recorded on the complaint once it has gone out: in
    writing (the posted letter) for a paper complaint, electronically (the cabinet) for an electronic one."""
    from shagym.accounts.models import User

    delivery = Delivery.objects.select_related("message", "message__complaint").get(pk=delivery_id)
    message = delivery.message
    complaint = message.complaint
    if message.kind != Kind.EXTENDED or complaint is None or complaint.extension_notice_sent_at is not None:
        return
    counts = Medium.CABINET if complaint.channel == Channel.PORTAL else Medium.PAPER
    if delivery.medium != counts:
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    # The clerk who posted the letter records it; if he is not staff of the complaint's holder, the system does.
    for who in (actor, None) if actor else (None,):
        try:
            complaint_services.record_extension_notice(actor=who, complaint=complaint, channel=delivery.medium)
            return
        except NotAllowed:
            continue
        except Refused as exc:
            # Already recorded by staff, or the complaint has moved on: the delivery log still proves the notice.
            logger.info("Extension notice of complaint %s not recorded: %s", complaint.pk, exc.message)
            return


# ---------------------------------------------------------------------------------------------------------------
# For the UI


@transaction.atomic
def record_letter_posted(*, actor: User, delivery: Delivery, now: dt.datetime | None = None) -> Delivery:
    """A clerk (or head) of the office records that the printed letter was posted."""
    at = now or timezone.now()
    # Locked so that two clerks pressing "posted" at once record it once.
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if not access.is_office_of(actor, delivery.organisation_id):
        raise NotAllowed("record_letter_posted")
    if delivery.medium != Medium.PAPER or delivery.status != DeliveryStatus.AWAITING_PRINT:
        raise Refused(gettext("This letter is not waiting to be posted."), code="state")
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=at, posted_by=actor)
    counts.forget_letters([delivery.organisation_id])
    DeliveryAttempt.objects.create(delivery=delivery, at=at, ok=True, reference=f"posted:u{actor.pk}")
    transaction.on_commit(partial(_after_sent, delivery.pk, actor_id=actor.pk), robust=True)
    delivery.refresh_from_db()
    return delivery


def mark_read(
    *, user: User, message: Message | None = None, messages: Iterable[Message] = (), now: dt.datetime | None = None
) -> int:
    """The recipient opened these messages (one UPDATE however many). Only the recipient can mark them; returns how
    many were unread."""
    ids = [m.pk for m in messages] + ([message.pk] if message is not None else [])
    if not ids:
        return 0
    read = Message.objects.filter(pk__in=ids, recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
    if read:
        counts.forget_unread([user.pk])
    return read
