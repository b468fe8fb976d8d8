"""Counts of what the LLM path did: calls, tokens, and fallbacks to the built-in path by cause.

A run where every call fell back must not read like a run where the model did the work, so every
fallback is counted with its cause, and the eval report and `/healthz` show the figures.
"""

from __future__ import annotations

import threading

from pydantic import BaseModel, Field

# Causes a fallback can have. The first group is the integration's fault (server, network, protocol);
# the second is the model's (it answered, but not usably).
PROTOCOL_CAUSES = ("unreachable", "timeout", "auth", "not_found", "rate_limited", "format_rejected", "http_error")
CONTENT_CAUSES = ("empty_reply", "invalid_content", "ungrounded")
CAUSES = PROTOCOL_CAUSES + CONTENT_CAUSES


class LLMUsage(BaseModel):
    """A snapshot of the counters (or the difference of two snapshots)."""

    calls: int = Field(0, description="Requests sent to the model server, re-asks and retries included")
    failed_calls: int = Field(0, description="Requests that ended in an error")
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls_without_usage: int = Field(0, description="Completed calls whose server reported no token counts")
    turns: int = Field(0, description="Understanding and answering steps that asked the model")
    fallbacks: dict[str, int] = Field(default_factory=dict, description="Steps handed to the built-in path, by cause")

    @property
    def fallback_total(self) -> int:
        return sum(self.fallbacks.values())

    @property
    def protocol_fallbacks(self) -> int:
        return sum(n for cause, n in self.fallbacks.items() if cause in PROTOCOL_CAUSES)

    @property
    def fallback_rate(self) -> float:
        return self.fallback_total / self.turns if self.turns else 0.0

    def minus(self, earlier: LLMUsage) -> LLMUsage:
        causes = set(self.fallbacks) | set(earlier.fallbacks)
        return LLMUsage(
            calls=self.calls - earlier.calls,
            failed_calls=self.failed_calls - earlier.failed_calls,
            prompt_tokens=self.prompt_tokens - earlier.prompt_tokens,
            completion_tokens=self.completion_tokens - earlier.completion_tokens,
            calls_without_usage=self.calls_without_usage - earlier.calls_without_usage,
            turns=self.turns - earlier.turns,
            fallbacks={c: n for c in sorted(causes) if (n := self.fallbacks.get(c, 0) - earlier.fallbacks.get(c, 0))},
        )


class LLMStats:
    """Thread-safe counters, one per model endpoint, shared by every engine that uses it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._usage = LLMUsage()

    def call(self, prompt_tokens: int | None, completion_tokens: int | None) -> None:
        with self._lock:
            self._usage.calls += 1
            if prompt_tokens is None or completion_tokens is None:
                self._usage.calls_without_usage += 1
            else:
                self._usage.prompt_tokens += prompt_tokens
                self._usage.completion_tokens += completion_tokens

    def failed_call(self) -> None:
        with self._lock:
            self._usage.calls += 1
            self._usage.failed_calls += 1

    def turn(self) -> None:
        with self._lock:
            self._usage.turns += 1

    def fallback(self, cause: str) -> None:
        if cause not in CAUSES:
            raise ValueError(f"unknown fallback cause {cause!r}; expected one of {', '.join(CAUSES)}")
        with self._lock:
            self._usage.fallbacks[cause] = self._usage.fallbacks.get(cause, 0) + 1

    def snapshot(self) -> LLMUsage:
        with self._lock:
            return self._usage.model_copy(deep=True)


_ENDPOINT_STATS: dict[tuple[str, str], LLMStats] = {}
_REGISTRY_LOCK = threading.Lock()


def stats_for(base_url: str, model: str) -> LLMStats:
    """The process-wide counters of one endpoint (engines are built per tenant; the counts are not)."""
    with _REGISTRY_LOCK:
        return _ENDPOINT_STATS.setdefault((base_url.rstrip("/"), model), LLMStats())
