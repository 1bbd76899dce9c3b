"""GET with JSON answers from a registry: bounded concurrency, a timeout per request, and
retries on 429 and 5xx that honour Retry-After."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import time
from typing import Any

import httpx

from catalogsvc import __version__

FIRST_BACKOFF_S = 0.5
LONGEST_WAIT_S = 30.0  # a Retry-After longer than this is not worth holding a file for
LARGEST_ANSWER = 8 * 2**20  # a work's record is kilobytes: more is a broken or hostile server


class RegistryUnavailable(Exception):
    """The registry did not answer usefully: down, slow, throttling beyond the retries."""


class RegistryHttp:
    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        slots: asyncio.Semaphore,
        max_retries: int,
        deadline_s: float,
    ) -> None:
        self._client = client
        self._slots = slots
        self._max_retries = max_retries
        # httpx's timeout bounds each read; a body sent a byte at a time needs a whole deadline.
        self._deadline_s = deadline_s

    async def get_json(self, url: str, params: dict[str, str] | None = None) -> Any | None:
        """The JSON answer, or None for 404 (the registry does not know the work)."""
        for attempt in range(self._max_retries + 1):
            try:
                async with self._slots, asyncio.timeout(self._deadline_s):
                    response, body = await self._fetch(url, params)
            except (httpx.TimeoutException, TimeoutError) as error:
                raise RegistryUnavailable(f"no answer within {self._deadline_s:g} s") from error
            except httpx.HTTPError as error:
                raise RegistryUnavailable(f"{type(error).__name__}: {error}") from error
            if response.status_code == httpx.codes.NOT_FOUND:
                return None
            if response.status_code == 429 or response.status_code >= 500:
                if attempt == self._max_retries:
                    raise RegistryUnavailable(
                        f"HTTP {response.status_code} after {attempt} retries"
                    )
                await asyncio.sleep(_wait_before_retry(response, attempt))
                continue
            if response.status_code >= 400:
                raise RegistryUnavailable(f"HTTP {response.status_code} for {url}")
            try:
                return json.loads(body)
            except ValueError as error:
                raise RegistryUnavailable(f"an answer that is not JSON ({url})") from error
        raise AssertionError("unreachable")  # the loop returns or raises

    async def _fetch(self, url: str, params: dict[str, str] | None) -> tuple[httpx.Response, bytes]:
        """The response and its body, read only up to LARGEST_ANSWER (decompressed)."""
        async with self._client.stream("GET", url, params=params) as response:
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > LARGEST_ANSWER:
                    raise RegistryUnavailable(f"an answer over {LARGEST_ANSWER // 2**20} MB")
                chunks.append(chunk)
        return response, b"".join(chunks)


def registry_client(timeout_s: float, contact_email: str | None) -> httpx.AsyncClient:
    agent = f"catalogsvc/{__version__}"
    if contact_email:
        agent += f" (mailto:{contact_email})"
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout_s),
        headers={"User-Agent": agent, "Accept": "application/json"},
        follow_redirects=True,
    )


def _wait_before_retry(response: httpx.Response, attempt: int) -> float:
    """Retry-After in seconds or as an HTTP date, else an exponential backoff."""
    header = str(response.headers.get("Retry-After", "")).strip()
    wait: float = FIRST_BACKOFF_S * 2.0**attempt
    if header.isdigit():
        wait = float(header)
    elif header:
        with contextlib.suppress(TypeError, ValueError):  # not a date either: backoff it is
            wait = float(email.utils.parsedate_to_datetime(header).timestamp()) - time.time()
    return min(max(wait, 0.0), LONGEST_WAIT_S)
