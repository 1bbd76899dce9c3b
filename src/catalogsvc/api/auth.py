"""Who is calling: with CATALOGSVC_API_KEYS set, one of the keys, as a bearer token."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from catalogsvc.errors import NotAuthenticated
from catalogsvc.settings import Settings

bearer_key = HTTPBearer(
    auto_error=False, description="One of CATALOGSVC_API_KEYS, when the service sets any."
)
# Browsers cannot set headers on EventSource streams or download links.
KEY_QUERY_PARAMETER = "access_token"


def owner_of_key(key: str) -> str:
    """The owner a key's jobs are stored under: its sha256, so the database holds no key."""
    return hashlib.sha256(key.encode()).hexdigest()


def caller_owner(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_key)],
) -> str | None:
    """The calling key's owner, None when the service asks for no key; 401 otherwise."""
    settings: Settings = request.app.state.services.settings
    if not settings.api_keys:
        return None
    key = credentials.credentials if credentials else request.query_params.get(KEY_QUERY_PARAMETER)
    if key and any(
        hmac.compare_digest(key.encode(), known.get_secret_value().encode())
        for known in settings.api_keys
    ):
        return owner_of_key(key)
    raise NotAuthenticated()
