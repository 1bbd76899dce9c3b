"""An ASGI app served by uvicorn on a free port of 127.0.0.1, inside the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Generator
from typing import Any

import uvicorn

_STARTUP_TIMEOUT_S = 10.0


class _InLoopServer(uvicorn.Server):
    """uvicorn inside the test's event loop; pytest keeps its own Ctrl-C handling."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


@contextlib.asynccontextmanager
async def serve_in_loop(app: Any) -> AsyncIterator[str]:
    """Serve `app` until the block ends; yields its base URL, http://127.0.0.1:<port>."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        lifespan="off",
        ws="none",
        log_level="warning",
        timeout_graceful_shutdown=2,
    )
    server = _InLoopServer(config)
    serving = asyncio.create_task(server.serve())
    deadline = time.monotonic() + _STARTUP_TIMEOUT_S
    while not server.started:
        if serving.done() or time.monotonic() > deadline:
            server.should_exit = True
            await serving
            raise RuntimeError("the local test server did not start")
        await asyncio.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving
