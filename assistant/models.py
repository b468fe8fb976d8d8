"""The chat-model boundary: one small protocol, one OpenAI-compatible client, and a scripted fake.

Habits borrowed from simonw/llm and pydantic-ai: a model is one object with one method; tests use a
scripted model (`ScriptedModel.enqueue(...)`) and never call a real one; every error says how to fix it.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import openai

from assistant.errors import ModelError

if TYPE_CHECKING:
    from assistant.config import Settings

Message = dict[str, str]


@runtime_checkable
class ChatModel(Protocol):
    """Anything that turns chat messages into one reply. With a schema, the reply should be JSON for it."""

    def complete(self, messages: list[Message], *, json_schema: dict[str, Any] | None = None) -> str: ...


def _schema_name(schema: dict[str, Any]) -> str:
    # OpenAI requires ^[a-zA-Z0-9_-]{1,64}$ for the schema name.
    name = re.sub(r"[^a-zA-Z0-9_-]", "_", str(schema.get("title") or "response"))
    return name[:64] or "response"


def _schema_instruction(schema: dict[str, Any]) -> Message:
    return {
        "role": "system",
        "content": "Reply with one JSON object, and nothing else, that validates against this JSON Schema:\n"
        + json.dumps(schema, separators=(",", ":")),
    }


def _rejects_response_format(err: openai.APIStatusError) -> bool:
    """A 4xx whose message blames the response_format / json_schema (llama.cpp, older vLLM and Ollama)."""
    if not 400 <= err.status_code < 500 or err.status_code in (401, 403, 404, 429):
        return False
    text = f"{err.message} {err.body}".lower()
    return any(k in text for k in ("response_format", "response format", "json_schema", "json schema"))


class OpenAICompatibleModel:
    """A chat model behind any OpenAI-compatible endpoint: OpenAI, Azure-style gateways, Ollama, vLLM, llama.cpp.

    Structured output is asked for with `response_format={"type": "json_schema", ...}`. Servers that only
    know `json_object` (llama.cpp's server) answer that with a 4xx; the call is then retried once with
    `json_object` and the schema written into the prompt, and later calls go straight to that form.
    """

    def __init__(
        self, base_url: str, model: str, api_key: str | None = None, timeout: float = 20.0, max_retries: int = 0
    ) -> None:
        self.base_url = base_url
        self.model = model
        self.timeout = timeout
        self.json_schema_supported = True
        # Retries default to 0: the caller falls back to the built-in path, and retries would multiply
        # the wait a stakeholder sees. Local servers need no key, but the client insists on one.
        self._client = openai.OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=max_retries
        )

    def __repr__(self) -> str:
        return f"OpenAICompatibleModel(base_url={self.base_url!r}, model={self.model!r})"

    def complete(self, messages: list[Message], *, json_schema: dict[str, Any] | None = None) -> str:
        if json_schema is None:
            return self._call(messages, None)
        if self.json_schema_supported:
            fmt = {
                "type": "json_schema",
                "json_schema": {"name": _schema_name(json_schema), "schema": json_schema, "strict": False},
            }
            try:
                return self._call(messages, fmt)
            except _FormatRejected:
                self.json_schema_supported = False
        # llama.cpp constrains json_object output with an optional "schema"; others ignore the extra key.
        fmt = {"type": "json_object", "schema": json_schema}
        try:
            return self._call([*messages, _schema_instruction(json_schema)], fmt)
        except _FormatRejected as e:
            raise ModelError(
                f"The server at KICKOFF_LLM_BASE_URL={self.base_url} rejected structured output "
                f"(json_schema and json_object): {e}. Use a server that supports response_format."
            ) from e

    def _call(self, messages: list[Message], response_format: dict[str, Any] | None) -> str:
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages}
        if response_format is not None:
            kwargs["response_format"] = response_format
        try:
            resp = self._client.chat.completions.create(**kwargs)
        except openai.APITimeoutError as e:
            raise ModelError(
                f"The model server at KICKOFF_LLM_BASE_URL={self.base_url} did not answer within "
                f"{self.timeout:g}s. Raise KICKOFF_LLM_TIMEOUT_S or use a smaller, faster model."
            ) from e
        except openai.APIConnectionError as e:
            raise ModelError(
                f"Could not reach KICKOFF_LLM_BASE_URL={self.base_url} — is the server running? ({e})"
            ) from e
        except openai.AuthenticationError as e:
            raise ModelError(
                f"The server at KICKOFF_LLM_BASE_URL={self.base_url} refused the API key: set KICKOFF_LLM_API_KEY."
            ) from e
        except openai.NotFoundError as e:
            raise ModelError(
                f"The server at KICKOFF_LLM_BASE_URL={self.base_url} answered 404: check that the URL ends with "
                f"/v1 and that KICKOFF_LLM_MODEL={self.model} is a model it serves."
            ) from e
        except openai.RateLimitError as e:
            raise ModelError(f"The server at KICKOFF_LLM_BASE_URL={self.base_url} is rate limiting; try later.") from e
        except openai.APIStatusError as e:
            if response_format is not None and _rejects_response_format(e):
                raise _FormatRejected(f"HTTP {e.status_code}: {e.message}") from e
            raise ModelError(
                f"The model server at KICKOFF_LLM_BASE_URL={self.base_url} returned HTTP {e.status_code}: {e.message}"
            ) from e
        except openai.OpenAIError as e:  # malformed responses and anything else the client raises
            raise ModelError(f"The model call to {self.base_url} failed: {e}") from e
        content = resp.choices[0].message.content if resp.choices else None
        if not content:
            raise ModelError(f"The model {self.model} at {self.base_url} returned an empty reply.")
        return content


class _FormatRejected(Exception):
    """Internal: the server refused this response_format; the caller may retry with a simpler one."""


def model_from_settings(settings: Settings) -> ChatModel | None:
    """The configured chat model, or None when KICKOFF_MODEL=builtin (the offline default)."""
    if settings.model != "llm":
        return None
    if not settings.llm_base_url or not settings.llm_model:
        raise ModelError("KICKOFF_MODEL=llm needs KICKOFF_LLM_BASE_URL and KICKOFF_LLM_MODEL.")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key is not None else None
    return OpenAICompatibleModel(settings.llm_base_url, settings.llm_model, key, settings.llm_timeout_s)


# ---------------------------------------------------------------------------------------------------
# Test double
# ---------------------------------------------------------------------------------------------------


@dataclass
class ScriptedCall:
    messages: list[Message]
    json_schema: dict[str, Any] | None


@dataclass
class ScriptedModel:
    """Replies from a queue, in order: a string (or a dict, sent as JSON) is returned, an exception raised.

    >>> m = ScriptedModel(); m.enqueue('{"people": []}'); m.complete([{"role": "user", "content": "hi"}])
    '{"people": []}'
    """

    responses: deque[str | BaseException] = field(default_factory=deque)
    calls: list[ScriptedCall] = field(default_factory=list)

    def enqueue(self, *responses: str | dict[str, Any] | BaseException) -> ScriptedModel:
        for r in responses:
            self.responses.append(json.dumps(r) if isinstance(r, dict) else r)
        return self

    def complete(self, messages: list[Message], *, json_schema: dict[str, Any] | None = None) -> str:
        self.calls.append(ScriptedCall([dict(m) for m in messages], json_schema))
        if not self.responses:
            raise ModelError("ScriptedModel has no response queued: call enqueue() before the model is used.")
        r = self.responses.popleft()
        if isinstance(r, BaseException):
            raise r
        return r
