"""Property-based requests from the OpenAPI schema (schemathesis) never make the server fail.

Each operation gets requests generated from its schema, valid and invalid alike, sent over a
real socket to the real service; any 5xx answer fails the test with a curl line to replay it.
The examples are random on purpose: a run can only miss a failure, never invent one, and runs
together cover more than one fixed sequence would (which, tried, missed an overflowing cursor).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from tests.conftest import write_papers
from tests.server_process import ServerProcess

EXAMPLES_PER_OPERATION = 200


def test_no_generated_request_gets_a_server_error(server: ServerProcess, papers_dir: Path) -> None:
    write_papers(papers_dir, 2)
    # A real job, so that generated ids sometimes meet the routes of one.
    server.http.post("/api/jobs/folder", json={"path": str(papers_dir)})
    schema = schemathesis.openapi.from_url(f"http://127.0.0.1:{server.port}/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the service's own schema is always valid
        operations.append(result.ok())
    assert len(operations) >= 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def never_a_server_error(case: schemathesis.Case[Any]) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        never_a_server_error()
