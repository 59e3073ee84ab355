"""Complaints: submit, read one, list with filters and a cursor, upload a file to bind to a complaint, and the
complaint's documents as PDF. Every read goes through the access door (shagym.complaints.access)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import File, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile as NinjaUploadedFile
from pydantic import Field

from shagym.complaints import access, attachments, services
from shagym.complaints.models import Complaint
from shagym.complaints.states import OPEN_STATES, Channel, Refused, State
from shagym.db import only_row
from shagym.directory.models import Organisation, Service
from shagym.documents import selectors
from shagym.documents import services as document_services
from shagym.documents.models import Letter

from . import idempotency, present, problems
from .auth import AUTH, Caller, caller
from .models import Scope, Upload
from .problems import Problem
from .schemas import (
    MAX_ID,
    ComplaintIn,
    ComplaintOut,
    ComplaintPage,
    DocumentOut,
    Text40,
    Text60,
    Text200,
)

router = Router(tags=["complaints"], auth=AUTH)

GET_ERRORS = {code: Problem for code in (401, 403, 404, 413, 422, 429)}
POST_ERRORS = {code: Problem for code in (400, 401, 403, 404, 409, 413, 422, 429)}
IDEMPOTENCY_HEADER = Header(None, alias="Idempotency-Key", description="Retry safely: the same key and body give the "
                            "first answer again; the same key with another body is a 422.")


def find_complaint(c: Caller, pk: int, *, queryset: QuerySet[Complaint] | None = None) -> Complaint:
    """The complaint, if the caller may read it: its applicant (a session) or staff of its holder (a key)."""
    if not 1 <= pk <= MAX_ID:
        raise problems.not_found()
    return access.get_complaint(c.user, pk, as_applicant=c.as_applicant, queryset=queryset)


def _detail_queryset() -> QuerySet[Complaint]:
    return Complaint.objects.select_related("holder", "reviewing_body", "respondent", "service", "forwarded_from")


def _organisation(key: str | None, field: str) -> Organisation | None:
    if not key:
        return None
    org = only_row(Organisation.objects.filter(key=key, is_active=True))
    if org is None:
        raise Refused(gettext("There is no body with the code “%(key)s” (see GET /api/v1/bodies).") % {"key": key},
                      field=field)
    return org


def bind_uploads(c: Caller, tokens: list[str]) -> list[UploadedFile]:
    """The caller's own uploads, not bound yet, as files for the lifecycle's one upload door; marked bound (in the
    caller's transaction)."""
    if not tokens:
        return []
    found = {u.token: u for u in Upload.objects.select_for_update().filter(owner=c.owner, token__in=tokens)}
    files: list[UploadedFile] = []
    for token in tokens:
        upload = found.get(token)
        if upload is None or upload.bound_at is not None:
            raise Refused(gettext("The upload “%(id)s” does not exist or is already attached.") % {"id": token},
                          field="attachments")
        handle = upload.file.open("rb")
        files.append(UploadedFile(file=handle, name=upload.name, content_type=upload.content_type, size=upload.size))
    Upload.objects.filter(pk__in=[found[t].pk for t in tokens]).update(bound_at=timezone.now())
    return files


class SubmitIn(ComplaintIn):
    attachments: list[Text40] = Field(default_factory=list, max_length=20,
                                      description="Ids of files uploaded with POST /uploads, to attach.")


@router.post(
    "/complaints",
    response={201: ComplaintOut, **POST_ERRORS},
    summary="Submit a complaint",
    description="RULES §3: every part of the complaint. A key files it as received by its organisation (channel "
    "office, post or con); the applicant's session files it on the portal. Answers 201 with the complaint and "
    "its Location.",
)
def submit(request: HttpRequest, response: HttpResponse, payload: SubmitIn,
           idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    c = caller(request)
    c.require(Scope.SUBMIT)

    def work() -> idempotency.Result:
        answers = payload.model_dump()
        channel: str
        holder: Organisation | None
        if c.as_applicant:
            channel, holder = Channel.PORTAL, None
            if payload.channel not in (None, Channel.PORTAL):
                raise Refused(gettext("Your own complaint is filed on the portal: leave channel out."), field="channel")
        else:
            channel = payload.channel or Channel.OFFICE
            if channel == Channel.PORTAL:
                raise Refused(gettext("A system files complaints received by its body: office, post or con."),
                              field="channel")
            assert c.key is not None
            holder = c.key.organisation
        if payload.email:
            try:
                validate_email(payload.email)
            except DjangoValidationError as exc:
                raise Refused(gettext("Enter a valid e-mail address."), field="email") from exc
        reviewing = _organisation(payload.reviewing_body, "reviewing_body")
        assert reviewing is not None
        respondent = _organisation(payload.respondent, "respondent") or reviewing
        service = None
        if payload.service:
            service = only_row(Service.objects.filter(code=payload.service))
            if service is None:
                raise Refused(gettext("There is no public service with the code “%(code)s”.")
                              % {"code": payload.service}, field="service")
        officials = [services.OfficialInput(o.position, o.surname, o.initials) for o in payload.officials]
        data = services.ComplaintInput.from_answers(answers, channel=channel, reviewing_body=reviewing,
                                                    respondent=respondent, officials=officials, service=service)
        files = bind_uploads(c, payload.attachments)
        # The lifecycle de-duplicates filings by its own key, scoped by the actor: a hash of ours fits its column.
        lifecycle_key = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40] if idempotency_key else None
        event = services.submit_complaint(actor=c.user, data=data, holder=holder, idempotency_key=lifecycle_key,
                                          attachments=files)
        # The caller filed it: it holds it (a key's body) or owns it (the applicant); no second read of the scope.
        complaint = event.complaint
        return idempotency.Result(201, present.complaint(request, c, complaint, new=True),
                                  present.url(request, f"/complaints/{complaint.pk}"))

    result = idempotency.run(request, c, work)
    response["Location"] = result.location
    return Status(result.status, result.body)


@router.get("/complaints/{complaint_id}", response={200: ComplaintOut, **GET_ERRORS}, summary="Get one complaint")
def get_one(request: HttpRequest, complaint_id: int) -> Status:
    c = caller(request)
    c.require(Scope.READ)
    return Status(200, present.complaint(request, c, find_complaint(c, complaint_id, queryset=_detail_queryset())))


StateIn = Text40


class ListFilters(Schema):
    status: StateIn | None = Field(None, description="A status (e.g. registered, under_review).")
    body: Text60 | None = Field(None, description="The reviewing body's short code.")
    holder: Text60 | None = Field(None, description="The holding body's short code.")
    service: Text60 | None = Field(None, description="The public service's register code.")
    channel: Text40 | None = Field(None, description="portal, office, post or con.")
    received_from: dt.date | None = Field(None, description="Received on or after this day (Almaty time).")
    received_to: dt.date | None = Field(None, description="Received on or before this day.")
    overdue: bool | None = Field(None, description="Only open complaints past their due date (true), or not.")
    cursor: Text200 | None = Field(None, description="From the previous page's next_cursor.")
    limit: int = Field(50, ge=1, le=200)


def _decode_cursor(cursor: str) -> int:
    value, pk = "", 0
    try:
        value = base64.urlsafe_b64decode(cursor.encode() + b"==").decode()
        pk = int(value.removeprefix("c"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    if not value.startswith("c") or not 1 <= pk <= MAX_ID:
        raise problems.ApiProblem(422, gettext("This cursor is not valid: start again without it."),
                                  errors=[("cursor", gettext("Not a cursor given by this list."))])
    return pk


def _encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"c{pk}".encode()).decode().rstrip("=")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@router.get("/complaints", response={200: ComplaintPage, **GET_ERRORS}, summary="List complaints")
def list_complaints(request: HttpRequest, filters: Query[ListFilters]) -> Status:
    c = caller(request)
    c.require(Scope.READ)
    base = access.complaints_for_applicant(c.user) if c.as_applicant else access.complaints_for_staff(c.user)
    qs = base
    if filters.status:
        if filters.status not in State.values:
            raise problems.ApiProblem(422, gettext("Unknown status."), errors=[("status", gettext("Unknown status."))])
        qs = qs.filter(status=filters.status)
    if filters.channel:
        if filters.channel not in Channel.values:
            raise problems.ApiProblem(422, gettext("Unknown channel."), errors=[("channel", gettext("Unknown channel."))])
        qs = qs.filter(channel=filters.channel)
    if filters.body:
        qs = qs.filter(reviewing_body__key=filters.body)
    if filters.holder:
        qs = qs.filter(holder__key=filters.holder)
    if filters.service:
        qs = qs.filter(service__code=filters.service)
    try:
        if filters.received_from:
            qs = qs.filter(received_at__gte=_day_start(filters.received_from))
        if filters.received_to:
            qs = qs.filter(received_at__lt=_day_start(filters.received_to + dt.timedelta(days=1)))
    except (OverflowError, ValueError):
        qs = qs.none()
    if filters.overdue is not None:
        overdue = Q(status__in=sorted(OPEN_STATES), due_date__lt=present.today())
        qs = qs.filter(overdue) if filters.overdue else qs.exclude(overdue)
    if filters.cursor:
        qs = qs.filter(pk__lt=_decode_cursor(filters.cursor))
    rows = list(
        qs.order_by("-pk").values_list("pk", "holder__key", "reviewing_body__key", "service__code")[: filters.limit + 1]
    )
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    complaints = Complaint.objects.in_bulk([row[0] for row in rows])
    items = [present.summary(request, complaints[pk], holder_key=holder, body_key=body, service_code=service)
             for pk, holder, body, service in rows]
    return Status(200, {"items": items, "next_cursor": _encode_cursor(rows[-1][0]) if more and rows else None})


# ---------------------------------------------------------------------------------------------------------------
# Uploads


class UploadOut(Schema):
    id: str = Field(description="Give it in `attachments` when filing the complaint or supplying content.")
    name: str
    content_type: str
    size: int
    sha256: str


@router.post(
    "/uploads",
    response={201: UploadOut, **POST_ERRORS},
    summary="Upload a file to attach",
    description="One PDF, JPEG or PNG (recognised by its content) per request, within the attachment limits; bind "
    "it with `attachments` when submitting a complaint or supplying missing content.",
)
def upload(request: HttpRequest, file: File[NinjaUploadedFile],
           idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    c = caller(request)
    if Scope.SUBMIT not in c.scopes and Scope.ACT not in c.scopes:
        c.require(Scope.SUBMIT)
    content_type, extension = attachments.check(file)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    content = f"{file.name}\n{digest.hexdigest()}".encode()

    def work() -> idempotency.Result:
        token = f"upl_{secrets.token_urlsafe(18)}"
        record = Upload(owner=c.owner, token=token, name=attachments.safe_name(file.name or "", extension),
                        content_type=content_type, size=file.size or 0, sha256=digest.hexdigest())
        record.file.save(attachments.random_name(extension), file, save=False)
        record.save()
        return idempotency.Result(201, {"id": token, "name": record.name, "content_type": content_type,
                                        "size": record.size, "sha256": record.sha256})

    result = idempotency.run(request, c, work, content=content)
    return Status(result.status, result.body)


# ---------------------------------------------------------------------------------------------------------------
# Documents


def _letters(c: Caller, complaint: Complaint) -> list[Letter]:
    if c.as_applicant:
        return list(
            Letter.objects.filter(complaint=complaint, kind__in=list(selectors.APPLICANT_LETTERS))
            .defer("pdf").order_by("pk")
        )
    return list(selectors.letters_for_staff(c.user).filter(complaint=complaint).defer("pdf").order_by("pk"))


@router.get("/complaints/{complaint_id}/documents", response={200: list[DocumentOut], **GET_ERRORS},
            summary="The complaint's documents")
def documents(request: HttpRequest, complaint_id: int) -> Status:
    c = caller(request)
    c.require(Scope.READ)
    complaint = find_complaint(c, complaint_id)
    base = f"/complaints/{complaint.pk}/documents"
    items: list[dict[str, Any]] = [
        {"id": "receipt", "kind": "receipt", "created_at": complaint.received_at,
         "url": present.url(request, f"{base}/receipt")}
    ]
    items += [{"id": str(letter.pk), "kind": letter.kind, "created_at": letter.created_at,
               "url": present.url(request, f"{base}/{letter.pk}")} for letter in _letters(c, complaint)]
    return Status(200, items)


PDF_RESPONSE = {"x-shagym-pdf": True}


@router.get("/complaints/{complaint_id}/documents/{document_id}", response={200: None, **GET_ERRORS},
            summary="One document as PDF", openapi_extra=PDF_RESPONSE,
            description="`receipt`, or a letter's id from the list: the talon, a covering letter, a notice, the "
            "reasoned answer, exactly as issued.")
def document(request: HttpRequest, complaint_id: int, document_id: Text40) -> HttpResponse:
    c = caller(request)
    c.require(Scope.READ)
    complaint = find_complaint(c, complaint_id, queryset=_detail_queryset())
    if document_id == "receipt":
        pdf, name = document_services.issue_receipt(complaint), f"{complaint.number or complaint.pk}-receipt.pdf"
    else:
        if not (document_id.isascii() and document_id.isdigit()) or not 1 <= int(document_id) <= MAX_ID:
            raise problems.not_found()
        letter_id = int(document_id)
        letter = next((item for item in _letters(c, complaint) if item.pk == letter_id), None)
        if letter is None:
            raise problems.not_found()
        letter = Letter.objects.select_related("complaint").get(pk=letter.pk)
        pdf, name = bytes(letter.pdf), letter.filename
    result = HttpResponse(pdf, content_type="application/pdf")
    result["Content-Disposition"] = f'inline; filename="{name}"'
    return result
