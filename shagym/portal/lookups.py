"""Finding bodies and services for the complaint form, and the addressees a complaint against a body may go to
(RULES §2). Names are matched in Python with casefold: SQLite's LIKE folds only ASCII, and Kazakh and Russian
names must match whatever case the applicant types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.db.models import QuerySet

from shagym.complaints.states import TERM_DAYS, AddresseeKind, term_type_for
from shagym.directory.models import Organisation, OrganisationKind, Service, Territory

MAX_RESULTS = 30


def _stem(word: str) -> str:
    # Kazakh and Russian change the ends of words ("обслуживания", "обслуживанию"; "басқарма", "басқармасы"):
    # a long word is matched without its last two letters.
    return word[:-2] if len(word) > 5 and word.isalpha() else word


def _matches(query: str, *names: str) -> bool:
    words = [_stem(w) for w in query.casefold().replace("ё", "е").split()]
    text = " ".join(n for n in names if n).casefold().replace("ё", "е")
    return all(word in text for word in words)


def territories() -> QuerySet[Territory]:
    """Regions and cities of republican significance, for the search filter."""
    return Territory.objects.filter(parent__isnull=True).order_by("kato")


def _territory_and_below(territory_id: int) -> set[int]:
    rows = list(Territory.objects.values_list("pk", "parent_id"))
    found = {territory_id}
    changed = True
    while changed:
        changed = False
        for pk, parent in rows:
            if parent in found and pk not in found:
                found.add(pk)
                changed = True
    return found


def _territory_and_above(territory: Territory | None) -> list[int]:
    chain = []
    while territory is not None:
        chain.append(territory.pk)
        territory = territory.parent
    return chain


def find_bodies(
    query: str = "", territory_id: int | None = None, *, limit: int | None = MAX_RESULTS
) -> tuple[list[Organisation], int]:
    """Active bodies whose name (in any language) contains every word of the query, in the territory and below.
    Returns the first `limit` (all for None) and the total count."""
    bodies = Organisation.objects.filter(is_active=True).select_related("territory").order_by("name_ru")
    if territory_id:
        bodies = bodies.filter(territory_id__in=_territory_and_below(territory_id))
    found = [b for b in bodies if not query.strip() or _matches(query, b.name_kk, b.name_ru, b.name_en, b.key)]
    return found[:limit], len(found)


def find_services(
    query: str = "", provider: Organisation | None = None, *, limit: int | None = MAX_RESULTS
) -> tuple[list[Service], int]:
    """Services of the register whose name or code contains every word; those the body provides come first."""
    services = list(Service.objects.prefetch_related("providers").order_by("code"))
    if query.strip():
        services = [s for s in services if _matches(query, s.code, s.name_kk, s.name_ru, s.name_en)]
    if provider is not None:
        services.sort(key=lambda s: provider not in s.providers.all())
    return services[:limit], len(services)


# The addressee a body stands for when a complaint is addressed to its head (RULES §2).
KIND_TO_ADDRESSEE = {
    OrganisationKind.PROVIDER: AddresseeKind.PROVIDER_HEAD,
    OrganisationKind.CON: AddresseeKind.CON_HEAD,
    OrganisationKind.CENTRAL: AddresseeKind.CENTRAL,
    OrganisationKind.LOCAL_EXECUTIVE: AddresseeKind.AKIM,
    OrganisationKind.AKIM: AddresseeKind.AKIM,
    OrganisationKind.STATE_CORPORATION: AddresseeKind.STATE_CORPORATION,
    OrganisationKind.QUALITY_AUTHORITY: AddresseeKind.QUALITY_AUTHORITY,
}


@dataclass(frozen=True)
class AddresseeOption:
    kind: AddresseeKind
    body: Organisation

    @property
    def value(self) -> str:
        return f"{self.kind.value}:{self.body.pk}"

    @property
    def working_days(self) -> int:
        return TERM_DAYS[term_type_for(self.kind, public_service=True)]


def addressee_options(respondent: Organisation, service: Service | None = None) -> list[AddresseeOption]:
    """RULES §2: the head of the body itself; the bodies above it (its reviewer, its parents: the ministry, the
    akimat, the branch of the State Corporation); the ministry whose field the service is; the akim of its
    territory; the quality authority. Only bodies connected to Shagym (Organisation.objects.reviewing()): one that
    nobody here can register and review would be a dead end."""
    candidates: list[Organisation] = []

    def add(body: Organisation | None) -> None:
        if body is not None and body.is_active and body not in candidates:
            candidates.append(body)

    add(respondent)
    body: Organisation | None = respondent
    for _ in range(6):  # a short chain; guards against a loop in the reference data
        if body is None:
            break
        add(body.reviewer)
        add(body.parent)
        body = body.reviewer or body.parent
    # The ministry responsible for the service (or, without one, for the services the body provides).
    standards = [service] if service is not None else list(Service.objects.filter(providers=respondent))
    for ministry in Organisation.objects.filter(pk__in=[s.authority_id for s in standards if s.authority_id]):
        add(ministry)
    chain = _territory_and_above(respondent.territory)
    akims = Organisation.objects.filter(
        is_active=True, kind__in=[OrganisationKind.LOCAL_EXECUTIVE, OrganisationKind.AKIM], territory_id__in=chain
    )
    # Filtered to the chain, so each has a territory.
    for akim in sorted(akims, key=lambda o: chain.index(cast(int, o.territory_id))):
        add(akim)
    for authority in quality_authorities(respondent):
        add(authority)
    connected = set(Organisation.objects.reviewing().filter(pk__in=[b.pk for b in candidates]).values_list("pk", flat=True))
    return [AddresseeOption(KIND_TO_ADDRESSEE[OrganisationKind(b.kind)], b) for b in candidates if b.pk in connected]


def quality_authorities(body: Organisation) -> list[Organisation]:
    """RULES §2, §24: the quality authority's department for the body's territory (if there is one), then the
    national one; only the offices connected to Shagym (a clerk, a head and an inspector), so a second-tier complaint
    always reaches someone."""
    chain = _territory_and_above(body.territory)
    authorities = list(Organisation.objects.reviewing().filter(kind=OrganisationKind.QUALITY_AUTHORITY))
    local = sorted(
        (a for a in authorities if a.parent_id is not None and a.territory_id in chain),
        key=lambda a: chain.index(cast(int, a.territory_id)),  # in the chain, so not None
    )
    national = [a for a in authorities if a.parent_id is None]
    return local + national
