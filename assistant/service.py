"""The service layer: every surface (HTTP API, UI) drives the engine through these tenant-scoped calls.

Each call that changes a kickoff runs in one store transaction with the kickoff's row locked: read the
state, let the engine work on it, write the state, the charter version, the audit entry (and the
idempotency record) back, commit. A crash before the commit leaves nothing; after it, everything.
Nothing is cached between calls except stateless engines, so any process can serve any kickoff.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from assistant.apply import decide_pending
from assistant.charter import Charter, to_docx, to_markdown
from assistant.config import Settings
from assistant.domain import Citation, Coverage, ItemId, RiskId, RoleId, now
from assistant.engine import AssistantTurn, Engine, TokenSink
from assistant.errors import InvalidInput, KickoffError, NotFound
from assistant.gaps import Assessment
from assistant.knowledge.index import DocumentInfo, IngestedFile, KnowledgeBase, Passage
from assistant.knowledge.loaders import is_supported
from assistant.state import CharterEdit, KickoffState, PendingChange, Session, Stakeholder, Turn
from assistant.store import Store, new_id
from assistant.store.models import AuditRow, CallEventRow, CharterVersionRow, IdempotencyRow, KickoffRow, TenantRow

ASSISTANT_AUTHOR = "kickoff-assistant"
# "Has a character that str.strip() keeps" (\s alone differs between regex engines on \x1c-\x1f), and no
# NUL anywhere: PostgreSQL text columns cannot hold it.
NONBLANK = r"^[^\x00]*[^\s\x00\x1c-\x1f][^\x00]*$"
NO_NUL = r"^[^\x00]*$"


class IdempotencyConflict(InvalidInput):
    """An Idempotency-Key was reused for a different request."""


class Conflict(InvalidInput):
    """The request is valid but the resource's state forbids it (a closed interview, an ended call): HTTP 409."""


class UnsupportedType(InvalidInput):
    """An upload of a file type the knowledge base cannot read: HTTP 415."""


class TooLarge(InvalidInput):
    """A message or upload is over its limit (HTTP 413)."""


# ---- schemas at the service boundary (XCreate for input, XPublic for output) -----------------------


class Principal(BaseModel):
    """Who is calling: the tenant behind the API key."""

    tenant_id: str
    tenant_name: str

    @property
    def actor(self) -> str:
        return f"tenant:{self.tenant_name}"


class StakeholderCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, pattern=NONBLANK)
    title: str | None = Field(None, max_length=200)
    side: Literal["client", "provider"] = "client"


class KickoffCreate(BaseModel):
    brief: str = Field(
        min_length=1, max_length=20_000, pattern=NONBLANK, description="What is being deployed, for whom"
    )
    title: str = Field("", max_length=300, pattern=NO_NUL)
    stakeholders: list[StakeholderCreate] = Field(default_factory=list, max_length=100)


class SessionPublic(BaseModel):
    id: str
    kind: Literal["interview", "call"]
    stakeholder: str | None
    title: str
    status: Literal["active", "closed"]
    target_item: ItemId | None


class KickoffSummary(BaseModel):
    id: str
    title: str
    brief: str
    version: int
    created_at: datetime
    updated_at: datetime


class KickoffPublic(KickoffSummary):
    stakeholders: list[Stakeholder]
    sessions: list[SessionPublic]
    coverage: dict[ItemId, Coverage]
    accountable: str | None


class TurnPublic(BaseModel):
    id: str
    role: Literal["assistant", "stakeholder", "participant"]
    speaker: str
    text: str
    item: ItemId | None
    kind: str
    at: datetime
    citations: list[Citation] = Field(default_factory=list, description="Playbook passages an answer cited")


class InterviewCreate(BaseModel):
    stakeholder: str = Field(min_length=1, max_length=200, pattern=NONBLANK, description="Who is interviewed")


class InterviewPublic(SessionPublic):
    turns: list[TurnPublic]


class InterviewStarted(BaseModel):
    interview_id: str
    turn: AssistantTurn


class MessageCreate(BaseModel):
    # No max_length here: an over-long message answers 413 (checked before the engine), not 422.
    text: str = Field(min_length=1, pattern=NONBLANK, description="The stakeholder's answer or question")


class CharterEditCreate(BaseModel):
    author: str = Field(min_length=1, max_length=200, pattern=NONBLANK, description="The person making the edit")
    sections: dict[ItemId, str] = Field(min_length=1, description="Section → the text the person adds or corrects")
    note: str = Field("", max_length=2000, pattern=NO_NUL)


class PendingDecision(BaseModel):
    decision: Literal["accept", "reject"]
    author: str = Field(min_length=1, max_length=200, pattern=NONBLANK, description="The person deciding")
    note: str = Field("", max_length=2000, pattern=NO_NUL)


class PendingChangePublic(BaseModel):
    """A change to someone's recorded role that waits for a person to confirm it."""

    id: str
    role: RoleId
    person: str | None = Field(description="Who would hold the role; null when it would only be removed")
    replaces: list[str] = Field(description="Who holds it now (the people the change would replace)")
    said_by: str
    words: str = Field(description="The exact words it came from")
    status: Literal["pending", "accepted", "rejected"]
    decided_by: str | None
    note: str


class CharterVersionPublic(BaseModel):
    version: int
    author: str
    note: str
    created_at: datetime


class AuditPublic(BaseModel):
    id: int
    kickoff_id: str | None
    actor: str
    action: str
    detail: dict[str, Any]
    at: datetime


class GapsPublic(BaseModel):
    coverage: dict[ItemId, Coverage]
    accountable: str | None
    missing_roles: list[RoleId]
    risks: list[RiskId]
    open_items: list[ItemId]
    suggestions: list[dict[str, Any]] = Field(description="Questions that would close the gaps, most important first")


class CallCreate(BaseModel):
    title: str = Field("", max_length=300, pattern=NO_NUL)


class SegmentCreate(BaseModel):
    speaker: str = Field(min_length=1, max_length=200, pattern=NONBLANK)
    text: str = Field(min_length=1, description="What was said")
    start: float | None = Field(None, ge=0)
    end: float | None = Field(None, ge=0)
    id: str | None = Field(None, max_length=200, description="The transcriber's segment id; repeats are ignored")


class CallEventPublic(BaseModel):
    cursor: int = Field(description="Pass as ?after= (or Last-Event-ID) to resume after this event")
    kind: str
    segment: str
    data: dict[str, Any]


class SegmentResult(BaseModel):
    applied: bool = Field(description="False when the segment was a duplicate or empty")
    events: list[CallEventPublic]


class CallEnded(BaseModel):
    call_id: str
    uncovered: list[dict[str, Any]]
    missing_roles: list[dict[str, Any]]
    open_risks: list[dict[str, Any]]


class DocumentPublic(BaseModel):
    source: str
    chunks: int


class PassagePublic(BaseModel):
    text: str
    source: str
    heading: str
    score: float


# ---- the service -------------------------------------------------------------------------------

EngineFactory = Callable[[str], Engine]


def _session_public(s: Session) -> SessionPublic:
    return SessionPublic(
        id=s.id, kind=s.kind, stakeholder=s.stakeholder, title=s.title, status=s.status, target_item=s.target
    )


def _turn_public(t: Turn) -> TurnPublic:
    return TurnPublic(
        id=t.id, role=t.role, speaker=t.speaker, text=t.text, item=t.item, kind=t.kind, at=t.at, citations=t.citations
    )


def request_hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


class KickoffService:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        engine_for: EngineFactory | None = None,
        kb: KnowledgeBase | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self._kb = kb
        self._engine_for = engine_for or self._default_engine
        # Engines are stateless (no kickoff data), so one per tenant is kept to skip rebuilding them.
        self._engines: dict[str, Engine] = {}
        self._lock = threading.Lock()

    @property
    def kb(self) -> KnowledgeBase:
        with self._lock:
            if self._kb is None:
                self._kb = KnowledgeBase(self.settings)
            return self._kb

    def _default_engine(self, tenant_id: str) -> Engine:
        from assistant.factory import build_engine

        return build_engine(self.settings, kb=self.kb, tenant=tenant_id)

    def engine(self, tenant_id: str) -> Engine:
        with self._lock:
            cached = self._engines.get(tenant_id)
        if cached is not None:
            return cached
        built = self._engine_for(tenant_id)
        with self._lock:
            if len(self._engines) > 256:
                self._engines.clear()
            return self._engines.setdefault(tenant_id, built)

    # ---- transaction helpers ---------------------------------------------------------------------

    def _row(self, s: DbSession, p: Principal, kickoff_id: str, lock: bool = False) -> KickoffRow:
        q = select(KickoffRow).where(KickoffRow.id == kickoff_id, KickoffRow.tenant_id == p.tenant_id)
        if lock:
            q = q.with_for_update()  # PostgreSQL row lock; SQLite already holds the write lock (BEGIN IMMEDIATE)
        row = s.scalar(q)
        if row is None:
            raise NotFound(f"No kickoff '{kickoff_id}'. List yours with GET /v1/kickoffs.")
        return row

    @contextmanager
    def _locked(self, p: Principal, kickoff_id: str) -> Iterator[tuple[DbSession, KickoffRow, KickoffState]]:
        with self.store.write() as s:
            row = self._row(s, p, kickoff_id, lock=True)
            yield s, row, KickoffState.model_validate_json(row.state)

    def _load(self, p: Principal, kickoff_id: str) -> tuple[KickoffRow, KickoffState]:
        with self.store.read() as s:
            row = self._row(s, p, kickoff_id)
            return row, KickoffState.model_validate_json(row.state)

    def _save(
        self,
        s: DbSession,
        p: Principal,
        row: KickoffRow,
        state: KickoffState,
        action: str,
        detail: dict[str, Any],
        author: str = ASSISTANT_AUTHOR,
        note: str = "",
        actor: str | None = None,
    ) -> None:
        """Write the state back; a changed state also gets a charter version. Same transaction as the caller."""
        changed = state.version != row.version
        row.state = state.model_dump_json()
        row.version = state.version
        row.updated_at = now()
        if changed:
            charter = self.engine(p.tenant_id).charter(state)
            s.add(
                CharterVersionRow(
                    kickoff_id=row.id,
                    version=state.version,
                    charter=charter.model_dump_json(),
                    author=author,
                    note=note,
                    created_at=now(),
                )
            )
        self._audit(s, p, row.id, action, {**detail, "version": state.version}, actor)

    def _audit(
        self, s: DbSession, p: Principal, kickoff_id: str | None, action: str, detail: dict[str, Any], actor: str | None
    ) -> None:
        s.add(
            AuditRow(
                tenant_id=p.tenant_id,
                kickoff_id=kickoff_id,
                actor=actor or p.actor,
                action=action,
                detail=json.dumps(detail, default=str),
                at=now(),
            )
        )

    def _public(self, row: KickoffRow, state: KickoffState, tenant_id: str) -> KickoffPublic:
        a = self.engine(tenant_id).assess(state)
        return KickoffPublic(
            id=row.id,
            title=row.title,
            brief=row.brief,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            stakeholders=state.stakeholders,
            sessions=[_session_public(x) for x in state.sessions],
            coverage=a.coverage,
            accountable=a.accountable,
        )

    # ---- kickoffs ----------------------------------------------------------------------------------

    def create_kickoff(self, p: Principal, data: KickoffCreate) -> KickoffPublic:
        engine = self.engine(p.tenant_id)
        kid = new_id("ko_")
        state = engine.new_kickoff(
            kid, data.brief, data.title, [Stakeholder(**x.model_dump()) for x in data.stakeholders]
        )
        with self.store.write() as s:
            if s.get(TenantRow, p.tenant_id) is None:
                raise NotFound("This API key's tenant no longer exists.")
            row = KickoffRow(
                id=kid,
                tenant_id=p.tenant_id,
                title=state.title,
                brief=state.brief,
                state="{}",
                version=-1,  # forces the first charter version in _save
                created_at=now(),
                updated_at=now(),
            )
            s.add(row)
            s.flush()
            self._save(s, p, row, state, "kickoff.create", {"title": state.title}, note="created")
        return self._public(row, state, p.tenant_id)

    def list_kickoffs(self, p: Principal, limit: int = 50, offset: int = 0) -> list[KickoffSummary]:
        with self.store.read() as s:
            rows = s.scalars(
                select(KickoffRow)
                .where(KickoffRow.tenant_id == p.tenant_id)
                .order_by(KickoffRow.created_at.desc(), KickoffRow.id)
                .limit(limit)
                .offset(offset)
            )
            return [
                KickoffSummary(
                    id=r.id,
                    title=r.title,
                    brief=r.brief,
                    version=r.version,
                    created_at=r.created_at,
                    updated_at=r.updated_at,
                )
                for r in rows
            ]

    def get_kickoff(self, p: Principal, kickoff_id: str) -> KickoffPublic:
        row, state = self._load(p, kickoff_id)
        return self._public(row, state, p.tenant_id)

    def get_state(self, p: Principal, kickoff_id: str) -> KickoffState:
        return self._load(p, kickoff_id)[1]

    def delete_kickoff(self, p: Principal, kickoff_id: str) -> None:
        with self.store.write() as s:
            row = self._row(s, p, kickoff_id, lock=True)
            # Children first: SQLite enforces ON DELETE CASCADE only with foreign_keys=ON per connection.
            s.execute(delete(CallEventRow).where(CallEventRow.kickoff_id == row.id))
            s.execute(delete(CharterVersionRow).where(CharterVersionRow.kickoff_id == row.id))
            s.delete(row)
            self._audit(s, p, kickoff_id, "kickoff.delete", {}, None)

    # ---- stakeholders and interviews -------------------------------------------------------------

    def add_stakeholder(self, p: Principal, kickoff_id: str, data: StakeholderCreate) -> Stakeholder:
        with self._locked(p, kickoff_id) as (s, row, state):
            added = self.engine(p.tenant_id).add_stakeholder(state, Stakeholder(**data.model_dump()))
            self._save(s, p, row, state, "stakeholder.add", {"name": added.name})
        return added

    def list_stakeholders(self, p: Principal, kickoff_id: str) -> list[Stakeholder]:
        return self.get_state(p, kickoff_id).stakeholders

    def start_interview(self, p: Principal, kickoff_id: str, data: InterviewCreate) -> InterviewStarted:
        with self._locked(p, kickoff_id) as (s, row, state):
            person = state.stakeholder(data.stakeholder.strip())
            if person is not None and person.side == "provider":
                raise Conflict(f"{person.name} is on the provider's side; interviews are for client stakeholders.")
            turn = self.engine(p.tenant_id).start_interview(state, data.stakeholder.strip())
            self._save(s, p, row, state, "interview.start", {"interview": turn.session_id})
        return InterviewStarted(interview_id=turn.session_id, turn=turn)

    def _interview(self, state: KickoffState, interview_id: str, active: bool = False) -> Session:
        session = state.session(interview_id)
        if session.kind != "interview":
            raise NotFound(f"No interview '{interview_id}' in kickoff '{state.id}' (it is a live call).")
        if active and session.status == "closed":
            raise Conflict(f"The interview '{interview_id}' is closed; start a new one to add more.")
        return session

    def get_interview(self, p: Principal, kickoff_id: str, interview_id: str) -> InterviewPublic:
        state = self.get_state(p, kickoff_id)
        session = self._interview(state, interview_id)
        turns = [_turn_public(t) for t in state.turns if t.session_id == session.id]
        return InterviewPublic(**_session_public(session).model_dump(), turns=turns)

    def check_message(self, text: str) -> None:
        """Limits that answer 413; called before any engine or model work."""
        if len(text) > self.settings.max_message_chars:
            raise TooLarge(
                f"The message is {len(text)} characters; the limit is {self.settings.max_message_chars} "
                "(KICKOFF_MAX_MESSAGE_CHARS). Split it into shorter answers."
            )

    def post_message(
        self,
        p: Principal,
        kickoff_id: str,
        interview_id: str,
        text: str,
        idempotency_key: str | None = None,
        on_token: TokenSink | None = None,
    ) -> tuple[AssistantTurn, bool]:
        """The assistant's turn, and whether it is a replay of an earlier request with the same key.
        `on_token` sees a model-written answer's draft as it is written, before the turn is committed."""
        self.check_message(text)
        digest = request_hash("message", kickoff_id, interview_id, text)
        try:
            return self._post_message(p, kickoff_id, interview_id, text, idempotency_key, digest, on_token)
        except IntegrityError:
            # Two requests with one key raced on different kickoffs' locks: the loser replays the winner.
            if idempotency_key is None:
                raise
            stored = self._stored(p, idempotency_key, digest)
            if stored is None:
                raise
            return stored, True

    def _stored(self, p: Principal, key: str, digest: str, s: DbSession | None = None) -> AssistantTurn | None:
        def lookup(db: DbSession) -> AssistantTurn | None:
            rec = db.get(IdempotencyRow, (p.tenant_id, key))
            if rec is None:
                return None
            if rec.request_hash != digest:
                raise IdempotencyConflict(
                    f"Idempotency-Key {key!r} was already used for a different request; use a new key."
                )
            return AssistantTurn.model_validate_json(rec.response)

        if s is not None:
            return lookup(s)
        with self.store.read() as db:
            return lookup(db)

    def _post_message(
        self,
        p: Principal,
        kickoff_id: str,
        interview_id: str,
        text: str,
        key: str | None,
        digest: str,
        on_token: TokenSink | None,
    ) -> tuple[AssistantTurn, bool]:
        with self._locked(p, kickoff_id) as (s, row, state):
            # Checked under the kickoff's lock, so a retry racing the first attempt waits and then replays.
            if key is not None:
                stored = self._stored(p, key, digest, s)
                if stored is not None:
                    return stored, True
            self._interview(state, interview_id, active=True)
            turn = self.engine(p.tenant_id).reply(state, interview_id, text, on_token)
            self._save(
                s,
                p,
                row,
                state,
                "interview.message",
                {"interview": interview_id, "turn": turn.turn_id, "added": turn.delta.added},
                note=f"interview {interview_id}, turn {turn.turn_id}",
            )
            if key is not None:
                s.add(
                    IdempotencyRow(
                        tenant_id=p.tenant_id,
                        key=key,
                        request_hash=digest,
                        status_code=200,
                        response=turn.model_dump_json(),
                        created_at=now(),
                    )
                )
        return turn, False

    def end_interview(self, p: Principal, kickoff_id: str, interview_id: str) -> AssistantTurn:
        with self._locked(p, kickoff_id) as (s, row, state):
            self._interview(state, interview_id)
            turn = self.engine(p.tenant_id).end_interview(state, interview_id)
            self._save(s, p, row, state, "interview.end", {"interview": interview_id})
        return turn

    # ---- charter -------------------------------------------------------------------------------

    def charter(self, p: Principal, kickoff_id: str) -> Charter:
        return self.engine(p.tenant_id).charter(self.get_state(p, kickoff_id))

    def charter_markdown(self, p: Principal, kickoff_id: str) -> str:
        return to_markdown(self.charter(p, kickoff_id), self.engine(p.tenant_id).book)

    def charter_docx(self, p: Principal, kickoff_id: str) -> bytes:
        return to_docx(self.charter(p, kickoff_id), self.engine(p.tenant_id).book)

    def edit_charter(self, p: Principal, kickoff_id: str, data: CharterEditCreate) -> Charter:
        """A person's edits become a new charter version, with an audit entry naming them."""
        with self._locked(p, kickoff_id) as (s, row, state):
            version = state.version + 1
            for section, text in data.sections.items():
                state.edits.append(
                    CharterEdit(version=version, author=data.author.strip(), at=now(), section=section, text=text)
                )
            state.version = version
            self._save(
                s,
                p,
                row,
                state,
                "charter.edit",
                {"sections": data.sections, "note": data.note},
                author=data.author.strip(),
                note=data.note,
                actor=f"{p.actor}/{data.author.strip()}",
            )
            return self.engine(p.tenant_id).charter(state)

    def charter_versions(self, p: Principal, kickoff_id: str) -> list[CharterVersionPublic]:
        with self.store.read() as s:
            self._row(s, p, kickoff_id)
            rows = s.scalars(
                select(CharterVersionRow)
                .where(CharterVersionRow.kickoff_id == kickoff_id)
                .order_by(CharterVersionRow.version)
            )
            return [
                CharterVersionPublic(version=r.version, author=r.author, note=r.note, created_at=r.created_at)
                for r in rows
            ]

    def charter_version(self, p: Principal, kickoff_id: str, version: int) -> Charter:
        with self.store.read() as s:
            self._row(s, p, kickoff_id)
            row = s.scalar(
                select(CharterVersionRow).where(
                    CharterVersionRow.kickoff_id == kickoff_id, CharterVersionRow.version == version
                )
            )
            if row is None:
                raise NotFound(f"Kickoff '{kickoff_id}' has no charter version {version}.")
            return Charter.model_validate_json(row.charter)

    # ---- pending changes -----------------------------------------------------------------------

    def pending_changes(self, p: Principal, kickoff_id: str) -> list[PendingChangePublic]:
        state = self.get_state(p, kickoff_id)
        return [_pending_public(change, state) for change in state.pending]

    def decide_pending(self, p: Principal, kickoff_id: str, pending_id: str, data: PendingDecision) -> Charter:
        """A person accepts or rejects a pending change; either way a new charter version and an audit entry."""
        author = data.author.strip()
        with self._locked(p, kickoff_id) as (s, row, state):
            try:
                applied = decide_pending(state, pending_id, data.decision == "accept", author, data.note)
            except InvalidInput as e:  # decided already
                raise Conflict(str(e)) from e
            self._save(
                s,
                p,
                row,
                state,
                f"pending.{data.decision}",
                {"pending": pending_id, "added": applied.added, "superseded": applied.superseded, "note": data.note},
                author=author,
                note=data.note or f"{data.decision} {pending_id}",
                actor=f"{p.actor}/{author}",
            )
            return self.engine(p.tenant_id).charter(state)

    def audit(self, p: Principal, kickoff_id: str) -> list[AuditPublic]:
        with self.store.read() as s:
            self._row(s, p, kickoff_id)
            rows = s.scalars(
                select(AuditRow)
                .where(AuditRow.tenant_id == p.tenant_id, AuditRow.kickoff_id == kickoff_id)
                .order_by(AuditRow.id)
            )
            return [
                AuditPublic(
                    id=r.id,
                    kickoff_id=r.kickoff_id,
                    actor=r.actor,
                    action=r.action,
                    detail=json.loads(r.detail),
                    at=r.at,
                )
                for r in rows
            ]

    # ---- gaps and coverage -----------------------------------------------------------------------

    def assessment(self, p: Principal, kickoff_id: str) -> Assessment:
        return self.engine(p.tenant_id).assess(self.get_state(p, kickoff_id))

    def gaps(self, p: Principal, kickoff_id: str) -> GapsPublic:
        from assistant.live import gap_review

        engine = self.engine(p.tenant_id)
        state = self.get_state(p, kickoff_id)
        a = engine.assess(state)
        review = gap_review(engine, state, a)
        return GapsPublic(
            coverage=a.coverage,
            accountable=a.accountable,
            missing_roles=list(a.missing_roles),
            risks=list(a.risks),
            open_items=[i for i, c in a.coverage.items() if c == "open"],
            suggestions=[x.model_dump() for x in review.uncovered + review.missing_roles + review.open_risks],
        )

    # ---- live calls ----------------------------------------------------------------------------

    def start_call(self, p: Principal, kickoff_id: str, data: CallCreate) -> SessionPublic:
        from assistant.live import start_call

        with self._locked(p, kickoff_id) as (s, row, state):
            session = start_call(self.engine(p.tenant_id), state, data.title)
            self._save(s, p, row, state, "call.start", {"call": session.id})
        return _session_public(session)

    def _call(self, state: KickoffState, call_id: str) -> Session:
        session = state.session(call_id)
        if session.kind != "call":
            raise NotFound(f"No call '{call_id}' in kickoff '{state.id}' (it is an interview).")
        return session

    def add_segment(self, p: Principal, kickoff_id: str, call_id: str, seg: SegmentCreate) -> SegmentResult:
        from assistant.live import Segment, add_segment

        self.check_message(seg.text)
        with self._locked(p, kickoff_id) as (s, row, state):
            call = self._call(state, call_id)
            if call.status == "closed":
                raise Conflict(f"The call '{call_id}' has ended; start a new call.")
            before = len(call.seen_segments)
            try:
                segment = Segment(**seg.model_dump())
            except ValidationError as exc:  # the engine's own bounds, when settings allow more than it does
                raise InvalidInput(f"The segment is invalid: {exc.errors()[0]['msg']}") from None
            events = add_segment(self.engine(p.tenant_id), state, call_id, segment)
            applied = len(self._call(state, call_id).seen_segments) > before
            rows = [
                CallEventRow(kickoff_id=row.id, call_id=call_id, kind=e.kind, event=e.model_dump_json(), at=now())
                for e in events
            ]
            s.add_all(rows)
            self._save(s, p, row, state, "call.segment", {"call": call_id, "applied": applied, "events": len(events)})
            s.flush()
            public = [CallEventPublic(cursor=r.id, **json.loads(r.event)) for r in rows]
        return SegmentResult(applied=applied, events=public)

    def call_events(
        self, p: Principal, kickoff_id: str, call_id: str, after: int = 0
    ) -> tuple[list[CallEventPublic], bool]:
        """Events recorded after the cursor, and whether the call has ended."""
        with self.store.read() as s:
            row = self._row(s, p, kickoff_id)
            state = KickoffState.model_validate_json(row.state)
            call = self._call(state, call_id)
            rows = s.scalars(
                select(CallEventRow)
                .where(CallEventRow.kickoff_id == kickoff_id, CallEventRow.call_id == call_id, CallEventRow.id > after)
                .order_by(CallEventRow.id)
                .limit(1000)
            )
            return [CallEventPublic(cursor=r.id, **json.loads(r.event)) for r in rows], call.status == "closed"

    def end_call(self, p: Principal, kickoff_id: str, call_id: str) -> CallEnded:
        from assistant.live import end_call

        with self._locked(p, kickoff_id) as (s, row, state):
            self._call(state, call_id)
            review = end_call(self.engine(p.tenant_id), state, call_id)
            self._save(s, p, row, state, "call.end", {"call": call_id})
        d = review.model_dump()
        return CallEnded(call_id=call_id, **d)

    # ---- tenant documents ----------------------------------------------------------------------

    def upload_document(self, p: Principal, filename: str, content: bytes) -> IngestedFile:
        if len(content) > self.settings.max_upload_bytes:
            raise TooLarge(
                f"The upload is {len(content):,} bytes; the limit is {self.settings.max_upload_bytes:,} "
                "(KICKOFF_MAX_UPLOAD_BYTES)."
            )
        name = _SAFE_NAME.sub("_", Path(filename or "").name).strip(" .")[:120]
        if not name:
            raise InvalidInput("The upload has no file name; send it as a multipart file with a name like notes.md.")
        if not is_supported(Path(name)):
            raise UnsupportedType(
                f"{name}: unsupported file type. Upload .md, .markdown, .txt, .pdf or .docx (convert it first)."
            )
        with tempfile.TemporaryDirectory(prefix="kickoff-upload-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(content)
            report = self.kb.ingest([path], tenant=p.tenant_id)
        if report.errors or not report.added:
            message = "; ".join(e.message.replace(str(path), name) for e in report.errors) or "nothing was indexed"
            raise InvalidInput(f"The document was not added: {message}")
        with self.store.write() as s:
            self._audit(s, p, None, "document.upload", {"source": name, "chunks": report.added[0].chunks}, None)
        added = report.added[0]
        return added.model_copy(update={"path": name})

    def list_documents(self, p: Principal) -> list[DocumentInfo]:
        return self.kb.list_documents(p.tenant_id)

    def delete_document(self, p: Principal, source: str) -> int:
        try:
            n = self.kb.delete_document(p.tenant_id, source)
        except NotFound:
            raise NotFound(f"No document {source!r}. List yours with GET /v1/documents.") from None
        with self.store.write() as s:
            self._audit(s, p, None, "document.delete", {"source": source, "chunks": n}, None)
        return n

    def search(self, p: Principal, query: str, k: int = 3) -> list[Passage]:
        return self.kb.search(query, k, tenant=p.tenant_id)

    # ---- health --------------------------------------------------------------------------------

    def ready(self) -> dict[str, str]:
        """Each dependency's status: 'ok' or why not."""
        checks: dict[str, str] = {}
        try:
            self.store.ping()
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready; the reason is reported
            checks["database"] = f"unavailable: {type(exc).__name__}"
        try:
            self.kb.list_documents("readyz")
            checks["vector_store"] = "ok"
        except KickoffError as exc:
            checks["vector_store"] = f"unavailable: {exc}"
        except Exception as exc:  # noqa: BLE001
            checks["vector_store"] = f"unavailable: {type(exc).__name__}"
        return checks

def _pending_public(change: PendingChange, state: KickoffState) -> PendingChangePublic:
    return PendingChangePublic(
        id=change.id,
        role=change.role,
        person=change.person,
        replaces=[a.person for a in state.assignments if a.id in change.replaces],
        said_by=change.provenance.speaker,
        words=change.provenance.span,
        status=change.status,
        decided_by=change.decided_by,
        note=change.note,
    )
