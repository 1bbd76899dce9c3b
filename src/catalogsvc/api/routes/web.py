"""The single-page web app: index.html at / and its modules and styles under /static."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

WEB_DIR = Path(__file__).resolve().parents[2] / "web"

# The app builds every element from text, never from markup, so it needs nothing inline.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    # Revalidate (ETag) on every load, so an upgraded service is seen at once.
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@router.api_route("/", methods=["GET", "HEAD"])
async def web_app() -> FileResponse:
    """The single-page web app."""
    return FileResponse(WEB_DIR / "index.html", headers=SECURITY_HEADERS, media_type="text/html")


class WebAppFiles(StaticFiles):
    """The app's static files, served with the same headers as its page."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.update(SECURITY_HEADERS)
        return response


def mount_web_app(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", WebAppFiles(directory=WEB_DIR), name="static")
