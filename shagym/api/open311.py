"""Open311 GeoReport v2 under /open311/v2/, for civic tools: the public service register as `services`, complaints as
service requests. JSON or XML by the extension. The public GETs carry no personal data (no names, addresses, texts:
the status, the service, the body, the dates). POST files a complaint with an organisation's API key (`api_key`,
as GeoReport has it, or the API's Authorization header), through the same service as every other channel."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET  # nosec B405 # only builds XML to send (Element, tostring); never parses
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from shagym.complaints import public
from shagym.complaints import services as lifecycle
from shagym.complaints.identifiers import is_valid_iin
from shagym.complaints.models import Complaint
from shagym.complaints.states import (
    OPEN_STATES,
    AddresseeKind,
    AppealedAct,
    ApplicantKind,
    Channel,
    Language,
    NotAllowed,
    Refused,
)
from shagym.directory.models import Organisation, Service

from . import idempotency, problems
from .auth import Caller, _from_key
from .models import Scope

MAX_RESULTS = 1000
DEFAULT_DAYS = 90

# ---------------------------------------------------------------------------------------------------------------
# Rendering


def _xml(root: str, item: str, rows: list[dict[str, Any]]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        top.append(_element(item, row))
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")


def _element(name: str, value: Any) -> ET.Element:
    element = ET.Element(name)
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, list):
                holder = ET.SubElement(element, key)
                singular = {"attributes": "attribute", "values": "value"}.get(key, "item")
                for entry in child:
                    holder.append(_element(singular, entry))
            else:
                element.append(_element(key, child))
    elif value is not None:
        element.text = str(value).lower() if isinstance(value, bool) else str(value)
    return element


def render(fmt: str, root: str, item: str, rows: list[dict[str, Any]], *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(_xml(root, item, rows), status=status, content_type="text/xml; charset=utf-8")
    return HttpResponse(json.dumps(rows, ensure_ascii=False, default=str), status=status,
                        content_type="application/json; charset=utf-8")


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", "error", [{"code": status, "description": description}], status=status)


View = Callable[..., HttpResponse]


def guarded(view: View) -> View:
    """Open311's own error format for every refusal; never a 500 page."""

    def wrapper(request: HttpRequest, *args: Any, fmt: str = "json", **kwargs: Any) -> HttpResponse:
        if fmt not in {"json", "xml"}:
            return error("json", 404, gettext("Ask for .json or .xml."))
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except problems.ApiProblem as exc:
            response = error(fmt, exc.status, exc.detail)
            for name, value in exc.headers.items():
                response[name] = value
            return response
        except Refused as exc:
            return error(fmt, 409 if exc.code == "state" else 400,
                         f"{exc.field}: {exc.message}" if exc.field else exc.message)
        except NotAllowed:
            return error(fmt, 403, gettext("Your role may not take this action on this complaint."))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# ---------------------------------------------------------------------------------------------------------------
# Services


def service_row(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": gettext("Complaint about the public service “%(name)s”.") % {"name": service.name},
        "metadata": True,
        "type": "realtime",
        "keywords": "complaint, public service",
        "group": gettext("Complaints about public services"),
    }


def _choices(choices: Any) -> list[dict[str, str]]:
    return [{"key": value, "name": str(label)} for value, label in choices]


def attributes() -> list[dict[str, Any]]:
    """What a complaint needs beyond GeoReport's own fields (RULES §3), as the service definition's attributes."""
    rows: list[tuple[str, str, bool, str, Any]] = [
        ("reviewing_body", "string", True, gettext("The body addressed: its short code (GET /api/v1/bodies)."), None),
        ("respondent", "string", False, gettext("The body whose act is appealed (default: the addressee)."), None),
        ("addressee_kind", "singlevaluelist", True, gettext("To whom the complaint is addressed."),
         AddresseeKind.choices),
        ("appealed_act", "singlevaluelist", True, gettext("What is appealed."), AppealedAct.choices),
        ("applicant_kind", "singlevaluelist", True, gettext("Who complains."), ApplicantKind.choices),
        ("patronymic", "string", False, gettext("The applicant's patronymic."), None),
        ("iin", "string", False, gettext("Individual: the IIN, 12 digits."), None),
        ("legal_name", "string", False, gettext("Legal entity: its name."), None),
        ("bin", "string", False, gettext("Legal entity: the BIN, 12 digits."), None),
        ("outgoing_number", "string", False, gettext("Legal entity: the letter's outgoing number."), None),
        ("outgoing_date", "datetime", False, gettext("Legal entity: the letter's date."), None),
        ("learned_on", "datetime", True, gettext("The day the applicant learned of the act."), None),
        ("language", "singlevaluelist", True, gettext("The language of the complaint."), Language.choices),
        ("reasons", "text", True, gettext("Why the applicant disagrees."), None),
        ("demands", "text", True, gettext("What the applicant asks the body to do."), None),
        ("official_position", "string", False, gettext("The appealed official's position."), None),
        ("official_surname", "string", False, gettext("The appealed official's surname."), None),
        ("official_initials", "string", False, gettext("The appealed official's initials."), None),
        ("channel", "singlevaluelist", False, gettext("How it was received (default office)."),
         [(c, label) for c, label in Channel.choices if c != Channel.PORTAL]),
    ]
    return [
        {"variable": True, "code": code, "datatype": datatype, "required": required,
         "datatype_description": "", "order": index, "description": description,
         **({"values": _choices(values)} if values else {})}
        for index, (code, datatype, required, description, values) in enumerate(rows, start=1)
    ]


@guarded
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [service_row(s) for s in Service.objects.order_by("code")]
    return render(fmt, "services", "service", rows)


@guarded
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    service = Service.objects.filter(code=code).first()
    if service is None:
        return error(fmt, 404, gettext("There is no such service."))
    definition = {"service_code": service.code, "attributes": attributes()}
    if fmt == "xml":
        return HttpResponse(b'<?xml version="1.0" encoding="utf-8"?>'
                            + ET.tostring(_element("service_definition", definition), encoding="utf-8"),
                            content_type="text/xml; charset=utf-8")
    return HttpResponse(json.dumps(definition, ensure_ascii=False), content_type="application/json; charset=utf-8")


# ---------------------------------------------------------------------------------------------------------------
# Requests


def request_row(c: Complaint) -> dict[str, Any]:
    due = c.due_date
    return {
        "service_request_id": str(c.pk),
        "status": "open" if c.status in OPEN_STATES else "closed",
        "status_notes": public.status_label(c),
        "service_name": c.service.name if c.service else None,
        "service_code": c.service.code if c.service else None,
        "description": None,  # the complaint's text is personal: never in a public answer
        "agency_responsible": c.holder.name,
        "service_notice": c.number,
        "requested_datetime": _iso(c.received_at),
        "updated_datetime": _iso(c.updated_at),
        "expected_datetime": _iso(timezone.make_aware(dt.datetime.combine(due, dt.time(23, 59, 59))))
        if due else None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _moment(value: str, name: str) -> dt.datetime:
    try:
        moment = parse_datetime(value) or (dt.datetime.fromisoformat(value) if len(value) == 10 else None)
    except ValueError:
        moment = None
    if moment is None or not 1900 <= moment.year <= 2999:
        raise problems.ApiProblem(400, gettext("%(name)s must be a date and time in ISO 8601.") % {"name": name})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _public_requests(request: HttpRequest) -> list[Complaint]:
    params = request.GET
    qs = Complaint.objects.select_related("service", "holder").order_by("-received_at", "-pk")
    ids = [part.strip() for part in params.get("service_request_id", "").split(",") if part.strip()]
    if ids:
        numbers = [int(i) for i in ids if (i.isascii() and i.isdigit()) and len(i) < 18]
        return list(qs.filter(pk__in=numbers)[:MAX_RESULTS])
    if params.get("service_code"):
        qs = qs.filter(service__code__in=[c.strip() for c in params["service_code"].split(",")][:50])
    end = _moment(params["end_date"], "end_date") if params.get("end_date") else timezone.now()
    start = _moment(params["start_date"], "start_date") if params.get("start_date") else None
    if start is None:
        start = end - dt.timedelta(days=DEFAULT_DAYS)
    qs = qs.filter(received_at__gte=start, received_at__lte=end)
    statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise problems.ApiProblem(400, gettext("status is open or closed."))
    if statuses == {"open"}:
        qs = qs.filter(status__in=sorted(OPEN_STATES))
    elif statuses == {"closed"}:
        qs = qs.exclude(status__in=sorted(OPEN_STATES))
    return list(qs[:MAX_RESULTS])


@guarded
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    rows = [request_row(c) for c in _public_requests(request)]
    return render(fmt, "service_requests", "request", rows)


@guarded
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    complaint = None
    if request_id.isdigit() and len(request_id) < 18:
        complaint = Complaint.objects.select_related("service", "holder").filter(pk=int(request_id)).first()
    if complaint is None:
        return error(fmt, 404, gettext("There is no such service request."))
    return render(fmt, "service_requests", "request", [request_row(complaint)])


def _caller(request: HttpRequest) -> Caller:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    token = token or request.POST.get("api_key", "") or request.headers.get("X-API-Key", "")
    caller = _from_key(request, token) if token else None
    if caller is None:
        raise problems.ApiProblem(403, gettext("Send an organisation's API key as api_key."))
    caller.require(Scope.SUBMIT)
    return caller


def _text(value: str | None, name: str, limit: int) -> str:
    value = (value or "").strip()
    if "\x00" in value or len(value) > limit:
        raise Refused(gettext("Too long: at most %(max)s.") % {"max": limit}, field=name)
    return value


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    caller = _caller(request)
    form = request.POST
    attribute: dict[str, str] = {
        key[10:-1]: str(value) for key, value in form.items() if key.startswith("attribute[") and key.endswith("]")
    }
    service = Service.objects.filter(code=_text(form.get("service_code"), "service_code", 30)).first()
    if service is None:
        return error(fmt, 404, gettext("There is no such service."))

    def org(name: str, required: bool) -> Organisation | None:
        key = _text(attribute.get(name), f"attribute[{name}]", 60)
        if not key and not required:
            return None
        found = Organisation.objects.filter(key=key, is_active=True).first()
        if found is None:
            raise Refused(gettext("There is no body with the code “%(key)s” (see GET /api/v1/bodies).") % {"key": key},
                          field=f"attribute[{name}]")
        return found

    def day(name: str) -> str:
        value = _text(attribute.get(name), f"attribute[{name}]", 40)
        return value[:10]

    answers: dict[str, str] = {
        "applicant_kind": attribute.get("applicant_kind", ""),
        "language": attribute.get("language", ""),
        "addressee_kind": attribute.get("addressee_kind", ""),
        "appealed_act": attribute.get("appealed_act", ""),
        "learned_on": day("learned_on"),
        "outgoing_date": day("outgoing_date"),
        "circumstances": _text(form.get("description"), "description", 20000),
        "reasons": _text(attribute.get("reasons"), "attribute[reasons]", 20000),
        "demands": _text(attribute.get("demands"), "attribute[demands]", 20000),
        "postal_address": _text(form.get("address_string"), "address_string", 400),
        "surname": _text(form.get("last_name"), "last_name", 150),
        "first_name": _text(form.get("first_name"), "first_name", 150),
        "patronymic": _text(attribute.get("patronymic"), "attribute[patronymic]", 150),
        "iin": _text(attribute.get("iin"), "attribute[iin]", 12),
        "legal_name": _text(attribute.get("legal_name"), "attribute[legal_name]", 400),
        "bin": _text(attribute.get("bin"), "attribute[bin]", 12),
        "outgoing_number": _text(attribute.get("outgoing_number"), "attribute[outgoing_number]", 60),
        "phones": _text(form.get("phone"), "phone", 100),
        "email": _text(form.get("email"), "email", 254),
    }
    for name in ("learned_on", "outgoing_date"):
        if answers[name]:
            try:
                dt.date.fromisoformat(answers[name])
            except ValueError as exc:
                raise Refused(gettext("Write a date as YYYY-MM-DD."), field=f"attribute[{name}]") from exc
    channel = attribute.get("channel") or Channel.OFFICE
    if channel not in {Channel.OFFICE, Channel.POST, Channel.CON}:
        raise Refused(gettext("A system files complaints received by its body: office, post or con."),
                      field="attribute[channel]")
    officials = []
    if attribute.get("official_surname"):
        officials.append(lifecycle.OfficialInput(
            _text(attribute.get("official_position"), "attribute[official_position]", 200),
            _text(attribute.get("official_surname"), "attribute[official_surname]", 150),
            _text(attribute.get("official_initials"), "attribute[official_initials]", 20),
        ))
    if answers["applicant_kind"] == ApplicantKind.INDIVIDUAL and answers["iin"] and not is_valid_iin(answers["iin"]):
        raise Refused(gettext("The IIN must be 12 digits with a valid check digit: check it against the ID card."),
                      field="attribute[iin]")
    content = json.dumps(sorted(form.items()), ensure_ascii=False).encode()

    def work() -> idempotency.Result:
        reviewing = org("reviewing_body", True)
        assert reviewing is not None
        data = lifecycle.ComplaintInput.from_answers(
            answers, channel=channel, reviewing_body=reviewing, respondent=org("respondent", False) or reviewing,
            officials=officials, service=service,
        )
        assert caller.key is not None
        event = lifecycle.submit_complaint(actor=caller.user, data=data, holder=caller.key.organisation)
        complaint = event.complaint
        return idempotency.Result(201, [{
            "service_request_id": str(complaint.pk),
            "service_notice": gettext("Received; registered on the day of receipt (the next working day if it is not "
                                      "one)."),
            "account_id": None,
        }])

    result = idempotency.run(request, caller, work, content=content)
    return render(fmt, "service_requests", "request", result.body, status=result.status)


@guarded
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    row = {
        "changeset": "2026-11-30T00:00:00+05:00",
        "contact": gettext("Shagym: complaints about public services"),
        "key_service": gettext("API keys are issued by the administrator to an organisation."),
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base, "changeset":
                       "2026-11-30T00:00:00+05:00", "type": "production", "formats": ["application/json", "text/xml"]}],
    }
    if fmt == "xml":
        return HttpResponse(b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(_element("discovery", row)),
                            content_type="text/xml; charset=utf-8")
    return HttpResponse(json.dumps(row, ensure_ascii=False), content_type="application/json; charset=utf-8")


def _formats(view: View, methods: tuple[str, ...] = ("GET",)) -> View:
    return csrf_exempt(require_http_methods(list(methods))(view))


urlpatterns = [
    path("discovery.<str:fmt>", _formats(discovery), name="open311-discovery"),
    path("services.<str:fmt>", _formats(services), name="open311-services"),
    path("services/<str:code>.<str:fmt>", _formats(service_definition), name="open311-service"),
    path("requests.<str:fmt>", _formats(requests_view, ("GET", "POST")), name="open311-requests"),
    path("requests/<str:request_id>.<str:fmt>", _formats(request_detail), name="open311-request"),
]
