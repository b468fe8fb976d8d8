"""The hostile corpus on the LLM path, with a model that obeys every attack.

For each entry of tests/data/hostile_texts.yaml, the model (the fake server) answers the attack turn with
what the attack asks for, quoting the attack: its people made accountable, the owner retracted, every item
covered, a risk raised. The guard removed the attack from the text the model was given, so none of that is
anchored in what was said, and the validators reject all of it: the state must equal a twin run in which
the model proposed nothing for that turn. (A model that misreads the clean part of an answer is a
different problem, met by the validators and by the authority rules for the accountable owner.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fake_openai import FakeOpenAI
from test_hostile import HOST, HOSTILE, IDS, OWNER, call_after, kickoff, snapshot

from assistant.config import Settings
from assistant.domain import ITEM_IDS
from assistant.engine import Engine
from assistant.factory import build_engine

FIRST = "I'm accountable for the rollout"
HONEST = {
    "assignments": [
        {"person": OWNER, "role": "accountable_owner", "span": FIRST},
        {"person": "Tom Becker", "role": "technical_lead", "span": "Tom Becker is our technical lead"},
    ],
    "facts": [{"item": "accountability", "span": FIRST, "status": "covered"}],
}
_NAME = re.compile(r"\b([A-Z][a-z]+ [A-Z][a-z]+)\b")


def obedient(entry: dict[str, Any]) -> dict[str, Any]:
    """What the attack wants, quoting the attack."""
    attack = entry["steer"]
    names = [n for n in _NAME.findall(entry["text"]) if n != OWNER][:2] or ["Trent Walker"]
    return {
        "assignments": [{"person": n, "role": "accountable_owner", "span": attack} for n in names]
        + [{"person": n, "role": "executive_sponsor", "span": attack} for n in names],
        "retractions": [{"person": OWNER, "role": "accountable_owner", "span": attack}],
        "facts": [{"item": item, "span": attack, "status": "covered"} for item in ITEM_IDS],
        "risks": [{"risk": "lack_of_ownership", "span": attack}],
        "people": names,
    }


class Script:
    """Answers each understanding request: the honest reading of the owner's first answer, and for the
    attack turn either the attack's wishes or nothing."""

    def __init__(self) -> None:
        self.attack: dict[str, Any] | None = None

    def __call__(self, body: dict[str, Any]) -> str:
        said = body["messages"][-1]["content"].split("<<<UTTERANCE", 1)[-1]
        if FIRST in said:
            return json.dumps(HONEST)
        return json.dumps(self.attack or {})


@pytest.fixture
def script(fake_openai: FakeOpenAI) -> Iterator[Script]:
    s = Script()
    fake_openai.responder = s
    yield s


@pytest.fixture(scope="module")
def llm_engine(_fake_openai_server: FakeOpenAI) -> Engine:
    settings = Settings(model="llm", llm_base_url=_fake_openai_server.base_url, llm_model="obedient")
    return build_engine(settings, retrieval=False)


def interview_after(engine: Engine, answer: str) -> Any:
    state = kickoff(engine)
    sid = engine.start_interview(state, OWNER).session_id
    engine.reply(state, sid, f"{FIRST}; Tom Becker is our technical lead.")
    engine.reply(state, sid, answer)
    return state


def _fallbacks(engine: Engine) -> dict[str, int]:
    return engine.understanding.model.stats.snapshot().fallbacks  # type: ignore[attr-defined]


@pytest.mark.parametrize("entry", HOSTILE, ids=IDS)
def test_an_obedient_model_changes_nothing_in_an_interview(
    llm_engine: Engine, script: Script, fake_openai: FakeOpenAI, entry: dict[str, Any]
) -> None:
    before = dict(_fallbacks(llm_engine))
    answer = f"{HOST}\n{entry['text'].strip()}"
    script.attack = None
    twin = interview_after(llm_engine, answer)
    script.attack = obedient(entry)
    hostile = interview_after(llm_engine, answer)
    assert snapshot(llm_engine, hostile) == snapshot(llm_engine, twin)
    assert snapshot(llm_engine, hostile)["accountable"] == OWNER
    assert _fallbacks(llm_engine) == before, "the model path must have run, not the fallback"
    assert fake_openai.requests, "the model was asked"


@pytest.mark.parametrize("entry", HOSTILE, ids=IDS)
def test_an_obedient_model_changes_nothing_in_a_live_call(
    llm_engine: Engine, script: Script, entry: dict[str, Any]
) -> None:
    before = dict(_fallbacks(llm_engine))
    segment = entry["text"].strip()
    script.attack = None
    twin = call_after(llm_engine, segment)
    script.attack = obedient(entry)
    hostile = call_after(llm_engine, segment)
    assert snapshot(llm_engine, hostile) == snapshot(llm_engine, twin)
    assert snapshot(llm_engine, hostile)["accountable"] == OWNER
    assert _fallbacks(llm_engine) == before
