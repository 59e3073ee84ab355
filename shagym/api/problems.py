"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status, detail, and `errors`, one
per field, every text in the request's language (Accept-Language: kk, ru, en; LocaleMiddleware chooses it).

The lifecycle's refusals map here and nowhere else: Refused(code="state") is 409, Refused(code="invalid") 422 with
its field, NotAllowed 403, a complaint out of the caller's scope 404 (the same as a missing one)."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from shagym.complaints.states import NotAllowed, Refused

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []


TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Authentication required"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    409: gettext_lazy("Not possible in the complaint's present state"),
    413: gettext_lazy("Request too large"),
    415: gettext_lazy("Unsupported media type"),
    422: gettext_lazy("Invalid input"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}
SLUGS = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
         409: "conflict", 413: "too-large", 415: "unsupported-media-type", 422: "invalid", 429: "rate-limited",
         500: "server-error"}


class ApiProblem(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        slug: str | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}
        self.slug = slug


def body(status: int, detail: str, errors: list[tuple[str, str]] | None = None, slug: str | None = None
         ) -> dict[str, Any]:
    return {
        "type": f"urn:shagym:problem:{slug or SLUGS.get(status, 'error')}",
        "title": str(TITLES.get(status, TITLES[400])),
        "status": status,
        "detail": detail,
        "errors": [{"field": field, "message": message} for field, message in errors or []],
    }


def response(
    status: int,
    detail: str,
    *,
    errors: list[tuple[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    slug: str | None = None,
) -> HttpResponse:
    result = HttpResponse(
        json.dumps(body(status, detail, errors, slug), ensure_ascii=False),
        status=status,
        content_type=f"{MEDIA_TYPE}; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        result[name] = value
    return result


def not_found() -> ApiProblem:
    return ApiProblem(404, gettext("There is no such resource, or it is not yours to see."))


def forbidden(detail: str | None = None) -> ApiProblem:
    return ApiProblem(403, detail or gettext("Your role may not do this."))


# ---- Pydantic's errors, in the request's language ----

def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return gettext("This field is required.")
    if kind in {"string_too_long", "too_long"}:
        return gettext("Too long: at most %(max)s.") % {"max": ctx.get("max_length", "?")}
    if kind in {"string_too_short", "too_short"}:
        return gettext("Too short: at least %(min)s.") % {"min": ctx.get("min_length", "?")}
    if kind in {"greater_than_equal", "greater_than"}:
        return gettext("Must be at least %(min)s.") % {"min": ctx.get("ge", ctx.get("gt", "?"))}
    if kind in {"less_than_equal", "less_than"}:
        return gettext("Must be at most %(max)s.") % {"max": ctx.get("le", ctx.get("lt", "?"))}
    if kind.startswith("date") or kind.startswith("datetime"):
        return gettext("Write a date as YYYY-MM-DD.")
    if kind in {"literal_error", "enum"}:
        return gettext("Choose one of: %(values)s.") % {"values": ctx.get("expected", "")}
    if kind.startswith("int") or kind.startswith("float"):
        return gettext("Write a whole number.")
    if kind.startswith("bool"):
        return gettext("Write true or false.")
    if kind == "value_error":
        return gettext("This value is not valid: %(reason)s") % {"reason": str(ctx.get("error", ""))}
    if kind in {"string_type", "list_type", "dict_type", "model_type", "model_attributes_type"}:
        return gettext("Wrong type of value.")
    if kind == "json_invalid":
        return gettext("The body is not valid JSON.")
    return gettext("This value is not valid.")


def _field(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ())]
    # Ninja puts the source first (body, query, path, header) and the parameter's name second.
    if loc and loc[0] in {"body", "query", "path", "header", "form", "file", "cookie"}:
        loc = loc[1:]
        if len(loc) > 1 and loc[0] in {"payload", "params", "data", "filters"}:
            loc = loc[1:]
    return ".".join(loc) or "body"


def validation_errors(exc: ValidationError) -> list[tuple[str, str]]:
    return [(_field(error), _message(error)) for error in exc.errors]


# ---- The handlers ----


def install(api: Any) -> None:
    """Every error of the API as a problem; nothing escapes as a 500 page."""

    def on_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return response(exc.status, exc.detail, errors=exc.errors, headers=exc.headers, slug=exc.slug)

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = validation_errors(exc)
        fields = ", ".join(dict.fromkeys(field for field, _ in errors))
        return response(422, gettext("Check the parameters: %(fields)s.") % {"fields": fields}, errors=errors)

    def on_refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        if exc.code == "state":
            return response(409, exc.message, slug="conflict")
        return response(422, exc.message, errors=[(exc.field or "body", exc.message)])

    def on_not_allowed(request: HttpRequest, exc: Exception) -> HttpResponse:
        return response(403, gettext("Your role may not take this action on this complaint."))

    def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return response(404, gettext("There is no such resource, or it is not yours to see."))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError) or exc.status_code == 401:
            return response(
                401,
                gettext("Send an API key (Authorization: Bearer <key>, or X-API-Key), or sign in."),
                headers={"WWW-Authenticate": 'Bearer realm="shagym"'},
            )
        if exc.status_code == 403:
            return response(403, gettext("The CSRF check failed: send the X-CSRFToken header with the session."))
        return response(exc.status_code, str(exc))

    def on_too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        return response(413, gettext("The request body is larger than allowed."))

    def on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return response(500, gettext("Something went wrong on our side; the error has been logged."))

    api.add_exception_handler(ApiProblem, on_problem)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(Refused, on_refused)
    api.add_exception_handler(NotAllowed, on_not_allowed)
    api.add_exception_handler(PermissionDenied, on_not_allowed)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(TooManyFieldsSent, on_too_big)
    api.add_exception_handler(Exception, on_error)
