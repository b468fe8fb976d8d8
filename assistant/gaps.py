"""Coverage, role holders, missing roles and risks, derived from state by DOMAIN.md's rules."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.domain import (
    ITEM_IDS,
    REQUIRED_ROLES,
    ROLE_IDS,
    Citation,
    Coverage,
    ItemId,
    Provenance,
    RiskId,
    RoleId,
)
from assistant.people import canonical, person_key, strip_title
from assistant.playbook import Playbook, PlaybookRef
from assistant.state import AssignmentEntry, KickoffState

# The role whose holder is an item's core fact (a held role covers the item).
ITEM_ROLE: dict[ItemId, RoleId] = {
    "accountability": "accountable_owner",
    "training": "training_lead",
    "communication": "communications_lead",
    "monitoring": "metrics_owner",
}
ROLE_ITEM: dict[RoleId, ItemId] = {v: k for k, v in ITEM_ROLE.items()}
# Subjects of a "nobody owns it" signal that a held role resolves.
_SUBJECT_ROLE: dict[str, RoleId] = {**{str(k): v for k, v in ITEM_ROLE.items()}, **{r: r for r in ROLE_IDS}}


class Holder(BaseModel):
    person: str
    role: RoleId
    provenance: list[Provenance]


class Conflict(BaseModel):
    role: RoleId
    claims: list[Holder]


class Flag(BaseModel):
    kind: Literal["missing_role", "risk", "conflict", "pending_change", "quarantine"]
    id: str = Field(description="Role id, risk id, or entry id")
    explanation: str
    question: str = ""
    citation: Citation | None = None
    evidence: list[Provenance] = Field(default_factory=list)


class Assessment(BaseModel):
    coverage: dict[ItemId, Coverage]
    accountable: str | None
    holders: list[Holder]
    conflicts: list[Conflict]
    missing_roles: list[RoleId]
    risks: list[RiskId]
    flags: list[Flag]

    def holders_of(self, role: RoleId) -> list[str]:
        return [h.person for h in self.holders if h.role == role]


def project_phrase(state: KickoffState) -> str:
    """How questions name the project: "the payroll upgrade", or "this project" without a title."""
    if state.title:
        t = state.title.strip().rstrip(".")
        if t.lower().startswith("the "):
            return t
        # Lower-case a leading capital ("Payroll upgrade") but keep acronyms ("TV archive", "ERP").
        return "the " + (t[0].lower() + t[1:] if t[1:2].islower() else t)
    return "this project"


def cite(ref: PlaybookRef) -> Citation:
    return Citation(source=f"playbook/{ref.file}", heading=ref.heading)


def _holders(state: KickoffState) -> tuple[list[Holder], list[Conflict], str | None]:
    """Group active assignments by (person, role); a single-holder role with two claimants is a conflict."""
    by_key: dict[tuple[str, RoleId], Holder] = {}
    known = [strip_title(s.name) for s in state.stakeholders] + state.people
    for a in (a for a in state.assignments if a.active):
        # A first name heard before the full name ("Hannah", later "Hannah Cho") is the same person.
        person = canonical(a.person, known)
        key = (person_key(person), a.role)
        if key in by_key:
            by_key[key].provenance.append(a.provenance)
        else:
            by_key[key] = Holder(person=person, role=a.role, provenance=[a.provenance])
    owners = [h for h in by_key.values() if h.role == "accountable_owner"]
    conflicts: list[Conflict] = []
    accountable: str | None = None
    if len(owners) == 1:
        accountable = owners[0].person
    elif len(owners) > 1:
        conflicts.append(Conflict(role="accountable_owner", claims=owners))
    holders = [h for h in by_key.values() if h.role != "accountable_owner" or accountable is not None]
    return holders, conflicts, accountable


def _coverage(state: KickoffState, held: set[RoleId], accountable: str | None) -> dict[ItemId, Coverage]:
    active = [f for f in state.facts if f.active]
    cov: dict[ItemId, Coverage] = {}
    for item in ITEM_IDS:
        facts = [f for f in active if f.item == item]
        covered_fact = any(f.status == "covered" for f in facts)
        if item == "accountability":
            covered = accountable is not None
        elif item == "roles":
            covered = bool(held) or covered_fact
        elif item == "training":
            covered = "training_lead" in held
        elif item == "communication":
            covered = covered_fact or "communications_lead" in held
        else:
            covered = covered_fact
        if covered:
            cov[item] = "covered"
        elif facts or _discussed_without_fact(state, item):
            cov[item] = "open"
        else:
            cov[item] = "not_discussed"
    return cov


def _discussed_without_fact(state: KickoffState, item: ItemId) -> bool:
    """Accountability given to a group, or claimed twice, was discussed but is not settled."""
    if item == "accountability":
        return any(g.active and g.role == "accountable_owner" for g in state.groups) or any(
            a.active and a.role == "accountable_owner" for a in state.assignments
        )
    role = ITEM_ROLE.get(item)
    return role is not None and any(g.active and g.role == role for g in state.groups)


def assess(state: KickoffState, book: Playbook) -> Assessment:
    holders, conflicts, accountable = _holders(state)
    held: set[RoleId] = {h.role for h in holders}
    coverage = _coverage(state, held, accountable)
    project = project_phrase(state)
    missing = [r for r in REQUIRED_ROLES if r not in held]
    flags: list[Flag] = []
    for role_id in missing:
        role = book.role(role_id)
        flags.append(
            Flag(
                kind="missing_role",
                id=role_id,
                explanation=role.missing_explanation,
                question=role.question.replace("{project}", project),
                citation=cite(role.playbook),
            )
        )
    for c in conflicts:
        names = " and ".join(h.person for h in c.claims)
        flags.append(
            Flag(
                kind="conflict",
                id=c.role,
                explanation=f"{names} are each named as {book.role(c.role).title.lower()}; only one person can be.",
                question=f"Which one person is {book.role(c.role).title.lower()}: {names}?",
                citation=cite(book.role(c.role).playbook),
                evidence=[p for h in c.claims for p in h.provenance],
            )
        )
    risks, evidence = _risks(state, accountable, held)
    for risk_id in risks:
        risk = book.risk(risk_id)
        flags.append(
            Flag(
                kind="risk",
                id=risk_id,
                explanation=risk.explanation,
                question=risk.question.replace("{project}", project),
                citation=cite(risk.playbook),
                evidence=evidence.get(risk_id, []),
            )
        )
    for p in state.pending:
        if p.status != "pending":
            continue
        title = book.role(p.role).title.lower()
        current = " and ".join(a.person for a in state.assignments if a.id in p.replaces) or "nobody"
        change = f"{p.person} instead of {current}" if p.person else f"{current} no longer"
        flags.append(
            Flag(
                kind="pending_change",
                id=p.id,
                explanation=f'{p.provenance.speaker} said "{p.provenance.span}": {change} as {title}. '
                "Not applied: only the person concerned, a recognised correction or the facilitator can change "
                "a role recorded for someone else.",
                question=f"Is it {p.person} now, instead of {current}, as {title}?"
                if p.person
                else f"Is {current} no longer the {title}?",
                citation=cite(book.role(p.role).playbook),
                evidence=[p.provenance],
            )
        )
    for q in state.quarantined:
        flags.append(
            Flag(
                kind="quarantine",
                id=q.id,
                explanation=f'Text addressed to the assistant was ignored ({q.reason}): "{q.text}"',
                evidence=[q.provenance],
            )
        )
    return Assessment(
        coverage=coverage,
        accountable=accountable,
        holders=holders,
        conflicts=conflicts,
        missing_roles=missing,
        risks=risks,
        flags=flags,
    )


def _risks(
    state: KickoffState, accountable: str | None, held: set[RoleId]
) -> tuple[list[RiskId], dict[RiskId, list[Provenance]]]:
    evidence: dict[RiskId, list[Provenance]] = {}
    if accountable is None:
        evidence["decision_ambiguity"] = [g.provenance for g in state.groups if g.active] + [
            a.provenance for a in state.assignments if a.active and a.role == "accountable_owner"
        ]
    resisting = [r.provenance for r in state.risks if r.active and r.risk == "resistance_to_change"]
    if resisting:
        evidence["resistance_to_change"] = resisting
    usage = [f for f in state.facts if f.active and f.item == "monitoring" and "usage_metric" in f.tags]
    if "training_lead" not in held or not usage:
        evidence["poor_adoption"] = []
    unowned = [
        r.provenance
        for r in state.risks
        if r.active and r.risk == "lack_of_ownership" and not _resolved(r.subject, held)
    ]
    if unowned:
        evidence["lack_of_ownership"] = unowned
    order: list[RiskId] = ["decision_ambiguity", "resistance_to_change", "poor_adoption", "lack_of_ownership"]
    return [r for r in order if r in evidence], evidence


def _resolved(subject: str | None, held: set[RoleId]) -> bool:
    """A 'nobody owns X yet' signal is settled once someone holds the role X needs."""
    role = _SUBJECT_ROLE.get(subject or "")
    return role is not None and role in held


def holder_entries(state: KickoffState, role: RoleId) -> list[AssignmentEntry]:
    return [a for a in state.assignments if a.active and a.role == role]
