from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from shagym.complaints.identifiers import make_bin, make_iin
from shagym.complaints.tests.factories import OrganisationFactory, ServiceFactory, TerritoryFactory
from shagym.directory.models import OrganisationKind

IIN = make_iin(dt.date(1990, 5, 17))
BIN = make_bin(2015, 4)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def verified(applicant):
    """The applicant persona with a verified e-mail, as after signing up."""
    EmailAddress.objects.update_or_create(user=applicant, email=applicant.email,
                                          defaults={"verified": True, "primary": True})
    return applicant


@pytest.fixture
def service(provider):
    s = ServiceFactory(code="S-100", name_kk="Баланы балабақшаға кезекке қою", name_ru="Постановка в очередь в детский сад")
    s.providers.add(provider)
    return s


@pytest.fixture
def akimat(db):
    return OrganisationFactory(key="akimat", kind=OrganisationKind.LOCAL_EXECUTIVE, territory=TerritoryFactory())


@pytest.fixture
def applicant_client(client, verified):
    client.force_login(verified)
    return client
