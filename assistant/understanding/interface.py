"""The one interface every "understand" implementation has: built-in rules or an LLM."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from assistant.domain import Extraction, UnderstandingContext, Utterance


@runtime_checkable
class Understanding(Protocol):
    """Proposes what one utterance says: assignments, facts, risks, groups, corrections, questions.

    Implementations only propose. Validated engine code decides what enters the kickoff state.
    """

    name: str

    def understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction: ...
