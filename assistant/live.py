"""Live call mode: transcript segments into the engine, and a feed of events for the facilitator.

A question from the provider's side sets the checklist context for the client answers that follow
it; client statements go through the same guard, understanding and validators as interviews.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.domain import ITEM_IDS, ItemId, Side, Utterance
from assistant.engine import Engine, diff, project_phrase
from assistant.errors import InvalidInput
from assistant.gaps import Assessment
from assistant.people import same_person, strip_title
from assistant.state import KickoffState, Session, Turn

_PROVIDER_INTRO = re.compile(
    r"\b(?:the provider|provider's|provider side|vendor|supplier|implementation partner)\b",
    re.IGNORECASE,
)
# How sure the topic classifier must be before a question changes the context.
_TOPIC_MIN = 0.35


class Segment(BaseModel):
    speaker: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=20_000)
    start: float | None = Field(None, ge=0)
    end: float | None = Field(None, ge=0)
    id: str | None = Field(None, max_length=200)

    def key(self) -> str:
        return self.id or f"{self.speaker}|{self.start}|{' '.join(self.text.split())}"


class FeedEvent(BaseModel):
    kind: Literal["context", "coverage", "assignment", "flag_added", "flag_resolved", "quarantine", "suggestion"]
    segment: str = Field(description="The turn id of the segment that caused it")
    data: dict[str, Any]


class Suggestion(BaseModel):
    item: ItemId | None
    question: str
    reason: str


class GapReview(BaseModel):
    uncovered: list[Suggestion]
    missing_roles: list[Suggestion]
    open_risks: list[Suggestion]


def start_call(engine: Engine, state: KickoffState, title: str = "") -> Session:
    session = Session(id=state.next_id("c"), kind="call", title=title)
    for s in state.stakeholders:
        session.sides[s.name] = s.side
    state.sessions.append(session)
    state.version += 1
    return session


def set_side(state: KickoffState, call_id: str, speaker: str, side: Side) -> None:
    """The facilitator says which side a speaker is on; this wins over any guess."""
    state.session(call_id).sides[strip_title(speaker)] = side


def side_of(session: Session, speaker: str, text: str) -> Side:
    name = strip_title(speaker)
    for known, side in session.sides.items():
        if same_person(known, name):
            return side
    guess: Side = "provider" if _PROVIDER_INTRO.search(text) else "client"
    session.sides[name] = guess
    return guess


def add_segment(engine: Engine, state: KickoffState, call_id: str, seg: Segment) -> list[FeedEvent]:
    session = state.session(call_id)
    if session.kind != "call":
        raise InvalidInput(f"'{call_id}' is an interview, not a live call.")
    key = seg.key()
    if key in session.seen_segments or not seg.text.strip():
        return []
    session.seen_segments.append(key)
    before = engine.assess(state)
    side = side_of(session, seg.speaker, seg.text)
    turn = Turn(
        id=state.next_id("t"),
        session_id=session.id,
        role="participant",
        speaker=seg.speaker,
        text=seg.text,
        item=session.target,
        offset=seg.start,
    )
    state.turns.append(turn)
    events: list[FeedEvent] = []
    if side == "provider" and "?" in seg.text:
        question = seg.text[: seg.text.rfind("?") + 1]
        item, score = engine.topics.classify(question)
        if score >= _TOPIC_MIN and item != session.target:
            session.target = item
            events.append(FeedEvent(kind="context", segment=turn.id, data={"item": item, "score": round(score, 3)}))
    utt = Utterance(
        text=seg.text,
        speaker=seg.speaker,
        side=side,
        turn_id=turn.id,
        session_id=session.id,
        item=session.target,
        at=seg.start,
    )
    applied, _, _ = engine.understand_and_apply(state, utt)
    after = engine.assess(state)
    delta = diff(before, after, applied, state)
    events += _events(turn.id, before, after, delta.assignments, delta.quarantined)
    if delta.coverage or delta.assignments or delta.flags_added or delta.flags_resolved:
        s = suggest(engine, state, after)
        if s:
            events.append(FeedEvent(kind="suggestion", segment=turn.id, data=s.model_dump()))
    return events


def suggest(engine: Engine, state: KickoffState, a: Assessment | None = None) -> Suggestion | None:
    review = gap_review(engine, state, a)
    for group in (review.uncovered, review.missing_roles, review.open_risks):
        if group:
            return group[0]
    return None


def gap_review(engine: Engine, state: KickoffState, a: Assessment | None = None) -> GapReview:
    a = a or engine.assess(state)
    book = engine.book
    uncovered = [
        Suggestion(
            item=i.id,
            question=i.questions[0].replace("{project}", project_phrase(state)),
            reason=f"{i.title} is {'still open' if a.coverage[i.id] == 'open' else 'not discussed yet'}",
        )
        for i in book.items
        if a.coverage[i.id] != "covered"
    ]
    missing = [
        Suggestion(
            item=None,
            question=book.role(r).question,
            reason=f"Nobody holds {book.role(r).title.lower()} yet: {book.role(r).missing_explanation}",
        )
        for r in a.missing_roles
    ]
    risks = [
        Suggestion(
            item=None, question=book.risk(r).question, reason=f"{book.risk(r).title}: {book.risk(r).explanation}"
        )
        for r in a.risks
    ]
    return GapReview(uncovered=uncovered, missing_roles=missing, open_risks=risks)


def end_call(engine: Engine, state: KickoffState, call_id: str) -> GapReview:
    session = state.session(call_id)
    session.status = "closed"
    session.target = None
    state.version += 1
    return gap_review(engine, state)


def _events(
    turn_id: str, before: Assessment, after: Assessment, pairs: list[dict[str, str]], quarantined: list[str]
) -> list[FeedEvent]:
    events = [
        FeedEvent(
            kind="coverage", segment=turn_id, data={"item": i, "from": before.coverage[i], "to": after.coverage[i]}
        )
        for i in ITEM_IDS
        if before.coverage[i] != after.coverage[i]
    ]
    events += [FeedEvent(kind="assignment", segment=turn_id, data=p) for p in pairs]
    old = {f"{f.kind}:{f.id}": f for f in before.flags}
    new = {f"{f.kind}:{f.id}": f for f in after.flags}
    events += [
        FeedEvent(kind="flag_added", segment=turn_id, data={"flag": k, "explanation": new[k].explanation})
        for k in new
        if k not in old
    ]
    events += [FeedEvent(kind="flag_resolved", segment=turn_id, data={"flag": k}) for k in old if k not in new]
    events += [FeedEvent(kind="quarantine", segment=turn_id, data={"text": q}) for q in quarantined]
    return events
