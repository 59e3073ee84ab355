"""The complaint (the aggregate), its appealed officials, attachments, recommendations, and its append-only history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shagym.choices import ChoiceLabels
from shagym.directory.models import Organisation, Service
from shagym.signatures import verify as signature_verify

from . import states
from .states import (
    OPEN_STATES,
    Action,
    AddresseeKind,
    AppealedAct,
    ApplicantKind,
    Channel,
    DeliveryMethod,
    ExtensionGround,
    Language,
    Outcome,
    Payload,
    RecommendationState,
    Snapshot,
    State,
    TermType,
    WithoutConsiderationGround,
)


class Complaint(ChoiceLabels, models.Model):
    # --- Applicant (RULES §3; АППК Art. 93) ---
    applicant_kind = models.CharField(_("applicant is"), max_length=12, choices=ApplicantKind.choices)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    surname = models.CharField(_("surname"), max_length=150, blank=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, db_index=True)
    legal_name = models.CharField(_("name of the legal entity"), max_length=400, blank=True)
    bin = models.CharField(_("BIN"), max_length=12, blank=True, db_index=True)
    outgoing_number = models.CharField(_("outgoing number of the letter"), max_length=60, blank=True)
    outgoing_date = models.DateField(_("date of the letter"), null=True, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=400)
    phones = models.CharField(_("contact phones"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    # --- Intake ---
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language of the complaint"), max_length=2, choices=Language.choices)
    addressee_kind = models.CharField(_("addressed to"), max_length=20, choices=AddresseeKind.choices)
    # The body the complaint is addressed to, which decides it (RULES §2).
    reviewing_body = models.ForeignKey(
        Organisation, verbose_name=_("reviewing body"), on_delete=models.PROTECT, related_name="+"
    )
    # The body that holds the complaint now: where it was received, then where it was forwarded or redirected.
    # Staff access is scoped by this field (access.py).
    holder = models.ForeignKey(
        Organisation, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="held_complaints"
    )
    forwarded_from = models.ForeignKey(
        Organisation,
        verbose_name=_("forwarded or redirected from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    respondent = models.ForeignKey(
        Organisation, verbose_name=_("body whose act is appealed"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("public service"), null=True, blank=True, on_delete=models.PROTECT
    )
    appealed_act = models.CharField(_("what is appealed"), max_length=10, choices=AppealedAct.choices)
    learned_on = models.DateField(_("date the applicant learned of it"))
    circumstances = models.TextField(_("circumstances"))
    reasons = models.TextField(_("reasons"))
    demands = models.TextField(_("demands"))
    restoration_requested = models.BooleanField(_("asks to restore the filing term"), default=False)
    restoration_reason = models.TextField(_("reason for missing the filing term"), blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # RULES §5: until the office gives the registration number, the receipt names the complaint by this reference
    # (random, so it tells nothing about other complaints); the contact centre and staff search find it by it.
    # null, not "": the rows loaded in bulk before references existed have none, and "" would collide as unique.
    reference = models.CharField(  # noqa: DJ001
        _("delivery reference"), max_length=12, unique=True, null=True, editable=False
    )

    received_at = models.DateTimeField(pgettext_lazy("date", "received"))
    postmark_date = models.DateField(_("postmark date"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # --- Registration and term (RULES §5, §6, §11-§16) ---
    number = models.CharField(_("registration number"), max_length=64, unique=True, null=True, blank=True)
    registered_at = models.DateTimeField(pgettext_lazy("date", "registered"), null=True, blank=True)
    registered_on = models.DateField(_("registration day"), null=True, blank=True)
    term_type = models.CharField(_("term"), max_length=20, choices=TermType.choices)
    term_days = models.PositiveSmallIntegerField(_("term in working days"))
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    calendar_version = models.CharField(_("calendar version"), max_length=40, blank=True)
    forward_due = models.DateField(_("forward by"), null=True, blank=True)
    content_due = models.DateField(_("missing content due"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension in working days"), default=0)
    extension_ground = models.CharField(
        _("ground for extension"), max_length=30, choices=ExtensionGround.choices, blank=True
    )
    extension_reasons = models.TextField(_("reasons for extension"), blank=True)
    extended_on = models.DateField(_("extended on"), null=True, blank=True)
    extension_notice_due = models.DateField(_("extension notice due"), null=True, blank=True)
    extension_notice_sent_at = models.DateTimeField(_("extension notice sent"), null=True, blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    # --- Review and decision (RULES §20-§23) ---
    status = models.CharField(_("status"), max_length=30, choices=State.choices, db_index=True)
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="executed_complaints",
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    decision_facts = models.TextField(_("established facts"), blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    legal_references = models.TextField(_("legal references"), blank=True)
    without_consideration_ground = models.CharField(
        _("ground for leaving without consideration"),
        max_length=30,
        choices=WithoutConsiderationGround.choices,
        blank=True,
    )
    decided_at = models.DateTimeField(pgettext_lazy("date", "decided"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_method = models.CharField(
        _("answer delivered by"), max_length=12, choices=DeliveryMethod.choices, blank=True
    )
    delivered_on = models.DateField(_("answer delivered on"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("date", "closed"), null=True, blank=True)

    # --- Links ---
    # RULES §24: a second-tier complaint to the quality authority is linked to the first.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("first-tier complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="second_tier",
    )

    created_at = models.DateTimeField(pgettext_lazy("date", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("date", "updated"), auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        constraints = [
            # RULES §14: an extension is at most 10 working days (the setting may only lower it).
            models.CheckConstraint(
                condition=Q(extension_days__gte=0) & Q(extension_days__lte=10), name="extension_at_most_10_days"
            ),
            models.CheckConstraint(condition=Q(term_days__gte=1), name="term_at_least_one_day"),
        ]
        indexes = [
            # Staff queues by body and status, in due-date order; the executor is carried for index-only load counts.
            models.Index(fields=["holder", "status", "due_date"], include=["executor"], name="complaint_queue"),
            # The overview of every body's open and overdue complaints, and the sweep's overdue scan.
            models.Index(fields=["holder", "due_date"], condition=Q(status__in=sorted(OPEN_STATES)), name="complaint_open"),
            models.Index(fields=["executor", "status", "due_date"], name="complaint_executor_queue"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def applicant_name(self) -> str:
        if self.applicant_kind == ApplicantKind.LEGAL_ENTITY:
            return self.legal_name
        return " ".join(part for part in (self.surname, self.first_name, self.patronymic) if part)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def is_overdue(self, today: dt.date) -> bool:
        """RULES §15: a term that ends without a decision; the applicant may treat it as a refusal.
        The term runs to 24:00 of its last day (Civil Code Art. 176), so it is overdue from the next day."""
        return self.is_open and self.due_date is not None and today > self.due_date

    def snapshot(self) -> Snapshot:
        """The fields the lifecycle changes, as written into an event's before/after."""
        return Snapshot(**{name: getattr(self, name) for name in Snapshot.FIELDS})


class AppealedOfficial(models.Model):
    """An official whose decision, action or inaction is appealed (RULES §3)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="officials")
    position = models.CharField(_("position"), max_length=200)
    surname = models.CharField(_("surname"), max_length=150)
    initials = models.CharField(_("initials"), max_length=20)

    class Meta:
        verbose_name = _("appealed official")
        verbose_name_plural = _("appealed officials")

    def __str__(self) -> str:
        return f"{self.position} {self.surname} {self.initials}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(pgettext_lazy("date", "uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Recommendation(ChoiceLabels, models.Model):
    """RULES §24 (Law Art. 25(3)): the quality authority's recommendation to a body to restore the applicant's
    rights, and the control of its execution."""

    Status = RecommendationState

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="recommendations")
    body = models.ForeignKey(Organisation, verbose_name=_("addressed to"), on_delete=models.PROTECT)
    text = models.TextField(_("recommendation"))
    due_date = models.DateField(_("execute by"))
    status = models.CharField(
        _("status"), max_length=10, choices=RecommendationState.choices, default=RecommendationState.ISSUED
    )
    report = models.TextField(_("report on execution"), blank=True)
    issued_at = models.DateTimeField(pgettext_lazy("date", "issued"), auto_now_add=True)
    reported_at = models.DateTimeField(pgettext_lazy("date", "reported"), null=True, blank=True)
    confirmed_at = models.DateTimeField(pgettext_lazy("date", "confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.complaint} → {self.body}"


class EventQuerySet(models.QuerySet["ComplaintEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Complaint events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Complaint events are append-only.")


class ComplaintEvent(ChoiceLabels, models.Model):
    """One action on a complaint: who, when, what, and the fields before and after. Never updated or deleted.

    `data` holds the action's typed payload (states.PAYLOADS), `before` and `after` a states.Snapshot; read them
    through `payload`, `old` and `new`, never as raw dicts."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    at = models.DateTimeField(_("time"))
    before = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    after = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    data = models.JSONField(encoder=DjangoJSONEncoder, default=dict)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"], name="event_timeline")]

    def __str__(self) -> str:
        return f"{self.complaint} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Complaint events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Complaint events are append-only.")

    @classmethod
    def append(
        cls,
        complaint: Complaint,
        *,
        action: Action,
        actor: Any,
        role: str,
        at: dt.datetime,
        before: Snapshot | None,
        payload: Payload | None = None,
    ) -> ComplaintEvent:
        """Write the event of `action` with the complaint as saved now as `after`. The payload must be the type
        the state table names for the action."""
        payload = payload if payload is not None else states.payload_type(action)()
        if type(payload) is not states.payload_type(action):
            raise TypeError(f"{action} carries {states.payload_type(action).__name__}, not {type(payload).__name__}")
        event = cls.objects.create(
            complaint=complaint, action=action, actor=actor, role=role, at=at,
            before=before.as_json() if before is not None else {}, after=complaint.snapshot().as_json(),
            data=payload.as_json(),
        )
        event.complaint = complaint  # the caller's object, as it stands after the action
        return event

    @cached_property
    def payload(self) -> Payload:
        return states.payload_type(self.action).from_json(self.data)

    @cached_property
    def old(self) -> Snapshot:
        """The complaint before the action (empty for its filing)."""
        return Snapshot.from_json(self.before)

    @cached_property
    def new(self) -> Snapshot:
        """The complaint after the action."""
        return Snapshot.from_json(self.after)


class Counter(models.Model):
    """Per-body, per-year sequence for registration numbers; taken under a row lock."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_counter")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.value}"


class AccessCode(models.Model):
    """The code printed on a paper complaint's talon (RULES §5), for the status check without an account. One per
    complaint; only a keyed hash is stored (codes.py); the plain code exists once, on the talon."""

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="access_code"
    )
    code_hash = models.CharField(_("code hash"), max_length=128)
    created_at = models.DateTimeField(_("issued"))

    class Meta:
        verbose_name = _("access code")
        verbose_name_plural = _("access codes")

    def __str__(self) -> str:
        return f"{self.complaint}"


class EventCursor(models.Model):
    """How far one subscriber of the events (events.py) has read: its safety net after a lost hand-off."""

    name = models.CharField(max_length=40, unique=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.position}"


class SignatureQuerySet(models.QuerySet["Signature"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Signatures are kept as received.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Signatures are kept as received.")


class Signature(ChoiceLabels, models.Model):
    """An electronic digital signature given with an action, kept with the event that recorded it: the applicant's
    signature of the complaint (its filing) or the head's of the answer (the decision signed). The CMS, the
    signer's certificate, the exact bytes signed, and the verification as it came out when the signature was
    received (shagym.signatures.verify). Written in the action's transaction; never updated or deleted."""

    class Purpose(models.TextChoices):
        COMPLAINT = "complaint", _("the applicant's signature of the complaint")
        ANSWER = "answer", _("the head's signature of the answer")

    event = models.OneToOneField(ComplaintEvent, verbose_name=_("action"), on_delete=models.PROTECT,
                                 related_name="signature")
    purpose = models.CharField(_("what was signed"), max_length=12, choices=Purpose.choices)
    content = models.BinaryField(_("signed content"), editable=False)
    content_sha256 = models.CharField(_("SHA-256 of the signed content"), max_length=64, db_index=True)
    cms = models.BinaryField(_("signature (CMS)"), editable=False)
    certificate = models.BinaryField(_("certificate"), editable=False)
    signer_name = models.CharField(_("signer"), max_length=300)
    iin = models.CharField(_("IIN in the certificate"), max_length=12, blank=True)
    bin = models.CharField(_("BIN in the certificate"), max_length=12, blank=True)
    organisation = models.CharField(_("organisation in the certificate"), max_length=400, blank=True)
    subject = models.TextField(_("certificate subject"))
    issuer = models.TextField(_("certificate issuer"))
    serial = models.CharField(_("certificate serial number"), max_length=80)
    fingerprint = models.CharField(_("certificate SHA-256"), max_length=64)
    valid_from = models.DateTimeField(_("certificate valid from"))
    valid_to = models.DateTimeField(_("certificate valid to"))
    algorithm = models.CharField(_("algorithm"), max_length=80)
    signed_at = models.DateTimeField(_("signing time stated in the signature"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified"))
    outcome = models.CharField(_("verification"), max_length=20)
    revocation = models.CharField(_("revocation"), max_length=20)
    revocation_detail = models.CharField(_("revocation checked by"), max_length=500, blank=True)
    verifier = models.CharField(_("verified by"), max_length=200)
    detail = models.JSONField(_("verification record"), encoder=DjangoJSONEncoder, default=dict)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("electronic signature")
        verbose_name_plural = _("electronic signatures")

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.get_purpose_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Signatures are kept as received.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Signatures are kept as received.")

    @classmethod
    def record(cls, event: ComplaintEvent, *, purpose: str, content: bytes,
               verification: signature_verify.Verification) -> Signature:
        signer = verification.signer
        assert signer is not None, "only a verified signature is recorded"
        return cls.objects.create(
            event=event, purpose=purpose, content=content, content_sha256=verification.data_sha256,
            cms=verification.cms, certificate=signer.certificate, signer_name=signer.common_name[:300],
            iin=signer.iin[:12], bin=signer.bin[:12], organisation=signer.organisation[:400], subject=signer.subject,
            issuer=signer.issuer, serial=signer.serial[:80], fingerprint=signer.fingerprint,
            valid_from=signer.not_before, valid_to=signer.not_after, algorithm=verification.algorithm[:80],
            signed_at=verification.signed_at, verified_at=verification.verified_at, outcome=verification.outcome,
            revocation=verification.revocation, revocation_detail=verification.revocation_detail[:500],
            verifier=verification.verifier[:200], detail=verification.as_json(),
        )

    @property
    def outcome_label(self) -> str:
        outcomes = signature_verify.Outcome
        return str(outcomes(self.outcome).label) if self.outcome in outcomes.values else self.outcome

    @property
    def revocation_label(self) -> str:
        states = signature_verify.Revocation
        return str(states(self.revocation).label) if self.revocation in states.values else self.revocation
