"""The fixed vocabulary of ../shared/DOMAIN.md and the models every part of the engine shares."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, get_args

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

ItemId = Literal["accountability", "roles", "scope", "communication", "training", "monitoring", "collaboration"]
RoleId = Literal[
    "accountable_owner",
    "training_lead",
    "communications_lead",
    "metrics_owner",
    "executive_sponsor",
    "project_manager",
    "technical_lead",
]
RiskId = Literal["decision_ambiguity", "resistance_to_change", "poor_adoption", "lack_of_ownership"]
Coverage = Literal["covered", "open", "not_discussed"]
Side = Literal["client", "provider", "unknown"]

ITEM_IDS: tuple[ItemId, ...] = get_args(ItemId)
ROLE_IDS: tuple[RoleId, ...] = get_args(RoleId)
RISK_IDS: tuple[RiskId, ...] = get_args(RiskId)
REQUIRED_ROLES: tuple[RoleId, ...] = ("accountable_owner", "training_lead", "communications_lead", "metrics_owner")
# Roles only one person may hold; two different claimants make a conflict.
SINGLE_HOLDER_ROLES: frozenset[RoleId] = frozenset({"accountable_owner"})


def now() -> datetime:
    return datetime.now(UTC)


class Citation(BaseModel):
    """A playbook (or tenant document) passage an entry rests on."""

    source: str = Field(description="File path relative to the knowledge base, e.g. playbook/01-why.md")
    heading: str = Field(description="Heading path, ' > ' joined")
    chunk_id: str = ""
    text: str = ""


class Provenance(BaseModel):
    """Who said it, where, and the exact words."""

    speaker: str
    turn_id: str
    session_id: str = ""
    span: str = Field(description="The exact source text the entry was taken from")
    at: float | None = Field(None, description="Seconds into a live call, when known")


# ---- What "understand" proposes for one utterance. Validated code applies it to the state. ----


class ProposedAssignment(BaseModel):
    person: str = Field(description="Full name as said (or the speaker's name for I/me)")
    role: RoleId
    span: str = Field(description="Exact substring of the utterance that states it")
    team: str | None = Field(None, description="The team the role was given to, when the person leads it")
    # Which rule or model proposed it, for the extraction report; the engine sets it, a model never sees it.
    rule: SkipJsonSchema[str] = ""


class ProposedFact(BaseModel):
    item: ItemId
    span: str = Field(description="Exact substring of the utterance")
    status: Literal["covered", "open"] = Field(
        description="covered: the item's core fact is stated; open: answered but not decided / nobody yet"
    )
    tags: list[str] = Field(
        default_factory=list,
        description="Detail markers, e.g. 'usage_metric' for a monitoring fact that measures usage",
    )
    rule: SkipJsonSchema[str] = ""  # which rule proposed it, for the extraction report


class ProposedRisk(BaseModel):
    risk: Literal["resistance_to_change", "lack_of_ownership"]
    span: str
    subject: str | None = Field(None, description="The item or role the signal is about, when known")
    rule: SkipJsonSchema[str] = ""  # which rule proposed it, for the extraction report


class GroupOwnership(BaseModel):
    """A role given to a group with no named lead, e.g. 'the steering committee owns it'."""

    role: RoleId
    group: str
    span: str


class Retraction(BaseModel):
    """An explicit correction: the speaker takes back an earlier (person, role) statement."""

    role: RoleId
    person: str | None = Field(None, description="Whose earlier assignment is withdrawn; None means any")
    span: str


class QuarantinedText(BaseModel):
    span: str
    reason: str


class Extraction(BaseModel):
    assignments: list[ProposedAssignment] = Field(default_factory=list)
    facts: list[ProposedFact] = Field(default_factory=list)
    risks: list[ProposedRisk] = Field(default_factory=list)
    groups: list[GroupOwnership] = Field(default_factory=list)
    retractions: list[Retraction] = Field(default_factory=list)
    quarantined: list[QuarantinedText] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list, description="Questions the speaker asks the assistant")
    people: list[str] = Field(default_factory=list, description="Person names mentioned")
    dont_know: bool = Field(False, description="The answer says the speaker does not know / it has not come up")
    # Nicknames the text ties to a full name ("Olufunmilayo - everyone calls her Funmi"); engine-set.
    aliases: SkipJsonSchema[dict[str, str]] = Field(default_factory=dict)
    # The built-in rules found an explicit correction in the text; engine-set, never taken from a model. Only then
    # may this text take a recorded role from someone other than the speaker without confirmation.
    correction_recognised: SkipJsonSchema[bool] = False


class Utterance(BaseModel):
    """One answer or transcript segment, with the context it was said in."""

    text: str
    speaker: str
    speaker_title: str | None = None
    side: Side = "client"
    turn_id: str
    session_id: str = ""
    item: ItemId | None = Field(None, description="The checklist item the preceding question targeted")
    question: str | None = Field(None, description="The question the answer responds to, when known")
    at: float | None = None


class UnderstandingContext(BaseModel):
    brief: str = ""
    stakeholders: list[str] = Field(default_factory=list, description="Known client-side names")
    provider_people: list[str] = Field(default_factory=list)
    recent_people: list[str] = Field(
        default_factory=list, description="People mentioned in recent turns, newest last (pronoun antecedents)"
    )
    aliases: dict[str, str] = Field(default_factory=dict, description="Nickname -> full name, as heard so far")
