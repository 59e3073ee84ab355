"""Finding bodies and services, and the addressees a complaint against a body may go to (RULES §2)."""

from __future__ import annotations

import pytest

from shagym.complaints import demo
from shagym.complaints.states import AddresseeKind
from shagym.directory.models import Organisation, Territory
from shagym.portal import lookups


@pytest.fixture
def reference(db):
    """The real reference data, every body connected to Shagym (a clerk, a head, an executor or inspector)."""
    demo.load_reference()
    from shagym.complaints.tests.factories import UserFactory, member
    from shagym.directory.models import OrganisationKind
    from shagym.directory.roles import Role

    for body in Organisation.objects.all():
        reviewer = Role.INSPECTOR if body.kind == OrganisationKind.QUALITY_AUTHORITY else Role.EXECUTOR
        for role in (Role.CLERK, Role.HEAD, reviewer):
            member(UserFactory(username=f"{body.key}-{role}"), body, role)


def _options(key: str) -> list[tuple[str, str]]:
    return [(o.kind.value, o.body.key) for o in lookups.addressee_options(Organisation.objects.get(key=key))]


def test_a_public_service_centre_goes_to_its_head_the_state_corporation_the_akim_or_the_quality_authority(reference):
    options = _options("con_alm_auezov")
    assert options[0] == (AddresseeKind.CON_HEAD, "con_alm_auezov")
    assert (AddresseeKind.STATE_CORPORATION, "gk_almaty") in options
    assert (AddresseeKind.STATE_CORPORATION, "gk") in options
    assert (AddresseeKind.CENTRAL, "mdai") in options
    assert (AddresseeKind.AKIM, "akim_auezov") in options and (AddresseeKind.AKIM, "akimat_almaty") in options
    # The authority's department for Almaty first, then the national one.
    authorities = [key for kind, key in options if kind == AddresseeKind.QUALITY_AUTHORITY]
    assert authorities == ["adgs_almaty", "adgs"]


def test_a_provider_goes_to_its_head_its_ministry_or_the_quality_authority(reference):
    options = _options("dj_astana")
    assert options[0] == (AddresseeKind.PROVIDER_HEAD, "dj_astana")
    assert (AddresseeKind.CENTRAL, "minjust") in options
    assert (AddresseeKind.AKIM, "akimat_astana") in options
    assert [key for kind, key in options if kind == AddresseeKind.QUALITY_AUTHORITY] == ["adgs"]
    assert len(options) == len(set(options))


def test_the_ministry_of_the_service_is_an_addressee(reference):
    # RULES §2: a complaint about the city's education department may go to the Ministry of Education, whose
    # field the preschool queue is, though the department answers to the akimat.
    from shagym.directory.models import Service

    department = Organisation.objects.get(key="uo_almaty")
    queue = Service.objects.get(code="DEMO-14")
    options = [(o.kind.value, o.body.key) for o in lookups.addressee_options(department, queue)]
    assert (AddresseeKind.CENTRAL, "minedu") in options
    # Without a chosen service: the ministries of the services the body provides.
    assert (AddresseeKind.CENTRAL, "minedu") in _options("uo_almaty")


def test_a_body_not_connected_to_shagym_is_not_offered(reference):
    from shagym.directory.models import Membership

    Membership.objects.filter(organisation__key="akimat_astana", role="clerk").delete()  # nobody to register
    assert (AddresseeKind.AKIM, "akimat_astana") not in _options("dj_astana")
    Membership.objects.filter(organisation__key="adgs", role="inspector").delete()  # nobody to review
    assert [key for kind, key in _options("dj_astana") if kind == AddresseeKind.QUALITY_AUTHORITY] == []


def test_each_addressee_has_its_term(reference):
    terms = {o.kind: o.working_days for o in lookups.addressee_options(Organisation.objects.get(key="uo_almaty"))}
    assert terms[AddresseeKind.QUALITY_AUTHORITY] == 15
    assert terms[AddresseeKind.PROVIDER_HEAD] == terms[AddresseeKind.AKIM] == 5


def test_bodies_are_found_by_any_word_in_any_language_and_region(reference):
    found, total = lookups.find_bodies("ХАЛЫҚҚА қызмет")
    assert total == len(found) and {b.key for b in found} >= {"con_alm_auezov", "con_aktau"}
    almaty = Territory.objects.get(kato="750000000")
    in_almaty, _ = lookups.find_bodies("обслуживания населения", almaty.pk)
    assert {b.key for b in in_almaty} == {"con_alm_auezov"}  # found below the city, in its district
    assert lookups.find_bodies("no such body")[1] == 0


def test_services_of_the_body_come_first(reference):
    provider = Organisation.objects.get(key="uo_almaty")
    found, _ = lookups.find_services("", provider)
    assert provider in found[0].providers.all()
    by_code, _ = lookups.find_services("demo-14")
    assert [s.code for s in by_code] == ["DEMO-14"]


@pytest.fixture
def demo_staff(db):
    """The demo as `scripts/start` loads it: the real reference data and the demo users, nothing else."""
    demo.load_reference()
    demo.load_users()


def test_every_addressee_the_demo_offers_reaches_someone_who_acts(demo_staff):
    """Issue 10: in the demo, every body the portal offers as addressee, for every body complained about and every
    service, has a clerk to register, a head to appoint and sign, and someone to review (an executor, or the head
    himself where the rules allow it, and the page then says so); every quality authority office has an inspector."""
    from shagym.directory.models import Membership, OrganisationKind, Service
    from shagym.directory.roles import Role

    def roles(body: Organisation) -> set[str]:
        return set(Membership.objects.filter(organisation=body, user__is_active=True).values_list("role", flat=True))

    services = [None, *Service.objects.all()]
    offered: set[Organisation] = set()
    for respondent in Organisation.objects.all():
        for service in services:
            for option in lookups.addressee_options(respondent, service):
                offered.add(option.body)
    assert offered  # the demo can be used at all
    for body in offered:
        held = roles(body)
        assert {Role.CLERK, Role.HEAD} <= held, body.key
        if body.kind == OrganisationKind.QUALITY_AUTHORITY:
            assert Role.INSPECTOR in held, body.key
        else:
            assert held & {Role.EXECUTOR, Role.HEAD}, body.key
    # The demo shows the ministry path of issue 10 (a complaint about the city's education department).
    assert Organisation.objects.get(key="minedu") in offered


def test_every_second_tier_route_of_the_demo_ends_at_an_office_with_an_inspector(demo_staff):
    from shagym.directory.models import Membership
    from shagym.directory.roles import Role

    for body in Organisation.objects.reviewing().exclude(kind="quality_authority"):
        offices = lookups.quality_authorities(body)
        assert offices, body.key
        for office in offices:
            assert Membership.objects.filter(organisation=office, role=Role.INSPECTOR, user__is_active=True).exists()
    # The Almaty department, where complaints about Almaty's bodies go first, is staffed in the demo.
    assert [o.key for o in lookups.quality_authorities(Organisation.objects.get(key="uo_almaty"))] == [
        "adgs_almaty", "adgs"]
