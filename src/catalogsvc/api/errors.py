"""The one mapping from domain errors to HTTP answers."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalogsvc.errors import (
    CatalogError,
    DatabaseUnavailable,
    InvalidInput,
    JobConflict,
    JobNotFound,
    NotAuthenticated,
    PaperNotFound,
    PathNotAllowed,
    ServiceStopping,
    StorageFull,
    UploadTooLarge,
)

STATUS_BY_ERROR: dict[type[CatalogError], int] = {
    NotAuthenticated: status.HTTP_401_UNAUTHORIZED,
    JobNotFound: status.HTTP_404_NOT_FOUND,
    PaperNotFound: status.HTTP_404_NOT_FOUND,
    JobConflict: status.HTTP_409_CONFLICT,
    PathNotAllowed: status.HTTP_403_FORBIDDEN,
    UploadTooLarge: status.HTTP_413_CONTENT_TOO_LARGE,
    InvalidInput: status.HTTP_422_UNPROCESSABLE_CONTENT,
    StorageFull: status.HTTP_507_INSUFFICIENT_STORAGE,
    DatabaseUnavailable: status.HTTP_503_SERVICE_UNAVAILABLE,
    ServiceStopping: status.HTTP_503_SERVICE_UNAVAILABLE,
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
            {"loc": [error.where, error.field], "msg": error.detail, "type": "value_error"}
        ]
    else:
        detail = error.detail
    headers = None
    if isinstance(error, NotAuthenticated):
        headers = {"WWW-Authenticate": "Bearer"}
    elif isinstance(error, DatabaseUnavailable | ServiceStopping):
        headers = {"Retry-After": "5"}
    return JSONResponse({"detail": detail}, status_code=http_status_for(error), headers=headers)


async def _http_error_handler(request: Request, error: Exception) -> Response:
    """FastAPI answers 400 to a body it cannot parse at all (not UTF-8, broken multipart);
    the API's contract answers every malformed request with 422 naming the field."""
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == status.HTTP_400_BAD_REQUEST:
        detail = [{"loc": ["body"], "msg": str(error.detail), "type": "body_unreadable"}]
        return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    return await http_exception_handler(request, error)


async def _validation_error_handler(_request: Request, error: Exception) -> JSONResponse:
    """FastAPI's 422, without echoing the input back: it may be a whole uploaded file, or a
    NaN or lone surrogate that JSON cannot encode."""
    assert isinstance(error, RequestValidationError)
    detail = [
        {"loc": list(item["loc"]), "msg": item["msg"], "type": item["type"]}
        for item in error.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CatalogError, _catalog_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error_handler)
