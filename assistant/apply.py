"""Apply a proposed Extraction to the kickoff state through validators shared by every understanding.

A model only proposes; this code decides what enters the state, so text can never rewrite the
charter by instruction.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.domain import (
    SINGLE_HOLDER_ROLES,
    Extraction,
    Provenance,
    QuarantinedText,
    UnderstandingContext,
    Utterance,
)
from assistant.people import canonical, mentioned_in, name_parts, person_key, same_person, spoken_in, strip_title
from assistant.state import (
    AssignmentEntry,
    FactEntry,
    GroupEntry,
    KickoffState,
    QuarantineEntry,
    RiskEntry,
)

_PRONOUN = re.compile(r"\b(he|she|him|her|his|they|them|their)\b", re.IGNORECASE)


class Applied(BaseModel):
    """What one utterance changed."""

    added: list[str] = Field(default_factory=list, description="Ids of new entries")
    superseded: list[str] = Field(default_factory=list, description="Ids of entries a correction replaced")
    rejected: list[str] = Field(default_factory=list, description="Proposals the validators refused, and why")


def _fold(s: str) -> str:
    return " ".join(s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').casefold().split())


def _unanchored(text: str, span: str) -> bool:
    """A proposal quoting words the text does not hold (after case, quotes and spacing are folded) is not
    grounded in what was said: a model that invents or obeys text the guard removed cannot apply it."""
    return bool(span.strip()) and _fold(span) not in _fold(text)


def _span(text: str, span: str) -> str:
    """Keep provenance honest: a span the text does not contain is replaced by the whole text."""
    return span if span and span in text else text


def _valid_person(person: str, utt: Utterance, ctx: UnderstandingContext, state: KickoffState) -> str | None:
    """Why the person may not be assigned, or None when they may."""
    if not strip_title(person):
        return "empty person name"
    if same_person(person, utt.speaker):
        if utt.side == "provider":
            return f"{person} speaks for the provider and holds no client role"
        return None
    known = state.stakeholder(person)
    if (known and known.side == "provider") or any(same_person(person, p) for p in ctx.provider_people):
        return f"{person} is on the provider's side and holds no client role"
    if mentioned_in(person, utt.text):
        return None
    if any(mentioned_in(nick, utt.text) for nick, full in state.aliases.items() if same_person(full, person)):
        return None  # "Funmi will run it", after "Olufunmilayo Adebayo - everyone calls her Funmi"
    if _PRONOUN.search(utt.text) and any(same_person(person, p) for p in ctx.recent_people):
        return None
    return f"{person} is not mentioned in the text and is not the speaker"


def apply_extraction(
    state: KickoffState,
    utt: Utterance,
    ctx: UnderstandingContext,
    ext: Extraction,
    quarantined: list[QuarantinedText],
) -> Applied:
    out = Applied()

    def prov(span: str) -> Provenance:
        return Provenance(
            speaker=utt.speaker,
            turn_id=utt.turn_id,
            session_id=utt.session_id,
            span=_span(utt.text, span),
            at=utt.at,
        )

    for q in quarantined:
        qe = QuarantineEntry(
            id=state.next_id("q"),
            text=q.span,
            reason=q.reason,
            provenance=Provenance(
                speaker=utt.speaker, turn_id=utt.turn_id, session_id=utt.session_id, span=q.span, at=utt.at
            ),
        )
        state.quarantined.append(qe)
        out.added.append(qe.id)

    for nick, full in ext.aliases.items():
        if mentioned_in(nick, utt.text) and (
            mentioned_in(full, utt.text) or any(same_person(full, p) for p in [*ctx.stakeholders, *state.people])
        ):
            state.aliases[strip_title(nick)] = strip_title(full)
    # A name joins the kickoff's people only as said in this text: a model cannot add someone by listing them.
    for name in ext.people + [pa.person for pa in ext.assignments]:
        name = strip_title(name)
        if (
            len(name_parts(name)) > 1
            and spoken_in(name, utt.text)
            and not any(same_person(name, p) for p in state.people)
        ):
            state.people.append(name)
    known = [strip_title(s.name) for s in state.stakeholders] + state.people

    new_assignments: list[AssignmentEntry] = []
    for pa in ext.assignments:
        if _unanchored(utt.text, pa.span):
            out.rejected.append(f"{pa.role} for {pa.person}: its quote is not in the text")
            continue
        person = canonical(strip_title(pa.person), known)
        if same_person(person, utt.speaker):
            person = strip_title(utt.speaker)
        why = _valid_person(person, utt, ctx, state)
        if why:
            out.rejected.append(f"{pa.role} for {pa.person}: {why}")
            continue
        duplicate = any(
            a.active and a.role == pa.role and same_person(a.person, person) for a in state.assignments
        ) or any(a.role == pa.role and same_person(a.person, person) for a in new_assignments)
        if duplicate:
            continue
        entry = AssignmentEntry(
            id=state.next_id("a"), person=person, role=pa.role, team=pa.team, provenance=prov(pa.span)
        )
        new_assignments.append(entry)

    for r in ext.retractions:
        if _unanchored(utt.text, r.span):
            out.rejected.append(f"retraction of {r.role}: its quote is not in the text")
            continue
        replacement = next((a for a in new_assignments if a.role == r.role), None)
        for old in state.assignments:
            if not old.active or old.role != r.role:
                continue
            if r.person is not None and not same_person(old.person, r.person):
                continue
            if r.person is None and person_key(old.provenance.speaker) != person_key(utt.speaker):
                continue
            if replacement is not None and same_person(old.person, replacement.person):
                continue
            old.superseded_by = replacement.id if replacement else f"retracted:{utt.turn_id}"
            out.superseded.append(old.id)

    for entry in new_assignments:
        if entry.role in SINGLE_HOLDER_ROLES:
            # The same speaker naming someone else later corrects themselves; another speaker conflicts.
            for old in state.assignments:
                if (
                    old.active
                    and old.role == entry.role
                    and person_key(old.provenance.speaker) == person_key(utt.speaker)
                    and not same_person(old.person, entry.person)
                ):
                    old.superseded_by = entry.id
                    out.superseded.append(old.id)
        state.assignments.append(entry)
        out.added.append(entry.id)

    for g in ext.groups:
        if _unanchored(utt.text, g.span):
            out.rejected.append(f"{g.role} for {g.group}: its quote is not in the text")
            continue
        ge = GroupEntry(id=state.next_id("g"), role=g.role, group=g.group, provenance=prov(g.span))
        state.groups.append(ge)
        out.added.append(ge.id)

    for f in ext.facts:
        if _unanchored(utt.text, f.span):
            out.rejected.append(f"{f.item} fact: its quote is not in the text")
            continue
        # The answer to the question asked is kept whole in its section; a passing mention keeps its span.
        text = utt.text.strip() if f.item == utt.item and f.status == "covered" else _span(utt.text, f.span)
        if any(x.active and x.item == f.item and x.text == text and x.status == f.status for x in state.facts):
            continue  # the same words repeated after a follow-up add nothing
        fe = FactEntry(
            id=state.next_id("f"),
            item=f.item,
            text=text,
            status=f.status,
            tags=sorted(set(f.tags)),
            provenance=prov(f.span),
        )
        state.facts.append(fe)
        out.added.append(fe.id)

    for rk in ext.risks:
        if _unanchored(utt.text, rk.span):
            out.rejected.append(f"{rk.risk} risk: its quote is not in the text")
            continue
        re_ = RiskEntry(
            id=state.next_id("r"),
            risk=rk.risk,
            text=_span(utt.text, rk.span),
            subject=rk.subject,
            provenance=prov(rk.span),
        )
        state.risks.append(re_)
        out.added.append(re_.id)

    if out.added or out.superseded:
        state.version += 1
    return out
