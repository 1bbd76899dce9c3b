"""The OpenAI-compatible client, and one JSON request that falls back to json_object mode."""

from __future__ import annotations

import json
import os
import re
import weakref
from collections.abc import Sequence
from typing import Any, TypeVar

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam
from openai.types.chat.completion_create_params import ResponseFormat
from pydantic import BaseModel, ValidationError

from catalogsvc.errors import LLMAnswerInvalid, LLMError
from catalogsvc.llm.prompts import json_schema_instruction

PLACEHOLDER_API_KEY = "not-needed"
# How servers without structured outputs (older llama.cpp, vLLM, LM Studio) refuse json_schema.
_FORMAT_REJECTED_STATUSES = frozenset({400, 422})
_FENCED_JSON = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)
A = TypeVar("A", bound=BaseModel)

# Per client, the models whose server refused json_schema once; asked in json_object mode since.
_json_object_models: weakref.WeakKeyDictionary[AsyncOpenAI, set[str]] = weakref.WeakKeyDictionary()


def create_openai_client(*, timeout_s: float, max_retries: int) -> AsyncOpenAI:
    """A client for OPENAI_BASE_URL (default: OpenAI); retries 429 and 5xx with backoff itself."""
    return AsyncOpenAI(
        # Local servers (Ollama, vLLM, llama.cpp) take any key, but the client insists on one.
        api_key=os.environ.get("OPENAI_API_KEY") or PLACEHOLDER_API_KEY,
        timeout=timeout_s,
        max_retries=max_retries,
    )


def uses_json_object_mode(client: AsyncOpenAI, model: str) -> bool:
    """Whether this client's server refused json_schema for this model before."""
    return model in _json_object_models.get(client, set())


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of `model` as strict structured outputs want it: in every object,
    each property required and none other allowed, and no defaults (a default only says
    what reading does with a property the model left out)."""
    schema = model.model_json_schema()
    for node in [schema, *schema.get("$defs", {}).values()]:
        if "properties" in node:
            for property_schema in node["properties"].values():
                property_schema.pop("default", None)
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
    return schema


async def request_json(
    client: AsyncOpenAI,
    *,
    model: str,
    messages: Sequence[ChatCompletionMessageParam],
    answer: type[A],
    schema: type[BaseModel] | None = None,
) -> A:
    """Ask for one JSON object following `schema` (default: `answer`'s), read it as `answer`;
    raise LLMError if none comes back.

    Strict json_schema first; if the server refuses it, json_object mode with the schema in
    the prompt, remembered for this client and model. `answer` may be looser than `schema`
    (e.g. a list of items checked one by one), so callers can tolerate one bad item instead
    of losing the whole answer.
    """
    schema_model = schema or answer
    json_schema_dict = strict_schema(schema_model)
    if not uses_json_object_mode(client, model):
        json_schema: ResponseFormat = {
            "type": "json_schema",
            "json_schema": {
                "name": schema_model.__name__,
                "schema": json_schema_dict,
                "strict": True,
            },
        }
        try:
            content = await _complete(client, model, list(messages), json_schema)
        except openai.APIStatusError as error:
            if error.status_code not in _FORMAT_REJECTED_STATUSES:
                raise _llm_error(error, model) from error
        except openai.APIError as error:
            raise _llm_error(error, model) from error
        else:
            return parse_json_answer(content, answer, model)
    prompted = [*messages, json_schema_instruction(json_schema_dict)]
    try:
        content = await _complete(client, model, prompted, {"type": "json_object"})
    except openai.APIError as error:
        raise _llm_error(error, model) from error
    _json_object_models.setdefault(client, set()).add(model)
    return parse_json_answer(content, answer, model)


async def _complete(
    client: AsyncOpenAI,
    model: str,
    messages: list[ChatCompletionMessageParam],
    response_format: ResponseFormat,
) -> str:
    # No temperature or token limit: reasoning models refuse both with a 400.
    completion = await client.chat.completions.create(
        model=model, messages=messages, response_format=response_format
    )
    if not completion.choices:
        raise LLMError(f"The language model {model!r} returned no choices.")
    choice = completion.choices[0]
    if choice.message.refusal:
        raise LLMError(f"The language model {model!r} refused: {choice.message.refusal}")
    if not choice.message.content:
        raise LLMError(
            f"The language model {model!r} returned no content "
            f"(finish_reason={choice.finish_reason})."
        )
    if choice.finish_reason == "length":
        raise LLMError(f"The answer of {model!r} was cut off at its token limit.")
    return choice.message.content


def parse_json_answer(content: str, answer: type[A], model: str) -> A:
    """The JSON object in `content` read as `answer`, or LLMError naming what is wrong."""
    fenced = _FENCED_JSON.match(content.strip())
    text = fenced.group(1) if fenced else content
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise LLMAnswerInvalid(
            f"The language model {model!r} answered with malformed JSON ({error.msg} at "
            f"position {error.pos}): {content[:200]!r}"
        ) from error
    if not isinstance(parsed, dict):
        raise LLMAnswerInvalid(
            f"The language model {model!r} answered {type(parsed).__name__}, not an object."
        )
    try:
        return answer.model_validate(parsed)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "answer"
        raise LLMAnswerInvalid(
            f"The answer of {model!r} does not fit {answer.__name__}: {field!r}: {first['msg']}"
        ) from error


def _llm_error(error: openai.APIError, model: str) -> LLMError:
    if isinstance(error, openai.APITimeoutError):
        return LLMError(f"The language model {model!r} did not answer in time.")
    if isinstance(error, openai.APIConnectionError):
        return LLMError(f"Cannot reach the language model server (OPENAI_BASE_URL): {error}")
    if isinstance(error, openai.AuthenticationError):
        return LLMError("The language model server rejected the API key (OPENAI_API_KEY).")
    if isinstance(error, openai.NotFoundError):
        return LLMError(f"The language model server does not know the model {model!r}.")
    if isinstance(error, openai.APIStatusError):
        return LLMError(
            f"The language model {model!r} failed with HTTP {error.status_code}: {error.message}"
        )
    return LLMError(f"The language model {model!r} failed: {error}")
