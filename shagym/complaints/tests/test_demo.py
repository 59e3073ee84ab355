import pytest

from shagym.complaints import demo
from shagym.complaints.models import Complaint
from shagym.complaints.states import State
from shagym.directory.models import Organisation, Service, Territory
from shagym.directory.roles import Role


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_data_and_every_state():
    demo.load(log=lambda line: None)
    counts = (Territory.objects.count(), Organisation.objects.count(), Service.objects.count(), Complaint.objects.count())
    demo.load(log=lambda line: None)
    assert (Territory.objects.count(), Organisation.objects.count(), Service.objects.count(), Complaint.objects.count()) == counts
    assert set(Complaint.objects.values_list("status", flat=True)) >= set(State) - {State.CLOSED} | {State.CLOSED}
    # The 17 regions and the 3 cities of republican significance, with kk and ru names.
    top = Territory.objects.filter(parent=None)
    assert top.filter(level="region").count() == 17
    assert set(top.filter(level="city").values_list("kato", flat=True)) == {"710000000", "750000000", "790000000"}
    assert not top.filter(name_kk="").exists() and not top.filter(name_ru="").exists()
    assert Service.objects.count() >= 20
    roles = set(Organisation.objects.values_list("memberships__role", flat=True))
    assert {Role.CLERK, Role.HEAD, Role.EXECUTOR, Role.INSPECTOR, Role.ADMINISTRATOR} <= roles
    assert Complaint.objects.filter(overdue_since__isnull=False).exists()
    assert Complaint.objects.filter(parent__isnull=False).exists()


@pytest.mark.django_db
def test_the_demo_makes_its_ca_and_a_seal_for_every_body_once(settings):
    demo.load(log=lambda line: None)
    seals = settings.PKI_DEMO_DIR / "seals"
    assert {p.stem for p in seals.glob("*.p12")} == set(Organisation.objects.values_list("key", flat=True)) | {"operator"}
    assert not Organisation.objects.filter(bin="").exists()  # the head's signature is matched by the body's BIN
    assert (settings.PKI_DEMO_DIR / "trust" / "root.pem").exists()
    assert demo.load_pki() == 0
