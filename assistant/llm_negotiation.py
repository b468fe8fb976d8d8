"""What an OpenAI-compatible endpoint accepts, learned from the errors it answers with and remembered.

Servers differ: OpenAI and vLLM take `response_format: json_schema`; llama-cpp-python's server answers it
with HTTP 500 ("Input should be 'text' or 'json_object'"); reasoning models refuse `max_tokens` and
`temperature`; some chat templates refuse a system message. Rather than a table of servers, the client
sends the strongest request, reads the error, drops what the server named, retries, and remembers the
result for the endpoint, so only the first call of a process pays for it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any

# Structured-output modes, strongest first. Each later one asks less of the server; "prompt" asks nothing
# and relies on the prompt and a tolerant parse.
MODES = ("json_schema", "tools", "json_object_schema", "json_object", "prompt")
# Modes in which the server does not see the schema, so the prompt must carry it.
SCHEMA_IN_PROMPT = frozenset({"json_object", "prompt"})

_NOT_ABOUT_SHAPE = frozenset({401, 403, 404, 408, 429})
_FORMAT_WORDS = ("response_format", "response format", "json_schema", "json schema", "json_object", "'text'", "tool")
_REFUSAL_WORDS = ("extra", "unrecognized", "unknown", "not supported", "unsupported", "not permitted", "invalid")


@dataclass(frozen=True)
class Capabilities:
    """What to send to one endpoint. Starts optimistic; `adapt` only ever takes things away."""

    mode: str = MODES[0]
    token_param: str = "max_tokens"
    temperature: bool = True
    system_role: bool = True
    stream_usage: bool = True


def adapt(caps: Capabilities, status: int, error_text: str, *, structured: bool) -> Capabilities | None:
    """The capabilities that avoid what this error complains about, or None when it is not about the request's
    shape (bad key, overload, a real server fault), in which case retrying would not help."""
    if status in _NOT_ABOUT_SHAPE:
        return None
    text = error_text.lower()
    refuses = any(w in text for w in _REFUSAL_WORDS)
    if caps.stream_usage and ("stream_options" in text or "include_usage" in text):
        return replace(caps, stream_usage=False)
    if caps.token_param == "max_tokens" and "max_tokens" in text and ("max_completion_tokens" in text or refuses):
        return replace(caps, token_param="max_completion_tokens")
    if caps.temperature and "temperature" in text:
        return replace(caps, temperature=False)
    if caps.system_role and "role" in text and ("system" in text or "alternate" in text):
        return replace(caps, system_role=False)
    if structured and caps.mode != MODES[-1] and names_format(text):
        return replace(caps, mode=MODES[MODES.index(caps.mode) + 1])
    return None


def names_format(error_text: str) -> bool:
    """Whether an error blames the structured-output part of the request."""
    text = error_text.lower()
    refuses = any(w in text for w in _REFUSAL_WORDS)
    return any(w in text for w in _FORMAT_WORDS) or ("schema" in text and refuses)


def request_shape(caps: Capabilities, schema: dict[str, Any] | None, schema_name: str) -> dict[str, Any]:
    """The request keys that ask for structured output in the endpoint's current mode."""
    if schema is None:
        return {}
    if caps.mode == "json_schema":
        return {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "schema": schema, "strict": False},
            }
        }
    if caps.mode == "tools":
        tool = {"type": "function", "function": {"name": schema_name, "parameters": schema}}
        return {"tools": [tool], "tool_choice": {"type": "function", "function": {"name": schema_name}}}
    if caps.mode == "json_object_schema":  # llama.cpp turns the extra "schema" into a grammar
        return {"response_format": {"type": "json_object", "schema": schema}}
    if caps.mode == "json_object":
        return {"response_format": {"type": "json_object"}}
    return {}


class EndpointMemory:
    """Capabilities per (base URL, model), shared by every client in the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._caps: dict[tuple[str, str], Capabilities] = {}

    def get(self, base_url: str, model: str) -> Capabilities:
        with self._lock:
            return self._caps.get((base_url.rstrip("/"), model), Capabilities())

    def learn(self, base_url: str, model: str, old: Capabilities, new: Capabilities) -> None:
        with self._lock:
            key = (base_url.rstrip("/"), model)
            # Another thread may have learnt the same lesson already; never undo a stricter one.
            if self._caps.get(key, Capabilities()) == old:
                self._caps[key] = new

    def forget(self) -> None:
        with self._lock:
            self._caps.clear()


ENDPOINTS = EndpointMemory()
