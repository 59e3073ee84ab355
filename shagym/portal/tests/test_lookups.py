"""Finding bodies and services, and the addressees a complaint against a body may go to (RULES §2)."""

from __future__ import annotations

import pytest

from shagym.complaints import demo
from shagym.complaints.states import AddresseeKind
from shagym.directory.models import Organisation, Territory
from shagym.portal import lookups


@pytest.fixture
def reference(db):
    demo.load_reference()


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
