"""The chat-model boundary: one small protocol, the configured client, and a scripted test double.

Habits borrowed from simonw/llm and pydantic-ai: a model is one small object; tests script it
(`ScriptedModel.enqueue(...)`); every error says how to fix it. The real client is in `openai_client`.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from assistant.errors import ModelError
from assistant.llm_stats import LLMStats

if TYPE_CHECKING:
    from assistant.config import Settings

Message = dict[str, str]


@runtime_checkable
class ChatModel(Protocol):
    """Anything that turns chat messages into a reply. With a schema, the reply should be JSON for it.

    `stream` yields the reply in pieces; closing it early cancels the request. `stats` counts calls,
    tokens and the fallbacks its callers made.
    """

    stats: LLMStats

    def complete(self, messages: list[Message], *, json_schema: dict[str, Any] | None = None) -> str: ...

    def stream(self, messages: list[Message]) -> Iterator[str]: ...


def model_from_settings(settings: Settings) -> ChatModel | None:
    """The configured chat model, or None when KICKOFF_MODEL=builtin (the offline default)."""
    if settings.model != "llm":
        return None
    if not settings.llm_base_url or not settings.llm_model:
        raise ModelError("KICKOFF_MODEL=llm needs KICKOFF_LLM_BASE_URL and KICKOFF_LLM_MODEL.")
    from assistant.openai_client import OpenAICompatibleModel

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key is not None else None
    return OpenAICompatibleModel(
        settings.llm_base_url,
        settings.llm_model,
        key,
        settings.llm_timeout_s,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
    )


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
    stats: LLMStats = field(default_factory=LLMStats)

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
            self.stats.failed_call()
            raise r
        self.stats.call(None, None)
        return r

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """The next reply, word by word, as a server would stream it."""
        reply = self.complete(messages)
        start = 0
        for i, ch in enumerate(reply):
            if ch == " ":
                yield reply[start : i + 1]
                start = i + 1
        if start < len(reply):
            yield reply[start:]
