"""The LLM path for answering a stakeholder's question from retrieved playbook passages.

It returns None whenever it cannot give a grounded answer (model error, empty reply, no citation, or a
citation to a passage it was not given), so the engine falls back to its built-in, cited answer; each
fallback is counted by cause. With `on_token`, the reply's pieces are passed on as the model writes them
(a draft: the checks run on the whole reply, and the caller shows the final text).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from assistant.domain import Citation
from assistant.errors import ModelError
from assistant.models import ChatModel
from assistant.prompts import Prompt, load_prompt

log = logging.getLogger("kickoff.llm")

_CITE = re.compile(r"\[(\d+)\]")
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

    def __call__(
        self,
        question: str,
        passages: Sequence[PassageLike],
        brief: str,
        on_token: Callable[[str], None] | None = None,
    ) -> str | None:
        if not passages:
            return None  # nothing to ground an answer in
        messages = self.prompt.render(
            question=question.strip(), passages=format_passages(passages), brief=brief.strip() or "(none)"
        )
        self.model.stats.turn()
        try:
            answer = self._write(messages, on_token).strip()
        except ModelError as e:
            self._fall_back(e.cause, f"LLM answer failed ({e})")
            return None
        except OSError as e:  # a ChatModel other than our client: TimeoutError, ConnectionError
            self._fall_back("unreachable", f"LLM answer failed ({e})")
            return None
        cited = {int(n) for n in _CITE.findall(answer)}
        if not answer or not cited:
            self._fall_back("ungrounded", "LLM answer cited no passage")
            return None
        if not cited <= set(range(1, len(passages) + 1)):
            self._fall_back("ungrounded", f"LLM answer cited passages {sorted(cited)} of {len(passages)}")
            return None
        return answer

    def _write(self, messages: list[dict[str, str]], on_token: Callable[[str], None] | None) -> str:
        if on_token is None:
            return self.model.complete(messages)
        parts = []
        for piece in self.model.stream(messages):
            parts.append(piece)
            on_token(piece)
        return "".join(parts)

    def _fall_back(self, cause: str, why: str) -> None:
        self.model.stats.fallback(cause)
        log.warning("%s; using the built-in answer instead", why)


def answer_question(
    model: ChatModel, question: str, passages: Sequence[PassageLike], brief: str, prompts_dir: Path | None = None
) -> str | None:
    """One-off form of LLMAnswerer; None means the caller should fall back."""
    return LLMAnswerer(model, prompts_dir)(question, passages, brief)
