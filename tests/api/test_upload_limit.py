"""CATALOGSVC_MAX_UPLOAD_MB holds as the body arrives: by its Content-Length, or as it streams."""

from __future__ import annotations

import json
import select
import socket
from collections.abc import Iterator
from typing import Any

import h11
import pytest

from catalogsvc.settings import Settings
from tests.server_process import ServerProcess

LIMIT_MB = 1
MB = 1024 * 1024
BOUNDARY = "upload-limit-test"
FILE_PART_START = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="files"; filename="big.pdf"\r\n'
    "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
).encode()
# A service that waits for the whole body never answers these requests; a loaded machine that
# refuses them as it should answers well within this.
ANSWER_TIMEOUT_S = 10


@pytest.fixture
def small_limit_server(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServerProcess]:
    """The real service under uvicorn, taking uploads of at most LIMIT_MB."""
    monkeypatch.setenv("CATALOGSVC_MAX_UPLOAD_MB", str(LIMIT_MB))
    running = ServerProcess(settings.model_copy(update={"max_upload_mb": LIMIT_MB}))
    yield running
    running.close()


def start_upload(sock: socket.socket, http: h11.Connection, framing: tuple[str, str]) -> None:
    """Send an upload's headers and the start of its one file part, and no more."""
    host, port = sock.getpeername()
    request = h11.Request(
        method="POST",
        target="/api/jobs",
        headers=[
            ("Host", f"{host}:{port}"),
            ("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),
            framing,
        ],
    )
    sock.sendall(http.send(request) or b"")
    sock.sendall(http.send(h11.Data(data=FILE_PART_START)) or b"")


def read_answer(sock: socket.socket, http: h11.Connection) -> tuple[int, Any]:
    """The status and JSON body of the service's answer, with the request still unfinished."""
    sock.settimeout(ANSWER_TIMEOUT_S)
    status, body = 0, b""
    while True:
        event = http.next_event()
        if event is h11.NEED_DATA:
            http.receive_data(sock.recv(65536))
        elif isinstance(event, h11.Response):
            status = event.status_code
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            return status, json.loads(body)


def test_a_declared_length_over_the_limit_is_refused_before_any_body_is_read(
    small_limit_server: ServerProcess, settings: Settings
) -> None:
    with socket.create_connection(("127.0.0.1", small_limit_server.port)) as sock:
        http = h11.Connection(h11.CLIENT)
        start_upload(sock, http, ("Content-Length", str(100 * 1024 * MB)))
        status, body = read_answer(sock, http)

    assert status == 413
    assert "CATALOGSVC_MAX_UPLOAD_MB (1 MB)" in body["detail"]
    assert list(settings.uploads_dir.rglob("*")) == []


def test_a_chunked_body_is_refused_once_it_passes_the_limit_and_leaves_no_files(
    small_limit_server: ServerProcess, settings: Settings
) -> None:
    chunk = b"0" * (64 * 1024)
    with socket.create_connection(("127.0.0.1", small_limit_server.port)) as sock:
        http = h11.Connection(h11.CLIENT)
        start_upload(sock, http, ("Transfer-Encoding", "chunked"))
        # The body never ends: only a service that stops reading at the limit answers at all.
        sent = 0
        while sent < 8 * LIMIT_MB * MB:
            readable, writable, _ = select.select([sock], [sock], [], ANSWER_TIMEOUT_S)
            if readable or not writable:
                break
            sock.sendall(http.send(h11.Data(data=chunk)) or b"")
            sent += len(chunk)
        status, body = read_answer(sock, http)

    assert status == 413
    assert "CATALOGSVC_MAX_UPLOAD_MB" in body["detail"]
    assert [path for path in settings.uploads_dir.rglob("*") if path.is_file()] == []
    assert small_limit_server.http.get("/api/jobs").json()["items"] == []
