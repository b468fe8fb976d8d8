"""The LLM "understand" step: any OpenAI-compatible chat model, schema-validated, with a built-in fallback.

The model only proposes an Extraction. Its output is parsed and validated with pydantic; a reply that does
not validate is sent back once with the validation errors (instructor's bounded re-ask). When the model
cannot be reached, times out, or still answers badly, the turn goes to the fallback (the built-in engine),
ONE warning is logged and the fallback is counted by cause on the model's stats. The engine then runs the
same validators on whatever came back, so a model that invents a person or a span still cannot write it
into the charter.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.domain import Extraction, UnderstandingContext, Utterance
from assistant.errors import ModelError
from assistant.models import ChatModel, Message
from assistant.prompts import load_prompt
from assistant.understanding.interface import Understanding
from assistant.understanding.lexicon import LEXICON

log = logging.getLogger("kickoff.llm")

_FENCE = re.compile(r"^\s*```(?:json|JSON)?\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)
_END_MARK = "UTTERANCE>>>"
# The same vocabulary the built-in rules read, as hints for the model (one place to add a word).
_VOCABULARY = LEXICON.describe(["channels", "training", "resistance", "ownership_gaps", "corrections"], per_class=24)


def parse_extraction(raw: str) -> Extraction:
    """The model's reply as an Extraction; ValueError (incl. pydantic's ValidationError) when it is not one."""
    text = raw.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        # strict=False: control characters inside strings, which a server's JSON grammar may allow.
        data: Any = json.loads(text, strict=False)
    except json.JSONDecodeError:
        # Small models like to wrap the object in prose; take the outermost {...} if there is one.
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            raise ValueError("the reply is not JSON: no JSON object found") from None
        try:
            data = json.loads(text[start : end + 1], strict=False)
        except json.JSONDecodeError as e:
            raise ValueError(f"the reply is not valid JSON: {e.msg} at position {e.pos}") from None
    if not isinstance(data, dict):
        raise ValueError(f"the reply is JSON but not an object (got {type(data).__name__})")
    return Extraction.model_validate(data)


def _describe(err: ValueError) -> str:
    """A short, model-readable list of what was wrong."""
    if isinstance(err, ValidationError):
        lines = []
        for e in err.errors()[:12]:
            loc = ".".join(str(p) for p in e["loc"]) or "(root)"
            lines.append(f"- {loc}: {e['msg']}")
        more = err.error_count() - len(lines)
        return "\n".join(lines) + (f"\n- ...and {more} more" if more > 0 else "")
    return f"- {err}"


def _people(names: list[str]) -> str:
    return ", ".join(names) if names else "(none)"


class LLMUnderstanding:
    """`Understanding` through a chat model, falling back to another implementation on any failure."""

    name = "llm"

    def __init__(
        self,
        model: ChatModel,
        fallback: Understanding,
        max_reasks: int = 1,
        prompts_dir: Path | None = None,
        rules: Understanding | None = None,
    ) -> None:
        """`rules` judges whether a text holds an explicit correction; without it, no model proposal may take a
        recorded role from someone without confirmation."""
        if max_reasks < 0:
            raise ValueError("max_reasks must be >= 0")
        self.model = model
        self.fallback = fallback
        self.rules = rules
        self.max_reasks = max_reasks
        # Loaded now, so a broken prompt file fails at start-up rather than on a stakeholder's answer.
        self.prompt = load_prompt("understand", prompts_dir)
        # The client sends it once, in whatever form the server accepts (request field or prompt).
        self.schema = Extraction.model_json_schema()

    def messages(self, utt: Utterance, ctx: UnderstandingContext) -> list[Message]:
        stakeholders = f"client side: {_people(ctx.stakeholders)}; provider side: {_people(ctx.provider_people)}"
        return self.prompt.render(
            item=utt.item or "none (a free answer or a live-call segment)",
            question=utt.question or "(not known)",
            vocabulary=_VOCABULARY,
            speaker=utt.speaker,
            side=utt.side,
            stakeholders=stakeholders + (f"; nicknames: {ctx.aliases}" if ctx.aliases else ""),
            recent_people=_people(ctx.recent_people),
            brief=ctx.brief.strip() or "(none)",
            # The utterance cannot close its own block early.
            text=utt.text.replace(_END_MARK, "UTTERANCE> > >"),
        )

    def understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction:
        messages = self.messages(utt, ctx)
        self.model.stats.turn()
        problem = ""
        for _attempt in range(self.max_reasks + 1):
            try:
                raw = self.model.complete(messages, json_schema=self.schema)
            except ModelError as e:
                return self._fall_back(utt, ctx, e.cause, f"model call failed: {e}")
            except OSError as e:  # a ChatModel other than our client: TimeoutError, ConnectionError
                return self._fall_back(utt, ctx, "unreachable", f"model call failed: {e}")
            try:
                return self._checked(parse_extraction(raw), utt, ctx)
            except ValueError as e:  # JSON or schema problems; ValidationError is a ValueError
                problem = _describe(e)
                messages = [
                    *messages,
                    {"role": "assistant", "content": raw[:4000]},
                    {
                        "role": "user",
                        "content": "Your reply did not validate against the schema:\n"
                        f"{problem}\nReply again with only the corrected JSON object.",
                    },
                ]
        return self._fall_back(
            utt, ctx, "invalid_content", f"no valid extraction after {self.max_reasks + 1} replies:\n{problem}"
        )

    def _checked(self, ext: Extraction, utt: Utterance, ctx: UnderstandingContext) -> Extraction:
        """Whether the text holds a correction is the rules' call, not the model's: a model that proposes taking
        a role from someone is only believed after the built-in reading recognises a correction too."""
        ext.correction_recognised = False
        if self.rules is not None and (ext.retractions or ext.assignments):
            ext.correction_recognised = self.rules.understand(utt, ctx).correction_recognised
        return ext

    def _fall_back(self, utt: Utterance, ctx: UnderstandingContext, cause: str, why: str) -> Extraction:
        self.model.stats.fallback(cause)
        log.warning(
            "LLM understanding failed for turn %s (%s); using %s understanding instead",
            utt.turn_id,
            why,
            getattr(self.fallback, "name", type(self.fallback).__name__),
        )
        return self.fallback.understand(utt, ctx)
