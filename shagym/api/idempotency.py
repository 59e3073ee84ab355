"""Idempotency-Key on every POST: the first successful answer is kept per caller and key; a retry with the same key
and the same body gets that answer again (and nothing is done twice); the same key with another body is a 422.

The work and the record are written in one transaction. Two requests with one key at the same moment: the second
waits on the record's unique key until the first commits, fails, rolls its own work back, and answers with the
first's result."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from shagym.db import only_row

from . import problems
from .auth import Caller
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
_VALID = re.compile(r"^[\x21-\x7e]{1,200}$")


@dataclass
class Result:
    status: int
    body: Any  # JSON-ready
    location: str = ""


def key_of(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not _VALID.match(key):
        raise problems.ApiProblem(
            422, gettext("The Idempotency-Key must be 1 to 200 visible ASCII characters."),
            errors=[(HEADER, gettext("The Idempotency-Key must be 1 to 200 visible ASCII characters."))],
        )
    return key


def fingerprint(request: HttpRequest, content: bytes | None = None) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(content if content is not None else request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord, print_: str) -> Result:
    if record.fingerprint != print_:
        raise problems.ApiProblem(
            422,
            gettext("This Idempotency-Key was used with another request. Use a new key for a new request."),
            errors=[(HEADER, gettext("Already used with another request body."))],
            slug="idempotency-key-reused",
        )
    return Result(record.status_code, json.loads(record.body), record.location)


def _normal(result: Result) -> Result:
    """The answer as JSON gives it back (dates as ISO text), so the first answer and a replay are the same bytes."""
    result.body = json.loads(json.dumps(result.body, cls=DjangoJSONEncoder, ensure_ascii=False))
    return result


def run(request: HttpRequest, caller: Caller, work: Callable[[], Result], *, content: bytes | None = None) -> Result:
    """Do the work once per Idempotency-Key (if the request has one), in one transaction with its record."""
    key = key_of(request)
    if key is None:
        with transaction.atomic():
            return _normal(work())
    print_ = fingerprint(request, content)
    existing = only_row(IdempotencyRecord.objects.filter(owner=caller.owner, key=key))
    if existing is not None:
        return _replay(existing, print_)
    try:
        with transaction.atomic():
            result = _normal(work())
            if 200 <= result.status < 300:
                IdempotencyRecord.objects.create(
                    owner=caller.owner, key=key, fingerprint=print_, status_code=result.status,
                    body=json.dumps(result.body, ensure_ascii=False), location=result.location[:300],
                )
            return result
    except Exception as exc:  # IntegrityError on the record's key, or the work refused on the state it found
        # A request with the same key won the race: its answer is the answer (its work stands, ours rolled back).
        existing = only_row(IdempotencyRecord.objects.filter(owner=caller.owner, key=key))
        if existing is not None:
            return _replay(existing, print_)
        raise exc from None
