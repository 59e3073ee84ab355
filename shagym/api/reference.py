"""Reference data, read-only and public: bodies, public services, territories (KATO); and who the caller is."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from shagym.directory.models import Organisation, Service, Territory

from . import problems
from .auth import AUTH, caller
from .problems import Problem
from .schemas import (
    MAX_ID,
    BodyOut,
    BodyPage,
    MeOut,
    ServiceOut,
    ServicePage,
    TerritoryPage,
    Text20,
    Text60,
    Text200,
)

router = Router(tags=["reference data"])
ERRORS = {code: Problem for code in (404, 413, 422, 429)}


class PageQuery(Schema):
    q: Text200 | None = Field(None, description="Part of the name (any language) or of the code.")
    after: int = Field(0, ge=0, le=MAX_ID, description="From the previous page's next_cursor.")
    limit: int = Field(100, ge=1, le=500)


class BodyQuery(PageQuery):
    kind: Text20 | None = Field(None, description="central, local_executive, akim, provider, state_corporation, con, "
                                "quality_authority.")


class TerritoryQuery(PageQuery):
    parent: Text20 | None = Field(None, description="The parent unit's KATO code.")


def _names(q: str) -> Q:
    return Q(name_kk__icontains=q) | Q(name_ru__icontains=q) | Q(name_en__icontains=q)


def _page(rows: list[Any], limit: int) -> tuple[list[Any], str | None]:
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, str(rows[-1].pk) if more and rows else None


def body_out(org: Organisation) -> dict[str, Any]:
    return {
        "key": org.key, "kind": org.kind, "name": org.name, "name_kk": org.name_kk, "name_ru": org.name_ru,
        "name_en": org.name_en, "parent": org.parent.key if org.parent else None,
        "reviewer": org.reviewer.key if org.reviewer else None,
        "territory": org.territory.kato if org.territory else None, "address": org.address, "phones": org.phones,
        "bin": org.bin,
    }


def service_out(service: Service) -> dict[str, Any]:
    return {"code": service.code, "name": service.name, "name_kk": service.name_kk, "name_ru": service.name_ru,
            "name_en": service.name_en, "providers": sorted(p.key for p in service.providers.all())}


@router.get("/bodies", response={200: BodyPage, **ERRORS}, summary="Bodies (organisations)")
def bodies(request: HttpRequest, params: Query[BodyQuery]) -> Status:
    qs = Organisation.objects.filter(is_active=True, pk__gt=params.after).select_related("parent", "reviewer", "territory")
    if params.q:
        qs = qs.filter(_names(params.q) | Q(key__icontains=params.q))
    if params.kind:
        qs = qs.filter(kind=params.kind)
    rows, cursor = _page(list(qs.order_by("pk")[: params.limit + 1]), params.limit)
    return Status(200, {"items": [body_out(o) for o in rows], "next_cursor": cursor})


@router.get("/bodies/{key}", response={200: BodyOut, **ERRORS}, summary="One body")
def body(request: HttpRequest, key: Text60) -> Status:
    org = Organisation.objects.filter(key=key, is_active=True).select_related("parent", "reviewer", "territory").first()
    if org is None:
        raise problems.not_found()
    return Status(200, body_out(org))


@router.get("/services", response={200: ServicePage, **ERRORS}, summary="The register of public services")
def services_list(request: HttpRequest, params: Query[PageQuery]) -> Status:
    qs = Service.objects.filter(pk__gt=params.after).prefetch_related("providers")
    if params.q:
        qs = qs.filter(_names(params.q) | Q(code__icontains=params.q))
    rows, cursor = _page(list(qs.order_by("pk")[: params.limit + 1]), params.limit)
    return Status(200, {"items": [service_out(s) for s in rows], "next_cursor": cursor})


@router.get("/services/{code}", response={200: ServiceOut, **ERRORS}, summary="One public service")
def service(request: HttpRequest, code: Text60) -> Status:
    found = Service.objects.filter(code=code).prefetch_related("providers").first()
    if found is None:
        raise problems.not_found()
    return Status(200, service_out(found))


@router.get("/territories", response={200: TerritoryPage, **ERRORS}, summary="Territories (KATO)")
def territories(request: HttpRequest, params: Query[TerritoryQuery]) -> Status:
    qs = Territory.objects.filter(pk__gt=params.after).select_related("parent")
    if params.q:
        qs = qs.filter(_names(params.q) | Q(kato__startswith=params.q))
    if params.parent:
        qs = qs.filter(parent__kato=params.parent)
    rows, cursor = _page(list(qs.order_by("pk")[: params.limit + 1]), params.limit)
    items = [{"kato": t.kato, "level": t.level, "name": t.name, "name_kk": t.name_kk, "name_ru": t.name_ru,
              "parent": t.parent.kato if t.parent else None} for t in rows]
    return Status(200, {"items": items, "next_cursor": cursor})


me_router = Router(tags=["keys"], auth=AUTH)


@me_router.get("/me", response={200: MeOut, **{code: Problem for code in (401, 413, 429)}},
               summary="Who the caller is: the key's system user, organisation, scopes and roles")
def me(request: HttpRequest) -> Status:
    c = caller(request)
    key = c.key
    return Status(200, {
        "username": c.user.get_username(),
        "organisation": {"key": key.organisation.key, "name": key.organisation.name} if key else None,
        "scopes": sorted(c.scopes),
        "roles": list(key.roles) if key else ["applicant"],
        "expires_at": key.expires_at if key else None,
        "session": key is None,
    })
