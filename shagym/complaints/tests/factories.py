from __future__ import annotations

import datetime as dt

import factory

from shagym.accounts.models import User
from shagym.complaints import services
from shagym.complaints.identifiers import make_iin
from shagym.complaints.states import AddresseeKind, AppealedAct, ApplicantKind, Channel
from shagym.directory.models import Membership, Organisation, OrganisationKind, Service, Territory


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["kato"]

    kato = "710000000"
    level = Territory.Level.CITY
    name_kk = "Астана қаласы"
    name_ru = "город Астана"
    name_en = "Astana city"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    key = factory.Sequence(lambda n: f"org{n}")
    kind = OrganisationKind.CENTRAL
    name_kk = factory.Sequence(lambda n: f"Министрлік {n}")
    name_ru = factory.Sequence(lambda n: f"Министерство {n}")
    name_en = factory.Sequence(lambda n: f"Ministry {n}")
    territory = factory.SubFactory(TerritoryFactory)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"S-{n:03d}")
    name_kk = factory.Sequence(lambda n: f"Қызмет {n}")
    name_ru = factory.Sequence(lambda n: f"Услуга {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Айгүл"
    last_name = factory.Sequence(lambda n: f"Сейітова{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    password = factory.django.Password("pass-12345")


def member(user: User, organisation: Organisation, role: str) -> User:
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if hasattr(user, "_shagym_memberships"):
        del user._shagym_memberships
    return user


def complaint_input(
    *, reviewing_body: Organisation, respondent: Organisation | None = None, **overrides: object
) -> services.ComplaintInput:
    values: dict[str, object] = dict(
        applicant_kind=ApplicantKind.INDIVIDUAL,
        channel=Channel.PORTAL,
        language="kk",
        addressee_kind=AddresseeKind.CENTRAL,
        reviewing_body=reviewing_body,
        respondent=respondent or reviewing_body,
        appealed_act=AppealedAct.DECISION,
        learned_on=dt.date(2026, 11, 2),
        circumstances="Анықтама берілмеді.",
        reasons="Құжаттар толық тапсырылды.",
        demands="Анықтаманы беруді сұраймын.",
        postal_address="Астана қ., Абай даңғылы, 10, 5-пәтер",
        surname="Ахметов",
        first_name="Ерлан",
        patronymic="Серікұлы",
        iin=make_iin(dt.date(1990, 5, 17)),
        phones="+7 701 123 45 67",
        officials=[services.OfficialInput(position="бөлім басшысы", surname="Қасымов", initials="Б.Т.")],
    )
    values.update(overrides)
    return services.ComplaintInput(**values)  # type: ignore[arg-type]
