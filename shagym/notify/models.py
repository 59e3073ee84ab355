"""Messages to applicants and staff, and the log of every attempt to deliver them (issue 6).

A Message is one text for one addressee about one thing. Its `dedup_key` is unique: whoever creates it first
wins, and a retried task or a second sweep running at the same time finds it and sends nothing. A Delivery is that
message on one medium (cabinet, e-mail, SMS, paper letter); (message, medium) is unique too, so a fallback is never
added twice. The text is stored as it was sent, so a notice that is a legal act can be proved afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shagym.choices import ChoiceLabels
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.directory.models import Organisation


class Audience(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    STAFF = "staff", _("staff")


class Kind(models.TextChoices):
    # To the applicant (issue 6, item 1). The values are the kinds the complaints services hand over.
    RECEIVED = "received", _("complaint received")
    REGISTERED = "registered", _("complaint registered")
    FORWARDED = "forwarded", _("forwarded to the reviewing body")
    SATISFIED = "satisfied", _("demands satisfied by the appealed body")
    REDIRECTED = "redirected", _("sent to the competent body")
    CONTENT_REQUESTED = "content_requested", _("missing information requested")
    RETURNED = "returned", _("complaint returned")
    EXTENDED = "extended", _("review term extended")
    DECIDED = "decided", _("decision on the complaint")
    LEFT_WITHOUT_CONSIDERATION = "left_without_consideration", _("left without consideration")
    WITHDRAWN = "withdrawn", _("withdrawal recorded")
    DEEMED_REFUSED = "deemed_refused", _("term passed without a decision")
    # To staff (item 2).
    ASSIGNED = "assigned", _("appointed executor")
    AWAITING_SIGNATURE = "awaiting_signature", _("answer awaiting signature")
    RECOMMENDATION = "recommendation", _("recommendation of the quality authority")
    DUE_REMINDER = "due_reminder", _("review term ends on the next working day")
    OVERDUE = "overdue", _("review term passed")
    EXTENSION_NOTICE_REMINDER = "extension_notice_reminder", _("extension notice due on the next working day")
    EXTENSION_NOTICE_OVERDUE = "extension_notice_overdue", _("extension notice late")
    FORWARD_REMINDER = "forward_reminder", _("forwarding due on the next working day")
    FORWARD_OVERDUE = "forward_overdue", _("forwarding late")
    DIGEST = "digest", _("daily summary")


class Medium(models.TextChoices):
    CABINET = "cabinet", _("personal cabinet")
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    PAPER = "paper", _("paper letter")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    AWAITING_PRINT = "awaiting_print", _("in the office's print queue")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Message(ChoiceLabels, models.Model):
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    audience = models.CharField(_("addressed to"), max_length=10, choices=Audience.choices)
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notify_messages",
    )
    # The lifecycle event the message tells of; none for reminders, alerts and digests.
    event = models.ForeignKey(
        ComplaintEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The account whose cabinet shows the message; none for a paper complaint's applicant.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notify_messages",
    )
    addressee = models.CharField(_("addressee"), max_length=400)
    sender = models.ForeignKey(
        Organisation, verbose_name=_("on behalf of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    sms_text = models.CharField(_("SMS text"), max_length=400, blank=True)
    legal_reference = models.CharField(_("legal basis"), max_length=200, blank=True)
    # RULES §9, §14, §21: the last day to tell the applicant, for the notices that have such a term.
    notice_due = models.DateField(_("notice due by"), null=True, blank=True)
    # The letter as a PDF: printed for a paper complaint, attached to the e-mail with a decision.
    document = models.FileField(_("letter (PDF)"), upload_to="notify/%Y/%m/", blank=True)
    dedup_key = models.CharField(_("unique key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "created_at"], name="notify_inbox"),
            models.Index(fields=["complaint", "created_at"], name="notify_complaint"),
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(ChoiceLabels, models.Model):
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.PROTECT, related_name="deliveries"
    )
    medium = models.CharField(_("channel"), max_length=10, choices=Medium.choices)
    address = models.CharField(_("recipient"), max_length=400)
    # The office that prints and posts a paper letter.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("office"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed by a worker"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=300, blank=True, help_text=_("Message-ID or SMS id."))
    last_error = models.TextField(_("last error"), blank=True)
    fallback_from = models.ForeignKey(
        "self",
        verbose_name=_("instead of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fallbacks",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        ordering = ["created_at", "pk"]
        constraints = [
            # A fallback is added once however many workers see the failure.
            models.UniqueConstraint(fields=["message", "medium"], name="notify_one_delivery_per_medium"),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False), name="notify_sent_has_time"
            ),
        ]
        indexes = [
            # The sweep's retry query and the office's print queue.
            models.Index(fields=["status", "next_attempt_at"], name="notify_delivery_due"),
            models.Index(fields=["organisation", "status"], name="notify_print_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_medium_display()} → {self.address}"


class DeliveryAttempt(ChoiceLabels, models.Model):
    """One try on one medium, kept for proof: when, whether it went, and what the server answered."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="attempt_log")
    at = models.DateTimeField(_("time"))
    ok = models.BooleanField(_("succeeded"))
    reference = models.CharField(_("reference"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else self.error[:60]}"
