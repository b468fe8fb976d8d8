"""The question an answer responds to reaches the understanding: a facilitator's question in a live call, the
engine's last question in an interview. A bare "That's all mine." is read against the question's words."""

from __future__ import annotations

import pytest

from assistant.config import get_settings
from assistant.domain import Extraction, UnderstandingContext, Utterance
from assistant.engine import Engine
from assistant.factory import build_engine
from assistant.live import add_segment, end_call, start_call
from assistant.state import KickoffState, Session
from assistant.transcripts import Segment


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine(get_settings(), model="builtin", retrieval=False)


class Recording:
    """Wraps an understanding and keeps every utterance it was given."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "recording")
        self.seen: list[Utterance] = []

    def understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction:
        self.seen.append(utt)
        return self.inner.understand(utt, ctx)  # type: ignore[attr-defined, no-any-return]


def _replay(engine: Engine, lines: list[tuple[str, str]]) -> KickoffState:
    state = engine.new_kickoff("k-qctx", brief="", title="Depot handhelds")
    call = start_call(engine, state, title="Kickoff call")
    for k, (speaker, text) in enumerate(lines):
        add_segment(engine, state, call.id, Segment(speaker=speaker, text=text, start=float(k * 10)))
    end_call(engine, state, call.id)
    return state


LINES = [
    ("Rosa Delgado", "Hi, Rosa Delgado, implementation lead from the vendor."),
    ("Hamid Karimi", "Hamid Karimi, depot operations."),
    ("Li Wen", "Li Wen, systems."),
    ("Rosa Delgado", "Who is accountable for the rollout on your side?"),
    ("Hamid Karimi", "That's me."),
    ("Rosa Delgado", "And the technical side: the scanners, wifi in the yard, the WMS interface?"),
    ("Li Wen", "That's all mine."),
]


def test_bare_ownership_answer_follows_the_facilitator_question(engine: Engine) -> None:
    state = _replay(engine, LINES)
    roles = {(r.person, r.role) for r in engine.charter(state).roles}
    assert ("Li Wen", "technical_lead") in roles
    assert ("Hamid Karimi", "accountable_owner") in roles
    assert engine.charter(state).accountable == "Hamid Karimi"  # no conflict from "That's all mine."


def test_live_utterance_carries_the_question_that_set_the_context(engine: Engine) -> None:
    rec = Recording(engine.understanding)
    eng = build_engine(get_settings(), model="builtin", retrieval=False)
    eng.understanding = rec  # type: ignore[assignment]
    _replay(eng, LINES)
    answer = next(u for u in rec.seen if u.text == "That's all mine.")
    assert answer.question == "And the technical side: the scanners, wifi in the yard, the WMS interface?"
    first = next(u for u in rec.seen if u.text == "That's me.")
    assert first.question == "Who is accountable for the rollout on your side?"


def test_interview_utterance_carries_the_engine_question(engine: Engine) -> None:
    rec = Recording(engine.understanding)
    eng = build_engine(get_settings(), model="builtin", retrieval=False)
    eng.understanding = rec  # type: ignore[assignment]
    state = eng.new_kickoff("k-qint", brief="", title="Depot handhelds")
    first = eng.start_interview(state, "Hamid Karimi")
    reply = eng.reply(state, first.session_id, "I'm accountable for it.")
    assert rec.seen[-1].question == first.question
    eng.reply(state, reply.session_id, "Not sure yet.")
    assert rec.seen[-1].question == reply.question


def test_sessions_stored_before_the_field_still_load() -> None:
    old = {"id": "c1", "kind": "call"}
    assert Session.model_validate(old).context_question is None
