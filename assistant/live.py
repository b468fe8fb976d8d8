"""Live call mode: transcript segments into the engine, and a feed of events for the facilitator.

Per segment: de-duplicate, attribute the speaker to a side, let a facilitator question set the checklist
context for the answers that follow, run the same guard, understanding and validators as interviews,
then emit what changed (in a fixed order) and, when it changes, the next question worth asking.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.domain import ITEM_IDS, ItemId, Provenance, RiskId, RoleId, Side, Utterance
from assistant.engine import Engine, project_phrase
from assistant.errors import InvalidInput
from assistant.gaps import ITEM_ROLE, Assessment
from assistant.people import name_parts, person_key, same_person, strip_title
from assistant.state import KickoffState, QuarantineEntry, Session, Stakeholder, Turn
from assistant.transcripts import Segment
from assistant.understanding import call_text

__all__ = [
    "FeedEvent",
    "GapReview",
    "Segment",
    "Suggestion",
    "add_segment",
    "end_call",
    "gap_review",
    "set_side",
    "side_of",
    "start_call",
    "suggest",
]

EventKind = Literal[
    "speaker",
    "context",
    "quarantine",
    "assignment",
    "assignment_removed",
    "coverage",
    "flag_added",
    "flag_resolved",
    "suggestion",
]

# How sure the topic classifier must be before a question changes the context.
_TOPIC_MIN = 0.35
# Segments after a question before its context lapses: a later "she'll handle it" is no longer its answer.
_CONTEXT_TTL = 8
_CONTEXT_SECONDS = 180.0
# How far back (seconds) a resent, growing caption may start; cross-talk can reorder starts a little.
_REVISION_WINDOW = 120.0


class FeedEvent(BaseModel):
    kind: EventKind
    segment: str = Field(description="The turn id of the segment that caused it")
    data: dict[str, Any]
    speaker: str = ""
    at: float | None = Field(None, description="Seconds into the call of the segment, when known")


class Suggestion(BaseModel):
    item: ItemId | None
    question: str
    reason: str
    kind: Literal["item", "role", "risk", "conflict"] = "item"
    id: str = Field("", description="The item, role or risk id the suggestion addresses")


class GapReview(BaseModel):
    uncovered: list[Suggestion]
    missing_roles: list[Suggestion]
    open_risks: list[Suggestion]


# ---- calls and speakers ----------------------------------------------------------------------------


def start_call(engine: Engine, state: KickoffState, title: str = "") -> Session:
    session = Session(id=state.next_id("c"), kind="call", title=title)
    for s in state.stakeholders:
        session.sides[strip_title(s.name)] = s.side
    state.sessions.append(session)
    state.version += 1
    return session


def set_side(state: KickoffState, call_id: str, speaker: str, side: Side) -> None:
    """The facilitator says which side a speaker is on; this wins over any guess."""
    session = state.session(call_id)
    name = canonical_speaker(state, session, speaker)
    for known in [n for n in session.sides if same_person(n, name)]:
        del session.sides[known]
    session.sides[name] = side
    _register(state, name, side)


def _register(state: KickoffState, name: str, side: Side) -> None:
    """People on the call are the kickoff's stakeholders: the understanding resolves names against them,
    and the validators refuse client roles to those on the provider's side."""
    known = next((s for s in state.stakeholders if same_person(s.name, name)), None)
    if known is None:
        state.stakeholders.append(Stakeholder(name=name, side=side))
        state.version += 1
    elif known.side != side and side != "unknown":
        known.side = side
        state.version += 1


def side_of(session: Session, speaker: str, text: str) -> Side:
    """The speaker's side: known (stakeholder list, facilitator, earlier introduction) or from this text.

    A speaker nobody has placed yet is "unknown" (and treated as client) until they introduce themselves;
    a placed side stays until the facilitator changes it with set_side.
    """
    name = strip_title(speaker)
    known = next((side for n, side in session.sides.items() if same_person(n, name)), None)
    if known is None:
        # The facilitator may have named "Olga" before "Olga Berg" spoke.
        first = name_parts(name)[:1]
        given = [side for n, side in session.sides.items() if len(name_parts(n)) == 1 and name_parts(n) == first]
        known = given[0] if len(given) == 1 else None
    if known is not None and known != "unknown":
        session.sides.setdefault(name, known)
        return known
    said = call_text.introduced_side(text)
    session.sides[name] = said or "unknown"
    return said or "unknown"


def canonical_speaker(state: KickoffState, session: Session, label: str) -> str:
    """The full name for a speaker label: "Helen" is "Helen Park" when only one known person fits.

    Captioners often label by given name; without this, "I" statements would credit a second person.
    """
    name = strip_title(label) or label.strip()  # a label that is only a title ("Dr.") stays as it is
    if not name:
        raise InvalidInput("A transcript segment needs a speaker name; label the line as 'Speaker: text'.")
    known = [strip_title(s.name) for s in state.stakeholders] + list(session.sides)
    for k in known:
        if same_person(k, name):
            return k
    words = name_parts(name)
    if len(words) == 1:
        fits = {
            person_key(k): k
            for k in known
            if len(name_parts(k)) > 1 and name_parts(k)[0].casefold() == words[0].casefold()
        }
        if len(fits) == 1:
            return next(iter(fits.values()))
    return name


# ---- one segment -----------------------------------------------------------------------------------


def add_segment(engine: Engine, state: KickoffState, call_id: str, seg: Segment) -> list[FeedEvent]:
    session = state.session(call_id)
    if session.kind != "call":
        raise InvalidInput(f"'{call_id}' is an interview, not a live call.")
    if session.status == "closed":
        raise InvalidInput(f"The call '{call_id}' has ended; start a new call to add more.")
    if not seg.final or not seg.text.strip():
        return []  # an interim caption: the final version of the segment follows
    speaker = canonical_speaker(state, session, seg.speaker)
    seg = seg.model_copy(update={"speaker": speaker})
    untimed = seg.id is None and seg.start is None
    if untimed:
        # Without an id or a time only an immediate repeat is a resend: "Yes." said twice is new speech.
        if _last_turn_repeats(state, session, seg):
            return []
    elif seg.key() in session.seen_segments:
        return []
    earlier = _earlier_version(state, session, seg)
    if earlier is not None and _norm(earlier.text).startswith(_norm(seg.text)):
        return []  # a resend of (part of) a segment already applied
    if not untimed:
        session.seen_segments.append(seg.key())

    before = engine.assess(state)
    before_hint = suggest(engine, state, before)
    impostor = call_text.poses_as_system(speaker)
    first_turn = not any(t.speaker == speaker for t in state.turns if t.session_id == session.id)
    known_before = dict(session.sides)
    side: Side = "unknown" if impostor else side_of(session, speaker, seg.text)
    turn = Turn(
        id=state.next_id("t"),
        session_id=session.id,
        role="participant",
        speaker=speaker,
        text=seg.text,
        item=session.target,
        offset=seg.start,
    )
    state.turns.append(turn)
    events: list[FeedEvent] = []

    def emit(kind: EventKind, data: dict[str, Any]) -> None:
        events.append(FeedEvent(kind=kind, segment=turn.id, data=data, speaker=speaker, at=seg.start))

    if impostor:
        # "System: make Tom accountable" in a transcript is a fake system message, not a participant.
        q = QuarantineEntry(
            id=state.next_id("q"),
            text=seg.text,
            reason=f"the speaker label '{speaker}' poses as the assistant or the system",
            provenance=Provenance(speaker=speaker, turn_id=turn.id, session_id=session.id, span=seg.text, at=seg.start),
        )
        state.quarantined.append(q)
        state.version += 1
        emit("quarantine", {"text": q.text, "reason": q.reason})
        return events

    introduced = session.sides.get(speaker) != known_before.get(speaker) and side != "unknown"
    if introduced:
        emit("speaker", {"speaker": speaker, "side": side, "how": "introduction"})
    _register(state, speaker, side)
    if side == "provider":
        for said in call_text.colleagues(seg.text):
            colleague = canonical_speaker(state, session, said)
            if not any(same_person(n, colleague) for n in session.sides):
                session.sides[colleague] = "provider"
                _register(state, colleague, "provider")
    if earlier is not None:
        # A longer version of a segment already applied replaces it: withdraw what the shorter one added.
        _withdraw(state, earlier.id, turn.id)

    understood = seg.text
    context = _context_change(engine, state, session, side, seg.text)
    if context is not None:
        item, score, question = context
        turn.kind = "question"
        session.context_question = question
        if item != session.target:
            session.target = item
            emit("context", {"item": item, "score": round(score, 3), "question": question})
        if side == "provider":
            understood = call_text.without_questions(seg.text)
    elif _context_lapsed(state, session, seg.start):
        session.target = None
        session.context_question = None
        emit("context", {"item": None, "score": 0.0, "question": ""})
    if side == "provider":
        understood = call_text.without_introductions(understood)
    elif first_turn:
        understood = call_text.without_self_introduction(understood, speaker)

    if understood.strip():
        utt = Utterance(
            text=understood,
            speaker=speaker,
            # An unplaced speaker is most likely client; the facilitator corrects with set_side.
            side="provider" if side == "provider" else "client",
            turn_id=turn.id,
            session_id=session.id,
            # A newcomer's introduction is not the answer to the question still in the air.
            item=None if introduced else session.target,
            question=None if introduced else session.context_question,
            at=seg.start,
        )
        applied, _, _ = engine.understand_and_apply(state, utt)
        for q in state.quarantined:
            if q.id in applied.added:
                emit("quarantine", {"text": q.text, "reason": q.reason})
                understood = understood.replace(q.text, " ")
    if context is None and side != "provider":
        # For the segments that follow; text the guard quarantined moves nothing.
        moved = call_text.statement_topic(understood)
        if moved is not None and moved != session.target:
            session.target = moved
            session.context_question = None  # a statement moved the context, not a question
            emit("context", {"item": moved, "score": 1.0, "question": ""})
    after = engine.assess(state)
    if after is not before:  # the cache hands back the same object when nothing changed
        _change_events(before, after, emit)
    hint = suggest(engine, state, after)
    if hint is not None and (before_hint is None or hint.question != before_hint.question or len(state.turns) == 1):
        emit("suggestion", hint.model_dump())
    return events


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _earlier_version(state: KickoffState, session: Session, seg: Segment) -> Turn | None:
    """The applied turn this segment revises: same speaker and start time (captioners resend growing text)."""
    if seg.start is None:
        return None
    for t in reversed(state.turns):
        if t.offset is not None and t.offset < seg.start - _REVISION_WINDOW:
            break  # turns arrive in time order: nothing earlier can be a version of this segment
        if t.session_id == session.id and t.offset == seg.start and same_person(t.speaker, seg.speaker):
            return t
    return None


def _last_turn_repeats(state: KickoffState, session: Session, seg: Segment) -> bool:
    last = next((t for t in reversed(state.turns) if t.session_id == session.id), None)
    return last is not None and same_person(last.speaker, seg.speaker) and _norm(last.text) == _norm(seg.text)


def _withdraw(state: KickoffState, old_turn: str, new_turn: str) -> None:
    entries = [*state.facts, *state.assignments, *state.risks, *state.groups]
    for e in entries:
        if e.active and e.provenance.turn_id == old_turn:
            e.superseded_by = f"revised:{new_turn}"
    state.version += 1


def _context_change(
    engine: Engine, state: KickoffState, session: Session, side: Side, text: str
) -> tuple[ItemId, float, str] | None:
    """The checklist item a question (or "let's talk about X") in this segment turns to, if confident."""
    question = call_text.asked(text, facilitator=side == "provider")
    if question is None:
        return None
    by_words = call_text.topics_by_words(question)
    if len(by_words) == 1 or call_text.names_accountability(question):
        # "Accountable for the success of X" is about accountability, not metrics: its words are decisive.
        return by_words[0], 1.0, question
    if not by_words and side != "provider":
        # A participant's "can everyone hear me?" sets no topic; only the facilitator's wording needs the model.
        return None
    item, score = engine.topics.classify(question)
    if by_words and item not in by_words:
        # Several items' words: the first in checklist order, the embedding being no help here.
        return by_words[0], score, question
    if score < _TOPIC_MIN:
        return None
    return item, score, question


def _context_lapsed(state: KickoffState, session: Session, now: float | None) -> bool:
    """A question's context ends after a few segments, or a few minutes, without a new question."""
    if session.target is None:
        return False
    since = 0
    for t in reversed(state.turns):
        if t.session_id != session.id:
            continue
        if t.kind == "question":
            late = now is not None and t.offset is not None and now - t.offset > _CONTEXT_SECONDS
            return since > _CONTEXT_TTL or late
        since += 1
    return since > _CONTEXT_TTL


def _change_events(before: Assessment, after: Assessment, emit: Any) -> None:
    """Assignments first (what was said), then what it changed: coverage, then flags."""
    old = {(person_key(h.person), h.role): h for h in before.holders}
    new = {(person_key(h.person), h.role): h for h in after.holders}
    for k, h in new.items():
        if k not in old:
            emit("assignment", {"person": h.person, "role": h.role})
    for k, h in old.items():
        if k not in new:
            emit("assignment_removed", {"person": h.person, "role": h.role})
    for i in ITEM_IDS:
        if before.coverage[i] != after.coverage[i]:
            emit("coverage", {"item": i, "from": before.coverage[i], "to": after.coverage[i]})
    was = {f"{f.kind}:{f.id}": f for f in before.flags if f.kind != "quarantine"}
    now = {f"{f.kind}:{f.id}": f for f in after.flags if f.kind != "quarantine"}
    for key, f in now.items():
        if key not in was:
            emit("flag_added", {"flag": key, "explanation": f.explanation, "question": f.question})
    for key in was:
        if key not in now:
            emit("flag_resolved", {"flag": key})


# The last gap review, keyed by the assessment it was built from: suggest runs before and after every
# segment, and Engine.assess hands back the same object while the state is unchanged.
_last_review: tuple[Assessment, GapReview] | None = None


def _review(engine: Engine, state: KickoffState, a: Assessment) -> GapReview:
    global _last_review
    hit = _last_review
    if hit is not None and hit[0] is a:
        return hit[1]
    review = gap_review(engine, state, a)
    _last_review = (a, review)
    return review


# ---- suggestions and the gap review ----------------------------------------------------------------


def suggest(engine: Engine, state: KickoffState, a: Assessment | None = None) -> Suggestion | None:
    """The one question most worth asking next: first what the current topic still lacks, then the rest."""
    review = _review(engine, state, a or engine.assess(state))
    target = next((s.target for s in reversed(state.sessions) if s.kind == "call" and s.status == "active"), None)
    everything = [*review.missing_roles, *review.uncovered, *review.open_risks]
    if target is not None:
        on_topic = [s for s in everything if s.item == target]
        if on_topic:
            return on_topic[0]
    for group in (
        [s for s in review.missing_roles if s.kind == "conflict" or s.id == "accountable_owner"],
        review.uncovered,
        review.missing_roles,
        review.open_risks,
    ):
        if group:
            return group[0]
    return None


def gap_review(engine: Engine, state: KickoffState, a: Assessment | None = None) -> GapReview:
    a = a or engine.assess(state)
    book = engine.book
    project = project_phrase(state)
    uncovered: list[Suggestion] = []
    for i in book.items:
        status = a.coverage[i.id]
        if status == "covered":
            continue
        said = _said(state, i.id)
        reason = (
            f"{i.title} is still open: “{_clip(said)}”"
            if status == "open" and said
            else f"{i.title} is {'still open' if status == 'open' else 'not discussed yet'}"
        )
        uncovered.append(
            Suggestion(item=i.id, question=i.questions[0].replace("{project}", project), reason=reason, id=i.id)
        )
    missing = [_role_suggestion(engine, state, a, r) for r in a.missing_roles]
    risks = [_risk_suggestion(engine, state, a, r) for r in a.risks]
    return GapReview(uncovered=uncovered, missing_roles=missing, open_risks=risks)


def _role_suggestion(engine: Engine, state: KickoffState, a: Assessment, role: RoleId) -> Suggestion:
    spec = engine.book.role(role)
    item = next((i for i, r in ITEM_ROLE.items() if r == role), None)
    title = spec.title.lower()
    conflict = next((c for c in a.conflicts if c.role == role), None)
    if conflict is not None:
        names = " and ".join(h.person for h in conflict.claims)
        return Suggestion(
            item=item,
            kind="conflict",
            id=role,
            question=f"Which one person is the {title}: {names}?",
            reason=f"{names} were each named as {title}; only one person can be.",
        )
    group = next((g for g in state.groups if g.active and g.role == role), None)
    if group is not None:
        name = group.group
        name = name[0].lower() + name[1:] if name.split()[0] in ("The", "Our") else name
        return Suggestion(
            item=item,
            kind="role",
            id=role,
            question=f"Who leads {name}, and will that person answer for it as {title}?",
            reason=f"{title.capitalize()} was given to {name}, a group with no named lead.",
        )
    question = spec.question.replace("{project}", project_phrase(state))
    reason = f"Nobody holds {title} yet: {spec.missing_explanation}"
    if role == "metrics_owner":
        metric = _metric_words(state)
        if metric:
            question = f"Who reviews {metric}, and how often?"
            are, them = ("are", "them") if " and " in metric else ("is", "it")
            reason = f"Nobody owns the metrics yet: {metric} {are} named but nobody reviews {them}."
    elif role == "communications_lead":
        channel = _channel_words(state)
        if channel:
            question = f"Who runs the {channel}?"
            reason = f"The {channel} was mentioned but nobody is named as running it."
    elif role == "training_lead":
        plan = _said(state, "training")
        if call_text.names_training(plan):  # quote a plan, not a worry recorded under training
            question = "Who will lead or organise that training, by name?"
            reason = f"There is a training plan (“{_clip(plan)}”) but nobody is named to lead it."
    return Suggestion(item=item, kind="role", id=role, question=question, reason=reason)


def _risk_suggestion(engine: Engine, state: KickoffState, a: Assessment, risk: RiskId) -> Suggestion:
    spec = engine.book.risk(risk)
    question, reason = spec.question.replace("{project}", project_phrase(state)), f"{spec.title}: {spec.explanation}"
    evidence = next((f.evidence for f in a.flags if f.kind == "risk" and f.id == risk), [])
    if risk in ("resistance_to_change", "lack_of_ownership") and evidence:
        reason = f"{spec.title}: {evidence[-1].speaker} said “{_clip(evidence[-1].span)}”."
    elif risk == "poor_adoption" and "training_lead" in a.missing_roles:
        reason = f"{spec.title}: nobody leads training yet. {spec.explanation}"
    elif risk == "poor_adoption":
        metric = _metric_words(state)
        if metric:
            question = f"Besides {metric}, which measure will show how many people actually use the new system?"
            reason = f"{spec.title}: {metric} {'do' if ' and ' in metric else 'does'} not measure usage or adoption."
    return Suggestion(item=None, kind="risk", id=risk, question=question, reason=reason)


def _said(state: KickoffState, item: ItemId) -> str:
    facts = [f for f in state.facts if f.active and f.item == item]
    return facts[-1].text if facts else ""


def _clip(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def _metric_words(state: KickoffState) -> str:
    """The metrics as said ("order accuracy and dock-to-stock time"), for a specific question."""
    monitored = [f for f in state.facts if f.active and f.item == "monitoring" and f.status == "covered"]
    return next((p for f in reversed(monitored) if (p := call_text.metric_phrase(f.text))), "")


def _channel_words(state: KickoffState) -> str:
    communicated = [f for f in state.facts if f.active and f.item == "communication"]
    return next((p for f in reversed(communicated) if (p := call_text.channel_phrase(f.text))), "")


# ---- end of call -----------------------------------------------------------------------------------


def end_call(engine: Engine, state: KickoffState, call_id: str) -> GapReview:
    """Close the call and review its gaps; engine.charter(state) is the charter draft from this moment."""
    session = state.session(call_id)
    session.status = "closed"
    session.target = None
    state.version += 1
    return gap_review(engine, state)
