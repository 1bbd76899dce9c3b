"""The one mapping from domain errors to HTTP answers."""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from catalogsvc.errors import (
    CatalogError,
    InvalidInput,
    JobConflict,
    JobNotFound,
    PathNotAllowed,
    UploadTooLarge,
)

STATUS_BY_ERROR: dict[type[CatalogError], int] = {
    JobNotFound: status.HTTP_404_NOT_FOUND,
    JobConflict: status.HTTP_409_CONFLICT,
    PathNotAllowed: status.HTTP_403_FORBIDDEN,
    UploadTooLarge: status.HTTP_413_CONTENT_TOO_LARGE,
    InvalidInput: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


def http_status_for(error: CatalogError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[kind]
    return status.HTTP_500_INTERNAL_SERVER_ERROR


async def _catalog_error_handler(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CatalogError)
    if isinstance(error, InvalidInput):
        # Same shape as FastAPI's own validation errors, so clients read one format.
        detail: object = [
            {"loc": ["body", error.field], "msg": error.detail, "type": "value_error"}
        ]
    else:
        detail = error.detail
    return JSONResponse({"detail": detail}, status_code=http_status_for(error))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CatalogError, _catalog_error_handler)
