"""Who is calling: with CATALOGSVC_API_KEYS set, one of the keys, as a bearer token."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from fastapi.security import APIKeyQuery, HTTPBearer
from pydantic import SecretStr

from catalogsvc.errors import NotAuthenticated

bearer_key = HTTPBearer(
    auto_error=False, description="One of CATALOGSVC_API_KEYS, when the service sets any."
)
# Browsers cannot set headers on EventSource streams or download links, so those two routes
# alone also take the key in the query; elsewhere a key in a URL would only leak into logs.
KEY_QUERY_PARAMETER = "access_token"
query_key = APIKeyQuery(
    name=KEY_QUERY_PARAMETER,
    auto_error=False,
    description="The same key, for event streams and catalog downloads only.",
)


def owner_of_key(key: str) -> str:
    """The owner a key's jobs are stored under: its sha256, so the database holds no key."""
    return hashlib.sha256(key.encode()).hexdigest()


def caller_owner(api_keys: Sequence[SecretStr], key: str | None) -> str | None:
    """The owner of the caller's key; None when the service asks for no key; 401 otherwise."""
    if not api_keys:
        return None
    if key and any(
        hmac.compare_digest(key.encode(), known.get_secret_value().encode()) for known in api_keys
    ):
        return owner_of_key(key)
    raise NotAuthenticated()
