"""Kickoff state as data: every fact, assignment and signal carries provenance. The charter is derived."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from assistant.domain import Citation, ItemId, Provenance, RoleId, Side, now
from assistant.errors import NotFound


class Stakeholder(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    title: str | None = Field(None, max_length=200)
    side: Side = "client"


class Entry(BaseModel):
    id: str
    provenance: Provenance
    superseded_by: str | None = Field(None, description="The entry that replaced this one (corrections)")

    @property
    def active(self) -> bool:
        return self.superseded_by is None


class FactEntry(Entry):
    item: ItemId
    text: str
    status: Literal["covered", "open"]
    tags: list[str] = Field(default_factory=list)


class AssignmentEntry(Entry):
    person: str
    role: RoleId
    team: str | None = None


class PendingChange(Entry):
    """A change to a role recorded for someone else that this text alone may not make: kept, shown to the
    facilitator with the exact words, and applied only when confirmed (nothing is superseded silently)."""

    role: RoleId
    person: str | None = Field(None, description="Who would hold the role; None when it would only be removed")
    team: str | None = None
    replaces: list[str] = Field(default_factory=list, description="The assignments it would supersede")
    status: Literal["pending", "accepted", "rejected"] = "pending"
    decided_by: str | None = None
    note: str = ""


class RiskEntry(Entry):
    risk: Literal["resistance_to_change", "lack_of_ownership"]
    text: str
    subject: str | None = None


class GroupEntry(Entry):
    role: RoleId
    group: str


class QuarantineEntry(Entry):
    text: str
    reason: str


class Turn(BaseModel):
    id: str
    session_id: str
    role: Literal["assistant", "stakeholder", "participant"]
    speaker: str
    text: str
    item: ItemId | None = None
    kind: str = ""
    at: datetime = Field(default_factory=now)
    offset: float | None = Field(None, description="Seconds into a live call")
    citations: list[Citation] = Field(
        default_factory=list, description="Playbook passages an assistant turn's answer cited (kept for resuming)"
    )


class Session(BaseModel):
    """One interview with one stakeholder, or one live call."""

    id: str
    kind: Literal["interview", "call"]
    stakeholder: str | None = None
    title: str = ""
    status: Literal["active", "closed"] = "active"
    target: ItemId | None = Field(None, description="The item the last question targeted")
    asked: dict[str, int] = Field(default_factory=dict, description="Questions asked per item")
    touched: list[ItemId] = Field(default_factory=list, description="Items this stakeholder has spoken to")
    unknown: list[ItemId] = Field(default_factory=list, description="Items the stakeholder does not know")
    vague: list[ItemId] = Field(default_factory=list, description="Items followed up once after a vague answer")
    seen_segments: list[str] = Field(default_factory=list, description="Live segment keys already applied")
    sides: dict[str, Side] = Field(default_factory=dict, description="Live call: speaker → side")
    context_question: str | None = Field(
        None, description="Live call: the facilitator question that set the current context (target)"
    )


class CharterEdit(BaseModel):
    """A person's edit of a charter section, kept as a new version."""

    version: int
    author: str
    at: datetime = Field(default_factory=now)
    section: str
    text: str


class KickoffState(BaseModel):
    id: str
    title: str = ""
    brief: str = ""
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    sessions: list[Session] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    facts: list[FactEntry] = Field(default_factory=list)
    assignments: list[AssignmentEntry] = Field(default_factory=list)
    risks: list[RiskEntry] = Field(default_factory=list)
    groups: list[GroupEntry] = Field(default_factory=list)
    quarantined: list[QuarantineEntry] = Field(default_factory=list)
    pending: list[PendingChange] = Field(default_factory=list)
    edits: list[CharterEdit] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list, description="Full names heard so far, oldest first")
    aliases: dict[str, str] = Field(default_factory=dict, description="Nickname -> full name, as people said")
    version: int = Field(0, description="Bumped on every change; the charter's version")
    counter: int = Field(0, description="Source of short, deterministic ids")

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def session(self, session_id: str) -> Session:
        for s in self.sessions:
            if s.id == session_id:
                return s
        raise NotFound(f"No interview or call '{session_id}' in kickoff '{self.id}'.")

    def stakeholder(self, name: str) -> Stakeholder | None:
        key = name.casefold()
        return next((s for s in self.stakeholders if s.name.casefold() == key), None)
