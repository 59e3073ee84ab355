"""The events feed, and the webhook subscriptions with their deliveries and the log of every attempt."""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.directory.models import Organisation


class FeedEntry(models.Model):
    """One event of a complaint in the feed. The primary key is the feed position: it is drawn under one lock held to
    the commit (feed.append), so positions become visible in their order and `after=<position>` never skips one.

    Who may read it is stored with it (the bodies that held the complaint before and after the event, the body a
    recommendation was addressed to, the applicant's account, and whether the step is internal to the body), so a
    page of the feed is one indexed query."""

    position = models.BigAutoField(primary_key=True)
    event = models.OneToOneField(ComplaintEvent, on_delete=models.PROTECT, related_name="feed_entry")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=40)
    holder_before = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    holder_after = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    addressed = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    internal = models.BooleanField(_("internal to the body"), default=False)
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("feed entry")
        verbose_name_plural = _("events feed")
        ordering = ["position"]
        indexes = [
            models.Index(fields=["holder_after", "position"], name="feed_by_holder_after"),
            models.Index(fields=["holder_before", "position"], name="feed_by_holder_before"),
            models.Index(fields=["addressed", "position"], name="feed_by_addressed",
                         condition=Q(addressed__isnull=False)),
            models.Index(fields=["applicant_user", "position"], name="feed_by_applicant",
                         condition=Q(applicant_user__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.action} #{self.complaint_id}"


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookSubscription(models.Model):
    """An organisation's receiver of the events of the complaints its body holds (or held when the event happened)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(_("receiver URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Empty: every action. Otherwise the actions (states.Action values) to send.
    actions = models.JSONField(_("actions"), default=list, blank=True)
    # The signing key: HMAC needs it in clear. Shown once when the subscription is made.
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret, editable=False)
    contact_email = models.EmailField(
        _("contact e-mail"), help_text=_("Told when the subscription is disabled after repeated failures.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("failed attempts in a row"), default=0)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.TextField(_("why disabled"), blank=True)
    notice_sent_at = models.DateTimeField(_("organisation told"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["organisation", "pk"]
        indexes = [models.Index(fields=["organisation", "is_active"], name="webhook_subscription_active")]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.url}"

    def wants(self, action: str) -> bool:
        return not self.actions or action in self.actions


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class WebhookDelivery(models.Model):
    """One event for one subscription: made once (a unique key), sent until the receiver answers 2xx or the attempts
    run out. The body is frozen when it is made, so every retry sends the same bytes under the same `webhook-id`."""

    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    entry = models.ForeignKey(FeedEntry, verbose_name=_("feed entry"), on_delete=models.PROTECT, related_name="+")
    message_id = models.CharField(_("webhook-id"), max_length=60, unique=True)
    body = models.TextField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed by a worker"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "entry"], name="webhook_one_delivery_per_event"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return self.message_id


class WebhookAttempt(models.Model):
    """One try, kept: when, the receiver's answer (or the error), how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("time"))
    ok = models.BooleanField(_("succeeded"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration, ms"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error[:40]}"
