"""The chat model behind any OpenAI-compatible endpoint: OpenAI, Azure-style gateways, Ollama, vLLM, llama.cpp.

Every call streams, even when the caller wants the whole reply: closing a stream is the one cancellation
that servers honour (llama.cpp keeps generating for an abandoned non-streaming request until it is done).
Every call is bounded: `max_tokens`, `temperature` (0 unless set), and a deadline over the whole reply.
What the endpoint refuses (a response format, a parameter, the system role) is learned from its errors
and remembered (`assistant.llm_negotiation`).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import httpx
import openai

from assistant.errors import ModelError
from assistant.llm_negotiation import (
    ENDPOINTS,
    MODES,
    SCHEMA_IN_PROMPT,
    Capabilities,
    EndpointMemory,
    adapt,
    names_format,
    request_shape,
)
from assistant.llm_stats import LLMStats, stats_for
from assistant.models import Message

log = logging.getLogger("kickoff.llm")

_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+){2,}")
_MAX_ATTEMPTS = 1 + 5  # one request, plus one retry per thing the endpoint can refuse


def brief_error(text: object, limit: int = 160) -> str:
    """A server's error text fit for a log line: one line, no file paths, bounded."""
    one_line = " ".join(str(text).split())
    cleaned = _PATH.sub("<path>", one_line)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def schema_name(schema: dict[str, Any]) -> str:
    # OpenAI requires ^[a-zA-Z0-9_-]{1,64}$ for the schema (and tool) name.
    name = re.sub(r"[^a-zA-Z0-9_-]", "_", str(schema.get("title") or "response"))
    return name[:64] or "response"


def _with_schema(messages: list[Message], schema: dict[str, Any]) -> list[Message]:
    """The schema, once, at the end of the first message: the part every call shares, so servers with a
    prompt cache (llama.cpp, vLLM) process it once."""
    first, *rest = messages
    text = json.dumps(schema, separators=(",", ":"))
    note = f"\n\nReply with one JSON object, and nothing else, that validates against this JSON Schema:\n{text}"
    return [{**first, "content": first["content"] + note}, *rest]


def _without_system_role(messages: list[Message]) -> list[Message]:
    """System instructions folded into the first user message, for chat templates that refuse the role."""
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    others = [dict(m) for m in messages if m["role"] != "system"]
    if not system:
        return others
    if others and others[0]["role"] == "user":
        others[0]["content"] = f"{system}\n\n{others[0]['content']}"
        return others
    return [{"role": "user", "content": system}, *others]


class OpenAICompatibleModel:
    """`ChatModel` over the OpenAI client. `complete` returns the whole reply; `stream` yields it in pieces."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 20.0,
        *,
        max_tokens: int = 1024,
        temperature: float = 0.0,
        stats: LLMStats | None = None,
        memory: EndpointMemory = ENDPOINTS,
    ) -> None:
        self.base_url = base_url
        self.model = model
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.stats = stats or stats_for(base_url, model)
        self.memory = memory
        # No client retries: the caller falls back to the built-in path, and retries would multiply the wait
        # a stakeholder sees. Local servers need no key, but the client insists on one.
        self._client = openai.OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=0)

    def __repr__(self) -> str:
        return f"OpenAICompatibleModel(base_url={self.base_url!r}, model={self.model!r})"

    @property
    def capabilities(self) -> Capabilities:
        return self.memory.get(self.base_url, self.model)

    def complete(self, messages: list[Message], *, json_schema: dict[str, Any] | None = None) -> str:
        reply = "".join(self._run(messages, json_schema))
        if not reply.strip():
            raise ModelError(f"The model {self.model} at {self.base_url} returned an empty reply.", "empty_reply")
        return reply

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """The reply in pieces as the server produces them. Closing the iterator early stops the request."""
        produced = False
        for piece in self._run(messages, None):
            produced = produced or bool(piece.strip())
            yield piece
        if not produced:
            raise ModelError(f"The model {self.model} at {self.base_url} returned an empty reply.", "empty_reply")

    # ---- one call, adapting to what the endpoint refuses

    def _run(self, messages: list[Message], schema: dict[str, Any] | None) -> Iterator[str]:
        caps = self.capabilities
        for _ in range(_MAX_ATTEMPTS):
            try:
                stream = self._client.chat.completions.create(**self._request(messages, schema, caps))
            except openai.APIStatusError as e:
                self.stats.failed_call()
                text = _error_text(e)
                better = adapt(caps, e.status_code, text, structured=schema is not None)
                if better is None:
                    raise self._status_error(e, text, caps, schema) from e
                log.info(
                    "The model server at %s refused part of a request (HTTP %d: %s); from now on: %s",
                    self.base_url,
                    e.status_code,
                    brief_error(text),
                    _change(caps, better),
                )
                self.memory.learn(self.base_url, self.model, caps, better)
                caps = better
                continue
            except openai.OpenAIError as e:
                self.stats.failed_call()
                raise self._client_error(e) from e
            yield from self._read(stream)
            return
        raise ModelError(
            f"The model server at KICKOFF_LLM_BASE_URL={self.base_url} kept refusing requests after "
            f"{_MAX_ATTEMPTS} adjustments; check the server's log.",
            "format_rejected",
        )

    def _request(self, messages: list[Message], schema: dict[str, Any] | None, caps: Capabilities) -> dict[str, Any]:
        if schema is not None and caps.mode in SCHEMA_IN_PROMPT:
            messages = _with_schema(messages, schema)
        if not caps.system_role:
            messages = _without_system_role(messages)
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            caps.token_param: self.max_tokens,
            **request_shape(caps, schema, schema_name(schema or {})),
        }
        if caps.temperature:
            kwargs["temperature"] = self.temperature
        if caps.stream_usage:
            kwargs["stream_options"] = {"include_usage": True}
        return kwargs

    def _read(self, stream: openai.Stream[Any]) -> Iterator[str]:
        """Text (or tool-call arguments) as it arrives, within the deadline; the stream is closed however
        this ends, which tells the server to stop generating."""
        deadline = time.monotonic() + self.timeout
        usage = None
        finished = False
        reason: str | None = None
        try:
            for chunk in stream:
                if chunk.usage is not None:
                    usage = chunk.usage
                for choice in chunk.choices[:1]:
                    reason = choice.finish_reason or reason
                    delta = choice.delta
                    if delta is not None and delta.content:
                        yield delta.content
                    for call in (delta.tool_calls or []) if delta is not None else []:
                        if call.function is not None and call.function.arguments:
                            yield call.function.arguments
                if time.monotonic() > deadline:
                    raise ModelError(self._timeout_message(), "timeout")
            if reason is None:
                # No finish reason: the server broke the reply off (llama.cpp does when another request arrives,
                # unless started with --interrupt_requests False). A cut reply must not pass for a whole one.
                raise ModelError(
                    f"The model server at {self.base_url} ended its reply without a finish reason (cut short).",
                    "http_error",
                )
            finished = True
        except (httpx.TimeoutException, openai.APITimeoutError) as e:
            raise ModelError(self._timeout_message(), "timeout") from e
        except (httpx.HTTPError, openai.OpenAIError, ValueError) as e:  # ValueError: a chunk that is not JSON
            raise ModelError(
                f"The model server at {self.base_url} broke off its reply: {brief_error(e)}", "http_error"
            ) from e
        finally:
            stream.close()
            if finished:
                self.stats.call(
                    usage.prompt_tokens if usage is not None else None,
                    usage.completion_tokens if usage is not None else None,
                )
            else:
                self.stats.failed_call()

    # ---- errors that say how to fix them

    def _timeout_message(self) -> str:
        return (
            f"The model server at KICKOFF_LLM_BASE_URL={self.base_url} did not finish within {self.timeout:g}s; "
            "the request was cancelled. Raise KICKOFF_LLM_TIMEOUT_S, lower KICKOFF_LLM_MAX_TOKENS, or use a "
            "faster model."
        )

    def _status_error(
        self, e: openai.APIStatusError, text: str, caps: Capabilities, schema: dict[str, Any] | None
    ) -> ModelError:
        where = f"KICKOFF_LLM_BASE_URL={self.base_url}"
        if isinstance(e, openai.AuthenticationError | openai.PermissionDeniedError):
            return ModelError(f"The server at {where} refused the API key: set KICKOFF_LLM_API_KEY.", "auth")
        if isinstance(e, openai.NotFoundError):
            return ModelError(
                f"The server at {where} answered 404: check that the URL ends with /v1 and that "
                f"KICKOFF_LLM_MODEL={self.model} is a model it serves.",
                "not_found",
            )
        if isinstance(e, openai.RateLimitError):
            return ModelError(f"The server at {where} is rate limiting; try later.", "rate_limited")
        if schema is not None and caps.mode == MODES[-1] and names_format(text):
            return ModelError(
                f"The server at {where} refused every structured-output form, plain prompting included "
                f"(HTTP {e.status_code}: {brief_error(text)}).",
                "format_rejected",
            )
        return ModelError(f"The model server at {where} returned HTTP {e.status_code}: {brief_error(e.message)}")

    def _client_error(self, e: openai.OpenAIError) -> ModelError:
        if isinstance(e, openai.APITimeoutError):
            return ModelError(self._timeout_message(), "timeout")
        if isinstance(e, openai.APIConnectionError):
            return ModelError(
                f"Could not reach KICKOFF_LLM_BASE_URL={self.base_url}: is the server running? ({brief_error(e)})",
                "unreachable",
            )
        return ModelError(f"The model call to {self.base_url} failed: {brief_error(e)}")


def _error_text(e: openai.APIStatusError) -> str:
    body = e.body if isinstance(e.body, str) else json.dumps(e.body) if e.body is not None else ""
    return f"{e.message} {body}"


def _change(old: Capabilities, new: Capabilities) -> str:
    changed = [f"{f.name}={getattr(new, f.name)}" for f in fields(new) if getattr(new, f.name) != getattr(old, f.name)]
    return ", ".join(changed)
