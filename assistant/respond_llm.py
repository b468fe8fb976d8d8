"""The LLM path for answering a stakeholder's question from retrieved playbook passages.

It returns None whenever it cannot give a grounded answer (model error, empty reply, no citation, or a
citation to a passage it was not given), so the engine falls back to its built-in, cited answer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from assistant.domain import Citation
from assistant.errors import ModelError
from assistant.models import ChatModel
from assistant.prompts import Prompt, load_prompt

log = logging.getLogger("kickoff.llm")

_CITE = re.compile(r"\[(\d+)\]")
_CALL_ERRORS = (ModelError, OSError)  # OSError covers TimeoutError and ConnectionError
_MAX_PASSAGE_CHARS = 2500


class PassageLike(Protocol):
    text: str
    citation: Citation


def format_passages(passages: Sequence[PassageLike]) -> str:
    """'[n] (source > heading)' then the passage text, the numbering the answer cites."""
    blocks = []
    for n, p in enumerate(passages, 1):
        where = " > ".join(x for x in (p.citation.source, p.citation.heading) if x)
        text = " ".join(p.text.split())[:_MAX_PASSAGE_CHARS]
        blocks.append(f"[{n}] ({where})\n{text}")
    return "\n\n".join(blocks)


class LLMAnswerer:
    """Callable as the engine's `Answerer`: (question, passages, brief) -> answer text or None."""

    def __init__(self, model: ChatModel, prompts_dir: Path | None = None) -> None:
        self.model = model
        self.prompt: Prompt = load_prompt("answer_question", prompts_dir)

    def __call__(self, question: str, passages: Sequence[PassageLike], brief: str) -> str | None:
        if not passages:
            return None  # nothing to ground an answer in
        messages = self.prompt.render(
            question=question.strip(), passages=format_passages(passages), brief=brief.strip() or "(none)"
        )
        try:
            answer = self.model.complete(messages).strip()
        except _CALL_ERRORS as e:
            log.warning("LLM answer failed (%s); using the built-in answer instead", e)
            return None
        cited = {int(n) for n in _CITE.findall(answer)}
        if not answer or not cited:
            log.warning("LLM answer cited no passage; using the built-in answer instead")
            return None
        if not cited <= set(range(1, len(passages) + 1)):
            log.warning(
                "LLM answer cited passages %s of %d; using the built-in answer instead", sorted(cited), len(passages)
            )
            return None
        return answer


def answer_question(
    model: ChatModel, question: str, passages: Sequence[PassageLike], brief: str, prompts_dir: Path | None = None
) -> str | None:
    """One-off form of LLMAnswerer; None means the caller should fall back."""
    return LLMAnswerer(model, prompts_dir)(question, passages, brief)
