"""The stakeholder simulator: plays a scenario against the engine, as people would.

Interview scenarios: every stakeholder is interviewed in order, in the same kickoff. Each reply
is the scenario's answer for the item the assistant's question targets, or "I don't know" when
the stakeholder has none. A stakeholder's own questions (`asks`) are sent one per turn, starting
right after their first real answer. A stakeholder ends the interview once they have been asked
about every item they can speak to and have sent every question; a cap on assistant questions
stops a runaway interview. Transcript scenarios are fed line by line through the live-call mode.

Everything is logged with the engine's turn ids so the report can point at the turn that went wrong.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.domain import ItemId
from assistant.engine import AssistantTurn, Engine
from assistant.live import Segment, add_segment, end_call, start_call
from assistant.state import KickoffState, Stakeholder
from evals.scenario import IDK, Scenario, StakeholderSpec

DEFAULT_TURN_CAP = 25


class Question(BaseModel):
    """One question the assistant asked (the on-topic check runs over these)."""

    turn_id: str
    stakeholder: str
    kind: str
    item: ItemId
    text: str
    similarity: float | None = None
    on_topic: bool | None = None


class Message(BaseModel):
    """One thing the simulated people said: an answer, an "I don't know", an ask, or a call line."""

    n: int = Field(description="1-based position in the scenario's conversation")
    speaker: str
    kind: Literal["answer", "dont_know", "ask", "segment"]
    text: str
    item: ItemId | None = Field(default=None, description="The item the answered question targeted")
    after_turn: str | None = Field(default=None, description="The assistant turn this message replied to")


class Ask(BaseModel):
    question: str
    answer: str | None
    citations: int


class Interview(BaseModel):
    stakeholder: str
    session_id: str
    questions: int = 0
    ended_by: Literal["assistant", "stakeholder", "cap"] = "assistant"
    closing: str = ""


class Run(BaseModel):
    mode: Literal["interview", "live"]
    interviews: list[Interview] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    asks: list[Ask] = Field(default_factory=list)
    feed_events: int = 0
    cap_hit: bool = False
    problems: list[str] = Field(default_factory=list, description="Odd engine behaviour worth reporting")

    @property
    def question_count(self) -> int:
        return sum(i.questions for i in self.interviews)


def simulate(engine: Engine, state: KickoffState, scenario: Scenario, cap: int = DEFAULT_TURN_CAP) -> Run:
    if scenario.transcript is not None:
        return _live(engine, state, scenario)
    run = Run(mode="interview")
    for spec in scenario.stakeholders or []:
        _interview(engine, state, spec, run, cap)
    return run


def _interview(engine: Engine, state: KickoffState, spec: StakeholderSpec, run: Run, cap: int) -> None:
    engine.add_stakeholder(state, Stakeholder(name=spec.name, title=spec.title))
    turn = engine.start_interview(state, spec.name)
    log = Interview(stakeholder=spec.name, session_id=turn.session_id)
    run.interviews.append(log)
    asked: set[ItemId] = set()
    asks = list(spec.asks)
    answered_once = False
    sent_ask: str | None = None
    pending: ItemId | None = None  # the item whose question an ask interrupted
    while True:
        if sent_ask is not None:
            run.asks.append(Ask(question=sent_ask, answer=turn.answer, citations=len(turn.citations)))
            if not turn.answer:
                run.problems.append(f'{spec.name}\'s question got no answer (turn {turn.turn_id}): "{sent_ask}"')
        if turn.done:
            log.closing = turn.text
            break
        item = turn.target_item
        if item is None or turn.question is None:
            run.problems.append(f"turn {turn.turn_id} is neither a question nor a closing; ending the interview")
            _end(engine, state, log, "stakeholder")
            break
        # The interrupted question asked again after answering the stakeholder's own is not a new one.
        if not (sent_ask is not None and item == pending):
            log.questions += 1
            run.questions.append(
                Question(turn_id=turn.turn_id, stakeholder=spec.name, kind=turn.kind, item=item, text=turn.question)
            )
        if sent_ask is not None and pending is not None and item != pending:
            run.problems.append(
                f"after {spec.name}'s question the assistant moved on from {pending} to {item} "
                f"without its answer (turn {turn.turn_id})"
            )
        if log.questions >= cap:
            run.cap_hit = True
            run.problems.append(f"{spec.name}'s interview reached the cap of {cap} questions")
            _end(engine, state, log, "cap")
            break
        everything_asked = set(spec.answers) <= asked
        if everything_asked and not asks:
            _end(engine, state, log, "stakeholder")
            break
        if asks and sent_ask is None and (answered_once or everything_asked):
            sent_ask = asks.pop(0)
            pending = item
            _say(run, spec.name, "ask", sent_ask, None, turn)
            turn = engine.reply(state, log.session_id, sent_ask)
            continue
        sent_ask = None
        asked.add(item)
        text = spec.answers.get(item)
        if text is not None:
            answered_once = True
        _say(run, spec.name, "answer" if text is not None else "dont_know", text or IDK, item, turn)
        turn = engine.reply(state, log.session_id, text or IDK)
    never = [i for i in spec.answers if i not in asked]
    if never:
        # The simulated stakeholder only answers what is asked, so these answers never reached the engine.
        run.problems.append(f"{spec.name} was never asked about {', '.join(never)}, so those answers were not given")


MessageKind = Literal["answer", "dont_know", "ask", "segment"]


def _say(run: Run, speaker: str, kind: MessageKind, text: str, item: ItemId | None, turn: AssistantTurn) -> None:
    run.messages.append(
        Message(n=len(run.messages) + 1, speaker=speaker, kind=kind, text=text, item=item, after_turn=turn.turn_id)
    )


def _end(engine: Engine, state: KickoffState, log: Interview, by: Literal["stakeholder", "cap"]) -> None:
    closing = engine.end_interview(state, log.session_id)
    log.ended_by = by
    log.closing = closing.text


def _live(engine: Engine, state: KickoffState, scenario: Scenario) -> Run:
    run = Run(mode="live")
    session = start_call(engine, state, title=scenario.title)
    for n, line in enumerate(scenario.transcript or [], start=1):
        run.messages.append(Message(n=n, speaker=line.speaker, kind="segment", text=line.text))
        seg = Segment.model_validate({"speaker": line.speaker, "text": line.text, "id": f"line-{n}"})
        events = add_segment(engine, state, session.id, seg)
        run.feed_events += len(events)
    end_call(engine, state, session.id)
    return run
