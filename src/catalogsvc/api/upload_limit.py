"""Refuse an upload over CATALOGSVC_MAX_UPLOAD_MB before its body is read, or once it passes it."""

from __future__ import annotations

import contextlib
from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from catalogsvc.api.errors import http_status_for
from catalogsvc.errors import UploadTooLarge

MB = 1024 * 1024
# The body holds the files plus boundaries, part headers and the taxonomy field; the job
# service counts the files' own bytes exactly, so this only has to be generous.
FORM_OVERHEAD_BYTES = MB


class _BodyOverLimit(Exception):
    """Raised into the app's read of the body, so that it reads no further."""


class UploadSizeLimit:
    """ASGI middleware: 413 for a body larger than the upload limit on the given routes."""

    def __init__(
        self, app: ASGIApp, *, max_upload_mb: int, routes: Collection[tuple[str, str]]
    ) -> None:
        self.app = app
        self.max_upload_mb = max_upload_mb
        self.max_body_bytes = max_upload_mb * MB + FORM_OVERHEAD_BYTES
        self.routes = frozenset(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) not in self.routes:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(scope, receive, send)
            return

        received = 0
        over = False

        async def receive_up_to_limit() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    over = True
                    raise _BodyOverLimit
            return message

        async def send_unless_over(message: Message) -> None:
            # The app answers its failed read of the body with an error of its own: ours wins.
            if not over:
                await send(message)

        with contextlib.suppress(_BodyOverLimit):
            await self.app(scope, receive_up_to_limit, send_unless_over)
        if over:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = UploadTooLarge(
            f"The upload is larger than CATALOGSVC_MAX_UPLOAD_MB ({self.max_upload_mb} MB)."
        )
        response = JSONResponse({"detail": error.detail}, status_code=http_status_for(error))
        await response(scope, receive, send)
