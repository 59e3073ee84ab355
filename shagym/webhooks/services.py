"""Webhook subscriptions and their deliveries. The only code that writes a subscription's state or a delivery.

Exactly once per event and subscription: a delivery is made in the transaction that gives the event its feed
position (feed.append), under a unique key (subscription, entry); it is claimed with a conditional update before it
is sent, so two workers never send it at once; it is retried until the receiver answers 2xx. Signed per the Standard
Webhooks specification: `webhook-id` (the same on every retry: the receiver's key to ignore a repeat),
`webhook-timestamp` (of this attempt), `webhook-signature` = "v1," + base64(HMAC-SHA256(secret, id.timestamp.body))."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Collection, Iterable
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action, Refused
from shagym.directory.models import Organisation

from .models import DeliveryStatus, FeedEntry, WebhookAttempt, WebhookDelivery, WebhookSubscription

if TYPE_CHECKING:
    from shagym.accounts.models import User

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------------------------
# Subscriptions


def check_url(url: str) -> str:
    """A receiver URL: http(s) with a host; https only when SHAGYM_WEBHOOK_REQUIRE_HTTPS; no private or loopback
    address unless SHAGYM_WEBHOOK_ALLOW_PRIVATE. Raises Refused (field "url")."""
    url = (url or "").strip()
    parts = urlsplit(url)
    schemes = {"https"} if settings.SHAGYM_WEBHOOK_REQUIRE_HTTPS else {"http", "https"}
    if parts.scheme not in schemes or not parts.hostname or len(url) > 500:
        raise Refused(
            gettext("Give the receiver's full address, starting with %(schemes)s.")
            % {"schemes": " or ".join(f"{s}://" for s in sorted(schemes))},
            field="url",
        )
    if parts.username or parts.password:
        raise Refused(gettext("The receiver's address may not carry a user name or password."), field="url")
    return url


class PrivateAddress(Exception):
    pass


def _check_address(host: str, port: int) -> None:
    """Refuse a receiver on a private, loopback or link-local address (checked at each attempt: a name may change)."""
    if settings.SHAGYM_WEBHOOK_ALLOW_PRIVATE:
        return
    for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP):
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise PrivateAddress(f"{host} resolves to a non-public address {address}")


def create_subscription(
    *,
    organisation: Organisation,
    url: str,
    contact_email: str,
    actions: Collection[str] = (),
    description: str = "",
    created_by: User | None = None,
) -> WebhookSubscription:
    url = check_url(url)
    unknown = sorted(set(actions) - set(Action.values))
    if unknown:
        raise Refused(gettext("Unknown actions: %(actions)s.") % {"actions": ", ".join(unknown)}, field="actions")
    if not contact_email or "@" not in contact_email:
        raise Refused(gettext("Give an e-mail address to tell if the receiver keeps failing."), field="contact_email")
    return WebhookSubscription.objects.create(
        organisation=organisation, url=url, contact_email=contact_email.strip(), actions=sorted(set(actions)),
        description=description.strip()[:200], created_by=created_by,
    )


def delete_subscription(subscription: WebhookSubscription) -> None:
    WebhookSubscription.objects.filter(pk=subscription.pk).delete()


def enable(subscription: WebhookSubscription) -> None:
    """The administrator turns a disabled subscription back on."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=True, consecutive_failures=0, disabled_at=None, disabled_reason=""
    )


# ---------------------------------------------------------------------------------------------------------------
# From the feed


def subscriptions_for(organisation_ids: Iterable[int | None], action: str) -> list[WebhookSubscription]:
    ids = [pk for pk in organisation_ids if pk is not None]
    if not ids:
        return []
    return [s for s in WebhookSubscription.objects.filter(organisation_id__in=ids, is_active=True) if s.wants(action)]


def payload(entry: FeedEntry, event: ComplaintEvent) -> str:
    """The body sent: the Standard Webhooks envelope (type, timestamp, data) around the feed's document."""
    from .feed import document

    data = document(entry, event, for_applicant=False)
    return json.dumps({"type": data["type"], "timestamp": data["at"], "data": data},
                      ensure_ascii=False, separators=(",", ":"))


def make_deliveries(
    entry: FeedEntry, event: ComplaintEvent, subscriptions: list[WebhookSubscription]
) -> list[WebhookDelivery]:
    """In the feed's transaction: one delivery per subscription, sent after commit."""
    if not subscriptions:
        return []
    body = payload(entry, event)
    at = timezone.now()
    deliveries = [
        WebhookDelivery.objects.create(
            subscription=subscription, entry=entry, message_id=f"msg_{entry.position}_{subscription.pk}",
            body=body, next_attempt_at=at, created_at=at,
        )
        for subscription in subscriptions
    ]
    transaction.on_commit(partial(enqueue, [d.pk for d in deliveries]), robust=True)
    return deliveries


def enqueue(delivery_ids: list[int]) -> None:
    from . import tasks

    for delivery_id in delivery_ids:
        tasks.deliver.enqueue(delivery_id=delivery_id)


# ---------------------------------------------------------------------------------------------------------------
# Sending


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx is an answer, not a delivery


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: str, headers: dict[str, str]) -> int:
    """POST the body; return the HTTP status (raises for a network error or a refused address)."""
    parts = urlsplit(url)
    _check_address(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.SHAGYM_WEBHOOK_TIMEOUT) as response:
            response.read(1024)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def deliver(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one delivery if it is due and nobody else has it. Returns its status after the attempt."""
    at = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=at
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=at)
    if not claimed:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error="subscription disabled"
        )
        WebhookAttempt.objects.create(delivery=delivery, at=at, ok=False, error="subscription disabled")
        return DeliveryStatus.FAILED
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Shagym-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(subscription.secret, delivery.message_id, timestamp, delivery.body),
    }
    started = time.monotonic()
    status_code: int | None = None
    error = ""
    try:
        status_code = post(subscription.url, delivery.body, headers)
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except Exception as exc:  # the receiver or the network failed: retried with backoff
        error = f"{type(exc).__name__}: {exc}"[:2000]
    duration = int((time.monotonic() - started) * 1000)
    if not error:
        return _succeeded(delivery, at=at, status_code=status_code, duration=duration)
    return _failed(delivery, at=at, status_code=status_code, error=error, duration=duration)


def _succeeded(delivery: WebhookDelivery, *, at: dt.datetime, status_code: int | None, duration: int) -> str:
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.DELIVERED, delivered_at=at, last_error=""
        )
        WebhookAttempt.objects.create(delivery=delivery, at=at, ok=True, status_code=status_code, duration_ms=duration)
        WebhookSubscription.objects.filter(pk=delivery.subscription_id).exclude(consecutive_failures=0).update(
            consecutive_failures=0
        )
    return DeliveryStatus.DELIVERED


def backoff(attempts: int) -> dt.timedelta:
    """1, 4, 16, 64 ... times SHAGYM_WEBHOOK_RETRY_SECONDS after the 1st, 2nd, 3rd ... failure, at most a day."""
    return dt.timedelta(seconds=min(settings.SHAGYM_WEBHOOK_RETRY_SECONDS * 4 ** max(attempts - 1, 0), 86400))


def _failed(
    delivery: WebhookDelivery, *, at: dt.datetime, status_code: int | None, error: str, duration: int
) -> str:
    logger.warning("Webhook %s to %s failed, attempt %s: %s",
                   delivery.message_id, delivery.subscription.url, delivery.attempts, error)
    final = delivery.attempts >= settings.SHAGYM_WEBHOOK_MAX_ATTEMPTS
    with transaction.atomic():
        WebhookAttempt.objects.create(delivery=delivery, at=at, ok=False, status_code=status_code, error=error,
                                      duration_ms=duration)
        if final:
            WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.FAILED, last_error=error
            )
        else:
            retry_at = at + backoff(delivery.attempts)
            WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.PENDING, next_attempt_at=retry_at, last_error=error
            )
            transaction.on_commit(partial(_enqueue_retry, delivery.pk, retry_at), robust=True)
        WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
        if subscription.is_active and subscription.consecutive_failures >= settings.SHAGYM_WEBHOOK_DISABLE_AFTER:
            _disable(subscription, at=at, error=error)
    return DeliveryStatus.FAILED if final else DeliveryStatus.PENDING


def _enqueue_retry(delivery_id: int, at: dt.datetime) -> None:
    from . import tasks

    if tasks.deliver.get_backend().supports_defer:
        tasks.deliver.using(run_after=at).enqueue(delivery_id=delivery_id)
    # Otherwise the webhooks sweep puts it back on the queue once it is due.


def _disable(subscription: WebhookSubscription, *, at: dt.datetime, error: str) -> None:
    reason = gettext("%(count)d delivery attempts failed in a row; the last: %(error)s") % {
        "count": subscription.consecutive_failures, "error": error}
    WebhookSubscription.objects.filter(pk=subscription.pk).update(is_active=False, disabled_at=at,
                                                                   disabled_reason=reason)
    transaction.on_commit(partial(tell_disabled, subscription.pk), robust=True)


def tell_disabled(subscription_id: int) -> bool:
    """The organisation is told by e-mail at the subscription's contact address; the admin shows when."""
    subscription = WebhookSubscription.objects.select_related("organisation").get(pk=subscription_id)
    if subscription.is_active or subscription.notice_sent_at is not None:
        return False
    subject = gettext("Shagym: webhook to %(url)s disabled") % {"url": subscription.url}
    body = gettext(
        "The webhook subscription of %(organisation)s to %(url)s has been disabled: %(reason)s\n\n"
        "Events are no longer sent to it. Fix the receiver, then ask the administrator to enable it again; "
        "the events feed (GET /api/v1/events) has every event since."
    ) % {"organisation": subscription.organisation.name, "url": subscription.url, "reason": subscription.disabled_reason}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.contact_email])
    except Exception:
        logger.exception("Could not tell %s that webhook %s was disabled", subscription.contact_email, subscription.pk)
        return False
    WebhookSubscription.objects.filter(pk=subscription.pk).update(notice_sent_at=timezone.now())
    return True


# ---------------------------------------------------------------------------------------------------------------
# The sweep


def sweep(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Deliveries whose retry is due but not on the queue (a backend without deferred tasks), and claims left by a
    worker that died while sending (after SHAGYM_WEBHOOK_STALE_SECONDS). Returns how many were put on the queue."""
    at = now or timezone.now()
    stale = at - dt.timedelta(seconds=settings.SHAGYM_WEBHOOK_STALE_SECONDS)
    stuck = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale)
        .values_list("pk", flat=True)[:batch]
    )
    WebhookDelivery.objects.filter(pk__in=stuck, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, next_attempt_at=at
    )
    from . import tasks

    due_by = stale if tasks.deliver.get_backend().supports_defer else at
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=due_by)
        .order_by("next_attempt_at").values_list("pk", flat=True)[:batch]
    )
    for subscription_id in WebhookSubscription.objects.filter(
        is_active=False, notice_sent_at__isnull=True, disabled_at__isnull=False
    ).values_list("pk", flat=True):
        tell_disabled(subscription_id)
    ids = list(dict.fromkeys([*stuck, *due]))
    enqueue(ids)
    return len(ids)
