"""schemathesis (from PyPI) against the OpenAPI schema, with a valid API key: every operation, with generated input
that fits the schema and input that does not, on random ids and on a real complaint; no server error, no answer that
breaks the schema, no status code the schema does not list."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from shagym.complaints.tests.factories import ServiceFactory

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
EXAMPLES = 20


def _run(operation, strategy, headers) -> None:
    @given(case=strategy)
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                         database=None)
    def check(case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


@pytest.fixture
def keep_the_test_connection():
    """Called as WSGI, Django closes the database connection after each request (the test client does not): that
    would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_every_operation_answers_as_documented(ministry_key, registered, ministry, keep_the_test_connection):
    """One test over the whole schema (schemathesis' own pytest plugin does not load under pytest 9)."""
    from shagym.wsgi import application

    ServiceFactory(code="DEMO-01")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = {"Authorization": f"Bearer {ministry_key[1]}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        strategies = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
        if "{complaint_id}" in operation.path:
            strategies.append(operation.as_strategy(GenerationMode.POSITIVE,
                                                    path_parameters={"complaint_id": registered.pk}))
        for strategy in strategies:
            try:
                _run(operation, strategy, headers)
            except BaseException as exc:  # schemathesis raises its failures as a group
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures.append(f"{operation.label}: {exc}"[:3000])
    assert failures == [], "\n\n".join(failures)
