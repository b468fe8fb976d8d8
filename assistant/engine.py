"""The facilitation engine: one utterance in, a state change and the assistant's reply out.

utterance -> guard -> understand -> apply (validated) -> assess -> decide -> respond.
The chat, the API and the live call are thin adapters over this class; it keeps no state of its own.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Callable
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from assistant.apply import Applied, apply_extraction
from assistant.charter import Charter, build_charter
from assistant.domain import (
    ITEM_IDS,
    Citation,
    Coverage,
    Extraction,
    ItemId,
    Provenance,
    UnderstandingContext,
    Utterance,
)
from assistant.errors import InvalidInput, KickoffError
from assistant.gaps import ITEM_ROLE, Assessment, assess, project_phrase
from assistant.people import name_parts, strip_title
from assistant.playbook import Playbook
from assistant.state import FactEntry, KickoffState, Session, Stakeholder, Turn
from assistant.topics import TopicClassifier
from assistant.understanding.guard import screen
from assistant.understanding.interface import Understanding

log = logging.getLogger("kickoff.engine")
_SURROGATE = re.compile("[\ud800-\udfff]")

TurnKind = Literal["question", "follow_up", "confirm", "answer", "closing"]
TokenSink = Callable[[str], None]


class PassageLike(Protocol):
    text: str
    citation: Citation


class Retriever(Protocol):
    def search(self, query: str, k: int) -> list[PassageLike]: ...


class Answerer(Protocol):
    """Writes the answer to a stakeholder's question from passages (the LLM path); None means fall back.
    `on_token` receives the draft's pieces as they are written."""

    def __call__(
        self, question: str, passages: list[PassageLike], brief: str, on_token: TokenSink | None = None
    ) -> str | None: ...


class StateDelta(BaseModel):
    version: int
    added: list[str] = Field(default_factory=list)
    superseded: list[str] = Field(default_factory=list)
    rejected: list[str] = Field(default_factory=list)
    coverage: dict[ItemId, Coverage] = Field(default_factory=dict, description="Items whose coverage changed")
    assignments: list[dict[str, str]] = Field(default_factory=list, description="New (person, role) pairs")
    flags_added: list[str] = Field(default_factory=list)
    flags_resolved: list[str] = Field(default_factory=list)
    quarantined: list[str] = Field(default_factory=list, description="Quoted text that was ignored")


class AssistantTurn(BaseModel):
    turn_id: str
    session_id: str
    kind: TurnKind
    text: str = Field(description="The whole reply shown to the stakeholder")
    question: str | None = Field(None, description="The question asked, on its own")
    target_item: ItemId | None = Field(None, description="The checklist item the question targets")
    answer: str | None = Field(None, description="The answer to the stakeholder's own question")
    citations: list[Citation] = Field(default_factory=list)
    delta: StateDelta
    done: bool = False


def flag_keys(a: Assessment) -> set[str]:
    return {f"{f.kind}:{f.id}" for f in a.flags}


def diff(before: Assessment, after: Assessment, applied: Applied, state: KickoffState) -> StateDelta:
    new_pairs = [{"person": x.person, "role": x.role} for x in state.assignments if x.id in set(applied.added)]
    quarantined = [q.text for q in state.quarantined if q.id in set(applied.added)]
    return StateDelta(
        version=state.version,
        added=applied.added,
        superseded=applied.superseded,
        rejected=applied.rejected,
        coverage={i: after.coverage[i] for i in ITEM_IDS if after.coverage[i] != before.coverage[i]},
        assignments=new_pairs,
        flags_added=sorted(flag_keys(after) - flag_keys(before)),
        flags_resolved=sorted(flag_keys(before) - flag_keys(after)),
        quarantined=quarantined,
    )


def _stamp(state: KickoffState) -> tuple[int, ...]:
    """Changes whenever the assessment can: every change bumps the version, and the lengths also
    catch an append that did not."""
    lists = (state.facts, state.assignments, state.risks, state.groups, state.quarantined, state.people)
    return (state.version, len(state.stakeholders), *(len(x) for x in lists))


class Engine:
    def __init__(
        self,
        book: Playbook,
        understanding: Understanding,
        retriever: Retriever | None = None,
        answerer: Answerer | None = None,
        max_turns: int = 30,
        max_chars: int = 8000,
    ) -> None:
        self.book = book
        self.understanding = understanding
        self.retriever = retriever
        self.answerer = answerer
        self.max_turns = max_turns
        self.max_chars = max_chars
        self._topics: TopicClassifier | None = None
        self._assessed: tuple[weakref.ref[KickoffState], tuple[int, ...], Assessment] | None = None

    @property
    def topics(self) -> TopicClassifier:
        """Built on first use: it embeds the checklist's wording once."""
        if self._topics is None:
            self._topics = TopicClassifier(self.book)
        return self._topics

    # ---- kickoffs and stakeholders ----

    def new_kickoff(
        self, kickoff_id: str, brief: str, title: str = "", stakeholders: list[Stakeholder] | None = None
    ) -> KickoffState:
        state = KickoffState(id=kickoff_id, title=title.strip(), brief=brief.strip())
        for s in stakeholders or []:
            self.add_stakeholder(state, s)
        return state

    def add_stakeholder(self, state: KickoffState, s: Stakeholder) -> Stakeholder:
        existing = state.stakeholder(s.name)
        if existing:
            return existing
        s = s.model_copy(update={"name": s.name.strip()})
        state.stakeholders.append(s)
        state.version += 1
        return s

    # ---- understanding one utterance (shared by interviews and live calls) ----

    def context(self, state: KickoffState) -> UnderstandingContext:
        recent: list[str] = []
        for a in state.assignments:
            if a.person not in recent:
                recent.append(a.person)
        return UnderstandingContext(
            brief=state.brief,
            stakeholders=[strip_title(s.name) for s in state.stakeholders if s.side != "provider"],
            provider_people=[strip_title(s.name) for s in state.stakeholders if s.side == "provider"]
            + [n for sess in state.sessions for n, side in sess.sides.items() if side == "provider"],
            recent_people=[p for p in state.people if p not in recent][-8:] + recent[-8:],
            aliases=dict(state.aliases),
        )

    def check_text(self, text: str) -> None:
        """InvalidInput for text the state cannot hold: over the limit, or not encodable as UTF-8."""
        if len(text) > self.max_chars:
            raise InvalidInput(f"The message is {len(text)} characters; the limit is {self.max_chars}.")
        if _SURROGATE.search(text):
            # Lone surrogates (e.g. from a JSON "\\ud800" escape) would make the state unserialisable.
            raise InvalidInput("The message holds invalid Unicode (a lone surrogate); send it as UTF-8 text.")

    def understand_and_apply(self, state: KickoffState, utt: Utterance) -> tuple[Applied, list[str], bool]:
        """Guard, understand and apply. Returns what changed, questions asked, and 'don't know'."""
        self.check_text(utt.text)
        guarded = screen(utt.text)
        clean = utt.model_copy(update={"text": guarded.clean})
        ctx = self.context(state)
        ext = self.understanding.understand(clean, ctx) if guarded.clean.strip() else None
        ext = ext or Extraction()
        applied = apply_extraction(state, clean, ctx, ext, guarded.quarantined)
        return applied, ext.questions, ext.dont_know

    # ---- interviews ----

    def start_interview(self, state: KickoffState, stakeholder: str) -> AssistantTurn:
        person = state.stakeholder(stakeholder) or self.add_stakeholder(state, Stakeholder(name=stakeholder))
        if person.side == "provider":
            raise InvalidInput(f"{person.name} is on the provider's side; interviews are for client stakeholders.")
        session = Session(id=state.next_id("s"), kind="interview", stakeholder=person.name)
        state.sessions.append(session)
        before = self.assess(state)
        first = name_parts(person.name)[:1] or [person.name]
        hello = (
            f"Hello {first[0]}, I'm Kickoff. I'll ask a few questions about {project_phrase(state)} so we can "
            "agree who is accountable for what. Short answers are fine."
        )
        return self._ask_next(state, session, before, Applied(), prefix=hello)

    def reply(
        self, state: KickoffState, session_id: str, text: str, on_token: TokenSink | None = None
    ) -> AssistantTurn:
        """The assistant's turn. `on_token` sees the model's draft of an answer as it is written; the turn's
        text is what counts (it differs when the draft fails its checks)."""
        session = state.session(session_id)
        if session.kind != "interview":
            raise InvalidInput(f"'{session_id}' is a live call; send transcript segments to it instead.")
        if session.status == "closed":
            raise InvalidInput(f"The interview '{session_id}' is closed; start a new one to add more.")
        if not text.strip():
            raise InvalidInput("The message is empty; type an answer, or a question for the assistant.")
        self.check_text(text)  # before the turn is recorded, so a refused message leaves the state as it was
        before = self.assess(state)
        speaker = session.stakeholder or "unknown"
        turn = Turn(
            id=state.next_id("t"),
            session_id=session.id,
            role="stakeholder",
            speaker=speaker,
            text=text,
            item=session.target,
        )
        state.turns.append(turn)
        holder = state.stakeholder(speaker)
        utt = Utterance(
            text=text,
            speaker=speaker,
            speaker_title=holder.title if holder else None,
            side="client",
            turn_id=turn.id,
            session_id=session.id,
            item=session.target,
            # the last question the engine asked in this interview: the last paragraph of its last turn
            question=next(
                (
                    t.text.rsplit("\n\n", 1)[-1].strip() or None
                    for t in reversed(state.turns)
                    if t.session_id == session.id and t.role == "assistant"
                ),
                None,
            ),
        )
        applied, questions, dont_know = self.understand_and_apply(state, utt)
        target = session.target
        touched = self._touched(state, applied, target)
        for item in touched:
            if item not in session.touched:
                session.touched.append(item)
        answer: str | None = None
        citations: list[Citation] = []
        if questions:
            answer, citations = self.answer_question(state, " ".join(questions), on_token)
        substantive = bool(applied.added or applied.superseded or applied.rejected)
        prefix = answer or ""
        if target is not None:
            if dont_know and target not in session.touched:
                session.unknown.append(target)
            elif questions and target not in touched:
                # A question instead of an answer: answer it, then return to the pending item.
                return self._emit(
                    state,
                    session,
                    before,
                    applied,
                    "answer",
                    prefix,
                    self._question_for(state, session, target, "question"),
                    target,
                    answer,
                    citations,
                )
            elif self._needs_follow_up(state, session, target, touched, substantive):
                session.vague.append(target)
                q = self._follow_up(state, target)
                return self._emit(state, session, before, applied, "follow_up", prefix, q, target, answer, citations)
            elif target in session.vague and not substantive and not dont_know:
                self._mark_open(state, session, target, turn)
        return self._ask_next(state, session, before, applied, prefix=prefix, answer=answer, citations=citations)

    def end_interview(self, state: KickoffState, session_id: str) -> AssistantTurn:
        """Close an interview early (the stakeholder has nothing more), with the summary."""
        session = state.session(session_id)
        if session.kind != "interview":
            raise InvalidInput(f"'{session_id}' is a live call; end it as a call.")
        before = self.assess(state)
        return self._close(state, session, before, Applied(), "", None, [])

    def _touched(self, state: KickoffState, applied: Applied, target: ItemId | None) -> list[ItemId]:
        """Items this answer settled, so they are not asked again: the item asked about, any other
        item its facts now cover, and accountability when it named an owner. `roles` is asked on its
        own, since naming one person in passing does not answer who holds the other roles."""
        ids = set(applied.added)
        coverage = self.assess(state).coverage
        items: list[ItemId] = [
            f.item
            for f in state.facts
            if f.id in ids and (f.item == target or (f.item != "roles" and coverage[f.item] == "covered"))
        ]
        if any(a.id in ids and a.role == "accountable_owner" for a in state.assignments) or any(
            g.id in ids and g.role == "accountable_owner" for g in state.groups
        ):
            items.append("accountability")
        return list(dict.fromkeys(items))

    def _needs_follow_up(
        self, state: KickoffState, session: Session, target: ItemId, touched: list[ItemId], substantive: bool
    ) -> bool:
        if target in session.vague:
            return False
        if not substantive:
            return True
        a = self.assess(state)
        if target in touched and a.coverage[target] == "covered":
            # Metrics named but nobody reviewing them: worth one follow-up for the owner.
            return target == "monitoring" and "metrics_owner" in a.missing_roles
        return target in touched and a.coverage[target] == "open" and target in ITEM_ROLE

    def _follow_up(self, state: KickoffState, target: ItemId) -> str:
        if target == "monitoring" and "metrics_owner" in self.assess(state).missing_roles:
            text = self.book.role("metrics_owner").question
        else:
            text = self.book.item(target).follow_ups[0]
        return text.replace("{project}", project_phrase(state))

    def _mark_open(self, state: KickoffState, session: Session, target: ItemId, turn: Turn) -> None:
        """A second vague answer: record the item as open so the charter shows the gap."""
        if self.assess(state).coverage[target] == "covered":
            return
        state.facts.append(
            FactEntry(
                id=state.next_id("f"),
                item=target,
                text=turn.text,
                status="open",
                provenance=Provenance(speaker=turn.speaker, turn_id=turn.id, session_id=session.id, span=turn.text),
            )
        )
        state.version += 1

    def next_item(self, state: KickoffState, session: Session) -> tuple[ItemId | None, TurnKind]:
        coverage = dict(self.assess(state).coverage)
        if not any(sess.asked.get("roles") for sess in state.sessions):
            # Naming the owner (or their duties) covers `roles`, but who holds the other roles is
            # still worth asking early: later answers often use first names introduced there.
            coverage["roles"] = "open"
        done = set(session.touched) | set(session.unknown) | {i for i, n in session.asked.items() if n}
        todo = [i.id for i in self.book.items if i.id not in done]
        for item in todo:
            if coverage[item] != "covered":
                return item, "question"
        for item in todo:
            return item, "confirm"
        return None, "closing"

    def _question_for(self, state: KickoffState, session: Session, item: ItemId, kind: TurnKind) -> str:
        spec = self.book.item(item)
        if kind == "confirm":
            text = spec.confirm_question
        else:
            n = sum(1 for s in state.sessions if s.kind == "interview") - 1
            text = spec.questions[n % len(spec.questions)]
        return text.replace("{project}", project_phrase(state))

    def _ask_next(
        self,
        state: KickoffState,
        session: Session,
        before: Assessment,
        applied: Applied,
        prefix: str = "",
        answer: str | None = None,
        citations: list[Citation] | None = None,
    ) -> AssistantTurn:
        asked = sum(1 for t in state.turns if t.session_id == session.id and t.role == "assistant")
        item, kind = self.next_item(state, session)
        if item is None or asked >= self.max_turns:
            return self._close(state, session, before, applied, prefix, answer, citations or [])
        question = self._question_for(state, session, item, kind)
        return self._emit(state, session, before, applied, kind, prefix, question, item, answer, citations or [])

    def _emit(
        self,
        state: KickoffState,
        session: Session,
        before: Assessment,
        applied: Applied,
        kind: TurnKind,
        prefix: str,
        question: str,
        item: ItemId,
        answer: str | None,
        citations: list[Citation],
    ) -> AssistantTurn:
        session.target = item
        session.asked[item] = session.asked.get(item, 0) + 1
        text = f"{prefix}\n\n{question}".strip() if prefix else question
        turn = Turn(
            id=state.next_id("t"),
            session_id=session.id,
            role="assistant",
            speaker="Kickoff",
            text=text,
            item=item,
            kind=kind,
            citations=citations,
        )
        state.turns.append(turn)
        return AssistantTurn(
            turn_id=turn.id,
            session_id=session.id,
            kind=kind if not answer else "answer",
            text=text,
            question=question,
            target_item=item,
            answer=answer,
            citations=citations,
            delta=diff(before, self.assess(state), applied, state),
        )

    def _close(
        self,
        state: KickoffState,
        session: Session,
        before: Assessment,
        applied: Applied,
        prefix: str,
        answer: str | None,
        citations: list[Citation],
    ) -> AssistantTurn:
        session.status = "closed"
        session.target = None
        after = self.assess(state)
        text = "\n\n".join(x for x in (prefix, self.summary(after)) if x)
        turn = Turn(
            id=state.next_id("t"),
            session_id=session.id,
            role="assistant",
            speaker="Kickoff",
            text=text,
            kind="closing",
            citations=citations,
        )
        state.turns.append(turn)
        return AssistantTurn(
            turn_id=turn.id,
            session_id=session.id,
            kind="closing",
            text=text,
            answer=answer,
            citations=citations,
            delta=diff(before, after, applied, state),
            done=True,
        )

    def summary(self, a: Assessment) -> str:
        covered = [self.book.item(i).title for i in ITEM_IDS if a.coverage[i] == "covered"]
        open_ = [self.book.item(i).title for i in ITEM_IDS if a.coverage[i] == "open"]
        lines = ["Thank you, that's all I need from you for now. Here is what we have so far:"]
        lines.append(f"- Accountable owner: {a.accountable or 'nobody yet'}")
        lines.append(f"- Covered: {', '.join(covered) or 'nothing yet'}")
        if open_:
            lines.append(f"- Still open: {', '.join(open_)}")
        if a.missing_roles:
            lines.append("- Missing roles: " + ", ".join(self.book.role(r).title for r in a.missing_roles))
        if a.risks:
            lines.append("- Risks: " + ", ".join(self.book.risk(r).title for r in a.risks))
        return "\n".join(lines)

    # ---- answering a stakeholder's question from the playbook ----

    def answer_question(
        self, state: KickoffState, question: str, on_token: TokenSink | None = None
    ) -> tuple[str, list[Citation]]:
        if self.retriever is None:
            return (
                "I can't look that up right now: the playbook index is not available, so this answer has "
                "no citations. Let's carry on with the interview."
            ), []
        try:
            passages = self.retriever.search(question, 3)
        except KickoffError as e:
            log.warning("retrieval unavailable: %s", e)
            return (
                "I can't reach the playbook right now, so citations are unavailable for this answer. "
                "Let's carry on with the interview."
            ), []
        if not passages:
            return "The playbook has nothing on that yet.", []
        if self.answerer is not None:
            written = self.answerer(question, passages, state.brief, on_token)
            if written:
                return written, [p.citation for p in passages]
        top = passages[0]
        return (f"From the playbook ({top.citation.heading}): {_first_sentences(top.text)} [1]", [top.citation])

    def charter(self, state: KickoffState) -> Charter:
        return build_charter(state, self.book)

    def assess(self, state: KickoffState) -> Assessment:
        """Coverage, roles and flags. A pure function of the state that one turn asks for several
        times, so the last result is kept until the state changes (every change bumps its stamp)."""
        stamp = _stamp(state)
        hit = self._assessed
        if hit is not None and hit[0]() is state and hit[1] == stamp:
            return hit[2]
        a = assess(state, self.book)
        self._assessed = (weakref.ref(state), stamp, a)
        return a


def _first_sentences(text: str, limit: int = 420) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > 80 else cut.rstrip() + "…"
