"""What the API answers: a complaint, a summary, an action's event, as JSON-ready dicts (the schemas check them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from shagym.complaints import access, public, states
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.directory.models import Organisation, Service
from shagym.webhooks import feed

from .auth import Caller

BASE = "/api/v1"


def url(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(f"{BASE}{path}")


def body_ref(org: Organisation | None) -> dict[str, str] | None:
    return {"key": org.key, "name": org.name} if org is not None else None


def service_ref(service: Service | None) -> dict[str, str] | None:
    return {"code": service.code, "name": service.name} if service is not None else None


def today() -> dt.date:
    return timezone.localdate()


def complaint(request: HttpRequest, caller: Caller, c: Complaint, *, new: bool = False) -> dict[str, Any]:
    """`new`: the complaint was filed by this request (no recommendation yet, nothing to read back)."""
    staff = not caller.as_applicant
    roles = access.roles_for(caller.user, c)
    recommendations = [] if new else list(c.recommendations.select_related("body").order_by("pk"))
    return {
        "id": c.pk,
        "number": c.number,
        "status": c.status,
        "status_label": public.status_label(c),
        "channel": c.channel,
        "language": c.language,
        "addressee_kind": c.addressee_kind,
        "appealed_act": c.appealed_act,
        "reviewing_body": body_ref(c.reviewing_body),
        "holder": body_ref(c.holder),
        "respondent": body_ref(c.respondent),
        "forwarded_from": body_ref(c.forwarded_from),
        "service": service_ref(c.service),
        "public_service": c.term_type != states.TermType.ADMINISTRATIVE,
        "applicant": {
            "kind": c.applicant_kind, "surname": c.surname, "first_name": c.first_name, "patronymic": c.patronymic,
            "iin": c.iin, "legal_name": c.legal_name, "bin": c.bin, "outgoing_number": c.outgoing_number,
            "outgoing_date": c.outgoing_date, "postal_address": c.postal_address, "phones": c.phones,
            "email": c.email,
        },
        "officials": [{"position": o.position, "surname": o.surname, "initials": o.initials}
                      for o in c.officials.all()],
        "circumstances": c.circumstances,
        "reasons": c.reasons,
        "demands": c.demands,
        "learned_on": c.learned_on,
        "restoration_requested": c.restoration_requested,
        "received_at": c.received_at,
        "registered_on": c.registered_on,
        "term_type": c.term_type,
        "term_days": c.term_days,
        "due_date": c.due_date,
        "overdue": c.is_overdue(today()),
        "overdue_since": c.overdue_since,
        "extension_days": c.extension_days,
        "executor": c.executor_id if staff else None,
        "outcome": c.outcome if staff or c.status in states.ANSWERED_STATES else "",
        "decided_at": c.decided_at,
        "delivery_method": c.delivery_method,
        "delivered_on": c.delivered_on,
        "closed_at": c.closed_at,
        "parent": c.parent_id,
        "attachments": [{"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size,
                         "sha256": a.sha256} for a in c.attachments.all()],
        "recommendations": [
            {"id": r.pk, "body": body_ref(r.body), "text": r.text, "due_date": r.due_date, "status": r.status,
             "report": r.report if staff else ""}
            for r in recommendations
        ],
        "actions": [str(a) for a in states.allowed_actions(c.status, roles)],
        "url": url(request, f"/complaints/{c.pk}"),
    }


def summary(request: HttpRequest, c: Complaint, *, holder_key: str, body_key: str, service_code: str | None
            ) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "status": c.status,
        "status_label": public.status_label(c),
        "channel": c.channel,
        "reviewing_body": body_key,
        "holder": holder_key,
        "service": service_code,
        "received_at": c.received_at,
        "registered_on": c.registered_on,
        "due_date": c.due_date,
        "overdue": c.is_overdue(today()),
        "url": url(request, f"/complaints/{c.pk}"),
    }


def event(e: ComplaintEvent, *, for_applicant: bool) -> dict[str, Any]:
    return feed.document(None, e, for_applicant=for_applicant)
