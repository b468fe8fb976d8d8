"""The one interface both understandings (built-in and LLM) implement."""

from __future__ import annotations

from typing import Protocol

from assistant.domain import Extraction, UnderstandingContext, Utterance


class Understanding(Protocol):
    name: str

    def understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction: ...
