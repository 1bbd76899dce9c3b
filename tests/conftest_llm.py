"""Fixtures for the LLM tests: a fake OpenAI-compatible server and a real client pointed at it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from openai import AsyncOpenAI

from catalogsvc.llm.client import create_openai_client
from tests.fake_openai import FakeOpenAI, serve_fake_openai

# Port 9 is "discard": anything that escapes the fakes fails fast instead of reaching a model.
UNREACHABLE_BASE_URL = "http://127.0.0.1:9/v1"


@pytest.fixture(autouse=True)
def no_real_openai(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches a real model, whatever the developer's environment says."""
    monkeypatch.setenv("OPENAI_BASE_URL", UNREACHABLE_BASE_URL)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    async with serve_fake_openai() as server:
        yield server


@pytest.fixture
async def openai_client(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AsyncOpenAI]:
    """The real openai client, configured from the environment like the service does."""
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    # Building the client reads its CA bundle from disk: not on the loop.
    client = await asyncio.to_thread(create_openai_client, timeout_s=5.0, max_retries=3)
    yield client
    await client.close()


async def cancel_and_await(task: asyncio.Task[Any], within_s: float = 0.1) -> None:
    """Cancel `task` and check it ends with CancelledError within `within_s` seconds."""
    task.cancel()
    cancelled_at = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - cancelled_at < within_s
