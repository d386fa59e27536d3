"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis), in process over WSGI.

Every operation gets a bounded number of generated requests (valid and invalid) with the logistics head's token;
each response must not be a server error and must match the schema declared for its status code.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from houqin.accounts.services import api_token_create
from houqin.core.testing import build_cast

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Requests here bypass Django's test client, which normally keeps the test's transaction open this way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db: None, keep_test_connection: None) -> dict[str, str]:
    cast = SimpleNamespace()
    build_cast(cast)
    _token, raw = api_token_create(user=cast.logistics)
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_api_answers_every_generated_request_within_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
