"""The HTTP API, versioned under /api/v1/; OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import ValidationError

from shagym.directory.api import router as calendar_router

api = NinjaAPI(
    title="Shagym API",
    version="1.0.0",
    description="Complaints about public services in Kazakhstan.",
    urls_namespace="api-v1",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [".".join(str(part) for part in error.get("loc", [])[1:]) for error in exc.errors]
    missing = ", ".join(f for f in fields if f)
    detail = gettext("Check the parameters: %(fields)s.") % {"fields": missing or "?"}
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)


api.add_router("/calendar", calendar_router)
