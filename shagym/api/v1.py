"""The HTTP API, versioned under /api/v1/; OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs.

Every error is an RFC 9457 problem (problems.py), every status a route can answer is in its `response` (and 413,
429 on every route, from the limits before the view), so the schema is complete."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.utils.translation import get_language
from ninja import NinjaAPI

from shagym.directory.api import router as calendar_router

from . import actions, complaints, feed, hooks, problems, reference

PROBLEM_REF = "#/components/schemas/Problem"


class ShagymAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        # Built once per language and prefix in each process (about a quarter of a second of CPU each time): the
        # schema changes only with the code, and an anonymous request must not cost that much.
        key = (get_language(), repr(sorted(kwargs.items())))
        if key not in self._schemas:
            self._schemas[key] = self._build_schema(**kwargs)
        return self._schemas[key]

    @cached_property
    def _schemas(self) -> dict[tuple[str | None, str], Any]:
        return {}

    def _build_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        problem = {"schema": {"$ref": PROBLEM_REF}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if not isinstance(operation, dict):
                    continue
                # Ninja keys the statuses as numbers: one key per status, or the JSON carries "413" twice (a
                # duplicate key that Swagger UI refuses to read).
                responses = operation["responses"] = {str(k): v for k, v in operation.get("responses", {}).items()}
                responses.setdefault("413", {"description": "Request too large", "content": {"application/json": problem}})
                responses.setdefault("429", {"description": "Too many requests", "content": {"application/json": problem}})
                for response in responses.values():
                    content = response.get("content") or {}
                    as_json = content.get("application/json")
                    if as_json is not None and as_json.get("schema", {}).get("$ref") == PROBLEM_REF:
                        response["content"] = {problems.MEDIA_TYPE: as_json}
                if operation.pop("x-shagym-pdf", False):
                    responses["200"] = {
                        "description": "The document as issued (PDF)",
                        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                    }
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        if "Problem" not in components:
            components["Problem"] = problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(components["Problem"].pop("$defs", {}))
        return schema


api = ShagymAPI(
    title="Shagym API",
    version="1.0.0",
    description=(
        "Complaints about public services in Kazakhstan: submit, follow and act on complaints from other systems; "
        "the events feed; webhooks; reference data and the working-day calendar. Authenticate with an "
        "organisation's API key (`Authorization: Bearer shg_…` or `X-API-Key`), or the applicant's portal session. "
        "Errors are RFC 9457 `application/problem+json`, in the language of `Accept-Language` (kk, ru, en). "
        "Every POST takes an `Idempotency-Key`."
    ),
    urls_namespace="api-v1",
)
problems.install(api)

api.add_router("/calendar", calendar_router)
api.add_router("", complaints.router)
api.add_router("", actions.router)
api.add_router("", feed.router)
api.add_router("", hooks.router)
api.add_router("", reference.router)
api.add_router("", reference.me_router)
api.add_router("/stats", "shagym.reports.api.router")
