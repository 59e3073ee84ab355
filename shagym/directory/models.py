"""Reference data: territories (KATO), organisations, the register of public services, staff memberships,
and the administrator's overrides of the working-day calendar."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .roles import STAFF_ROLE_CHOICES


class LocalisedName(models.Model):
    name_kk = models.CharField(_("name in Kazakh"), max_length=400)
    name_ru = models.CharField(_("name in Russian"), max_length=400)
    name_en = models.CharField(_("name in English"), max_length=400, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language; Kazakh, then Russian, when English is missing."""
        language = (get_language() or "kk")[:2]
        return getattr(self, f"name_{language}", "") or self.name_kk or self.name_ru

    def name_in(self, language: str) -> str:
        return getattr(self, f"name_{language[:2]}", "") or self.name_kk or self.name_ru


class Territory(LocalisedName):
    """An administrative-territorial unit of the KATO classifier."""

    class Level(models.TextChoices):
        REGION = "region", _("region")
        CITY = "city", _("city of republican significance")
        DISTRICT = "district", _("district or city of regional significance")
        RURAL = "rural", _("rural district or village")

    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["kato"]


class OrganisationKind(models.TextChoices):
    CENTRAL = "central", _("central state body (ministry)")
    LOCAL_EXECUTIVE = "local_executive", _("local executive body (akimat)")
    AKIM = "akim", _("akim's office")
    PROVIDER = "provider", _("service provider")
    STATE_CORPORATION = "state_corporation", _("State Corporation")
    CON = "con", _("public service centre (CON)")
    QUALITY_AUTHORITY = "quality_authority", _("quality authority")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def receiving(self) -> OrganisationQuerySet:
        """The bodies connected to Shagym: an active clerk registers what they receive and an active head appoints
        and signs (RULES §5, §10). A complaint addressed to any other body would reach nobody here."""
        return self.filter(is_active=True).filter(
            models.Exists(Membership.objects.filter(organisation=models.OuterRef("pk"), role="clerk", user__is_active=True)),
            models.Exists(Membership.objects.filter(organisation=models.OuterRef("pk"), role="head", user__is_active=True)),
        )

    def reviewing(self) -> OrganisationQuerySet:
        """Receiving bodies that can also review: an executor, or a head who may review personally; for the quality
        authority, an inspector (RULES §10, §24)."""
        from django.conf import settings

        can_review = ["executor", "inspector"] + (["head"] if settings.SHAGYM_HEAD_MAY_REVIEW else [])
        inspector = Membership.objects.filter(organisation=models.OuterRef("pk"), role="inspector",
                                              user__is_active=True)
        reviewer = Membership.objects.filter(organisation=models.OuterRef("pk"), role__in=can_review,
                                             user__is_active=True)
        return self.receiving().filter(
            models.Q(kind=OrganisationKind.QUALITY_AUTHORITY, pk__in=models.Subquery(inspector.values("organisation")))
            | (~models.Q(kind=OrganisationKind.QUALITY_AUTHORITY) & models.Exists(reviewer))
        )


class Organisation(LocalisedName):
    key = models.SlugField(_("short code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent body"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), null=True, blank=True, on_delete=models.PROTECT
    )
    address_kk = models.CharField(_("address in Kazakh"), max_length=400, blank=True)
    address_ru = models.CharField(_("address in Russian"), max_length=400, blank=True)
    phones = models.CharField(_("phones"), max_length=200, blank=True, help_text=_("Separated by commas."))
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    # RULES §8: the body that reviews complaints against this organisation (a provider's ministry or akimat,
    # a CON's branch of the State Corporation); forwarding sends complaints there.
    reviewer = models.ForeignKey(
        "self",
        verbose_name=_("reviewing body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_bodies",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_ru"]

    @property
    def address(self) -> str:
        return self.address_ru if (get_language() or "")[:2] == "ru" else (self.address_kk or self.address_ru)


class Service(LocalisedName):
    """A public service from the register of public services."""

    code = models.CharField(_("register code"), max_length=30, unique=True)
    providers = models.ManyToManyField(Organisation, verbose_name=_("providers"), blank=True, related_name="services")
    # RULES §2: a complaint may go to the ministry (central state body) whose field the service is; it is the body
    # that approves the service's standard (Law "On public services" Art. 10).
    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible ministry or central state body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="standards",
        limit_choices_to={"kind": "central"},
    )

    class Meta:
        verbose_name = _("public service")
        verbose_name_plural = _("public services")
        ordering = ["code"]


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=STAFF_ROLE_CHOICES)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} / {self.organisation} / {self.get_role_display()}"


class CalendarOverride(models.Model):
    """A day an administrator declares working or non-working (RULES §18): a new transfer order of the
    government, the confirmed date of Kurban Ait. Any change here changes the calendar version."""

    day = models.DateField(_("day"), unique=True)
    working = models.BooleanField(
        _("working day"), help_text=_("Ticked: the day is worked (e.g. a Saturday by transfer). Unticked: a day off.")
    )
    reason = models.CharField(_("reason"), max_length=200)
    reference = models.CharField(
        _("legal reference"), max_length=300, help_text=_("The order or decree, with its number and date.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.reason}"
