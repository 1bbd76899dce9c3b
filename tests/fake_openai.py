"""A real OpenAI-compatible HTTP server on 127.0.0.1 for the tests, scriptable per test."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.local_server import serve_in_loop

Answer = Callable[[dict[str, Any]], Any]
"""Builds the assistant's content from the request body: a str goes out as is, anything else
as JSON, so a test can send malformed JSON by returning a str."""


@dataclass(frozen=True, slots=True)
class ReceivedRequest:
    """One chat completion request as the server received it."""

    body: dict[str, Any]
    received_at: float
    """time.monotonic() when the body had been read."""

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))

    @property
    def response_format_type(self) -> str | None:
        response_format = self.body.get("response_format")
        return response_format.get("type") if isinstance(response_format, dict) else None

    def texts(self, role: str) -> list[str]:
        """The text parts of every message of this role."""
        found: list[str] = []
        for message in self.body.get("messages", []):
            if message.get("role") != role:
                continue
            content = message.get("content")
            if isinstance(content, str):
                found.append(content)
            elif isinstance(content, list):
                found.extend(part["text"] for part in content if part.get("type") == "text")
        return found

    @property
    def image_urls(self) -> list[str]:
        return [
            part["image_url"]["url"]
            for message in self.body.get("messages", [])
            if isinstance(message.get("content"), list)
            for part in message["content"]
            if part.get("type") == "image_url"
        ]


def empty_answer(body: dict[str, Any]) -> Any:
    return {}


@dataclass
class FakeOpenAI:
    """The server's script and its record; tests change the script between or during calls."""

    answer: Answer = empty_answer
    delay_s: float = 0.0
    fail_first: int = 0
    fail_status: int = 429
    retry_after_ms: int | None = 10
    """Sent with failures so the client's retries wait milliseconds, not its 0.5 s backoff."""
    reject_json_schema: bool = False
    models: list[str] = field(default_factory=lambda: ["fake-model", "fake-vision"])
    base_url: str = ""
    requests: list[ReceivedRequest] = field(default_factory=list)
    disconnects: list[ReceivedRequest] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    _gate: asyncio.Event = field(default_factory=asyncio.Event)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def __post_init__(self) -> None:
        self._gate.set()

    def hold(self) -> None:
        """Make every request wait (after its delay) until release()."""
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `predicate` holds for the record, or fail after `timeout` seconds."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    def asgi_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat_completions, methods=["POST"]),
                Route("/v1/models", self._list_models, methods=["GET"]),
            ]
        )

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _list_models(self, request: Request) -> Response:
        data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in self.models]
        return JSONResponse({"object": "list", "data": data})

    async def _chat_completions(self, request: Request) -> Response:
        received = ReceivedRequest(body=await request.json(), received_at=time.monotonic())
        self.requests.append(received)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        await self._notify()
        try:
            return await self._respond(request, received)
        finally:
            self.in_flight -= 1
            await self._notify()

    async def _respond(self, request: Request, received: ReceivedRequest) -> Response:
        if len(self.requests) <= self.fail_first:
            return self._failure()
        if received.model not in self.models:
            return _error(404, f"model {received.model!r} not found")
        if self.reject_json_schema and received.response_format_type == "json_schema":
            return _error(400, "response_format type 'json_schema' is not supported")
        if not await self._wait_unless_disconnected(request):
            self.disconnects.append(received)
            await self._notify()
            return Response(status_code=499)
        answer = self.answer(received.body)
        content = answer if isinstance(answer, str) else json.dumps(answer)
        return JSONResponse(_completion(received.model, content))

    def _failure(self) -> Response:
        response = _error(self.fail_status, f"scripted failure {self.fail_status}")
        if self.retry_after_ms is not None:
            response.headers["retry-after-ms"] = str(self.retry_after_ms)
        return response

    async def _wait_unless_disconnected(self, request: Request) -> bool:
        """Sit out the delay and the gate; False if the client hung up first."""
        waiting = asyncio.ensure_future(self._delay_then_gate())
        hung_up = asyncio.ensure_future(_client_hung_up(request))
        await asyncio.wait((waiting, hung_up), return_when=asyncio.FIRST_COMPLETED)
        gone = hung_up.done()
        for task in (waiting, hung_up):
            task.cancel()
        await asyncio.gather(waiting, hung_up, return_exceptions=True)
        return not gone

    async def _delay_then_gate(self) -> None:
        await asyncio.sleep(self.delay_s)
        await self._gate.wait()


async def _client_hung_up(request: Request) -> None:
    # The body is read already, so the next ASGI message is the disconnect.
    while (await request.receive())["type"] != "http.disconnect":
        pass


def _error(status: int, message: str) -> Response:
    kind = "rate_limit_exceeded" if status == 429 else "invalid_request_error"
    body = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return JSONResponse(body, status_code=status)


def _completion(model: str, content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


@contextlib.asynccontextmanager
async def serve_fake_openai(**script: Any) -> AsyncIterator[FakeOpenAI]:
    """Run a FakeOpenAI on a free port of 127.0.0.1 until the block ends."""
    fake = FakeOpenAI(**script)
    async with serve_in_loop(fake.asgi_app()) as base_url:
        fake.base_url = f"{base_url}/v1"
        try:
            yield fake
        finally:
            fake.release()
