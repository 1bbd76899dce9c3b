"""A database that goes away under a running API: each request gets a JSON 503 that says so
(with Retry-After), never a bare 500."""

from __future__ import annotations

import asyncio

from tests.conftest import ClientFactory
from tests.postgres_server import PostgresServer


async def test_requests_get_a_json_503_while_the_database_is_unreachable(
    client_factory: ClientFactory,
) -> None:
    server = await asyncio.to_thread(PostgresServer)
    try:
        client = await client_factory(database_url=server.new_database(), task_queue=False)
        assert (await client.http.get("/api/jobs")).status_code == 200
    finally:
        await asyncio.to_thread(server.stop)

    for path in ("/api/jobs", "/api/jobs/abcd", "/api/papers/1"):
        answer = await client.http.get(path)
        assert answer.status_code == 503, (path, answer.text)
        assert "database cannot be reached" in answer.json()["detail"]
        assert answer.headers["Retry-After"] == "5"
