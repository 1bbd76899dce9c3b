"""Serving the app under uvicorn, with the running jobs stopped before the connections close.

uvicorn closes the connections first and runs the app's shutdown last: a client following a
job's event stream was cut off mid-job, without the `status` event that ends every stream.
Stopping the jobs first, each ends `interrupted` and its streams send that and end by
themselves (sse-starlette holds a stream open a few seconds after the signal for this:
api/routes/events.STREAM_SHUTDOWN_GRACE_S).
"""

from __future__ import annotations

import socket
from typing import Any

import uvicorn
from fastapi import FastAPI


class JobsFirstServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self._app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:  # no new request may start a job meanwhile
            server.close()
        runner = getattr(self._app.state, "runner", None)
        if runner is not None:
            await runner.shutdown()
        await super().shutdown(sockets)


def serve(app: FastAPI, *, host: str, port: int, **options: Any) -> None:
    """Run `app` until a signal stops it (uvicorn.run, with the jobs stopped first)."""
    JobsFirstServer(uvicorn.Config(app, host=host, port=port, **options), app).run()
