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
    RoleId,
    UnderstandingContext,
    Utterance,
)
from assistant.errors import InvalidInput, NotFound
from assistant.people import canonical, mentioned_in, name_parts, person_key, same_person, spoken_in, strip_title
from assistant.state import (
    AssignmentEntry,
    FactEntry,
    GroupEntry,
    KickoffState,
    PendingChange,
    QuarantineEntry,
    RiskEntry,
)

_FIRST_PERSON = re.compile(r"\b(i|i'm|i'll|i've|i'd|me|my|myself)\b", re.IGNORECASE)
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


def _may_take(old: AssignmentEntry, new_person: str | None, utt: Utterance, ext: Extraction) -> bool:
    """Whether this text may take a recorded role from its holder without confirmation. Only with a clear source:
    the holder speaking about their own role ("it will be Rahul, not me"), a speaker claiming it for themselves,
    or a text in which the rules recognise an explicit correction (never a model's say-so)."""
    if ext.correction_recognised or (new_person is not None and same_person(new_person, utt.speaker)):
        return True
    return same_person(old.person, utt.speaker) and bool(_FIRST_PERSON.search(utt.text))


def _hold(
    state: KickoffState,
    out: Applied,
    old: AssignmentEntry,
    new: AssignmentEntry | None,
    role: RoleId,
    provenance: Provenance,
) -> None:
    """Keep the change as pending (one per proposal, however many entries it would replace)."""
    person = new.person if new is not None else None
    for p in state.pending:
        if p.status == "pending" and p.provenance.turn_id == provenance.turn_id and p.role == role:
            if p.person == person and old.id not in p.replaces:
                p.replaces.append(old.id)
            return
    entry = PendingChange(
        id=state.next_id("p"),
        role=role,
        person=person,
        team=new.team if new is not None else None,
        replaces=[old.id],
        provenance=provenance,
    )
    state.pending.append(entry)
    out.added.append(entry.id)


def _confirm_by_claim(state: KickoffState, out: Applied, entry: AssignmentEntry, utt: Utterance) -> None:
    """The person a pending change names, taking the role themselves, confirms it."""
    if not same_person(entry.person, utt.speaker):
        return
    for p in state.pending:
        if p.status == "pending" and p.role == entry.role and p.person and same_person(p.person, entry.person):
            _supersede(state, out, p.replaces, entry.id)
            p.status, p.decided_by = "accepted", strip_title(utt.speaker)


def _supersede(state: KickoffState, out: Applied, ids: list[str], by: str) -> None:
    for a in state.assignments:
        if a.id in ids and a.active:
            a.superseded_by = by
            out.superseded.append(a.id)


def decide_pending(state: KickoffState, pending_id: str, accept: bool, author: str, note: str = "") -> Applied:
    """A facilitator's decision on a pending change: accepted, it applies as proposed; rejected, nothing changes
    but its status. Raises NotFound for an unknown id, InvalidInput when it was decided already."""
    out = Applied()
    p = next((x for x in state.pending if x.id == pending_id), None)
    if p is None:
        raise NotFound(f"Kickoff '{state.id}' has no pending change '{pending_id}'.")
    if p.status != "pending":
        raise InvalidInput(f"The pending change '{pending_id}' was already {p.status}.")
    p.status, p.decided_by, p.note = ("accepted" if accept else "rejected"), author, note
    if accept:
        by = f"accepted:{p.id}"
        if p.person is not None:
            entry = AssignmentEntry(
                id=state.next_id("a"), person=p.person, role=p.role, team=p.team, provenance=p.provenance
            )
            state.assignments.append(entry)
            out.added.append(entry.id)
            by = entry.id
        _supersede(state, out, p.replaces, by)
    state.version += 1
    return out


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

    held: set[str] = set()  # new assignments that wait on a pending change instead of applying
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
            if not _may_take(old, replacement.person if replacement else None, utt, ext):
                _hold(state, out, old, replacement, r.role, prov(r.span))
                if replacement is not None:
                    held.add(replacement.id)
                continue
            old.superseded_by = replacement.id if replacement else f"retracted:{utt.turn_id}"
            out.superseded.append(old.id)

    for entry in new_assignments:
        if entry.id in held:
            continue
        if entry.role in SINGLE_HOLDER_ROLES:
            # The same speaker naming someone else later corrects themselves; another speaker conflicts.
            olds = [
                old
                for old in state.assignments
                if old.active
                and old.role == entry.role
                and person_key(old.provenance.speaker) == person_key(utt.speaker)
                and not same_person(old.person, entry.person)
            ]
            if any(not _may_take(old, entry.person, utt, ext) for old in olds):
                for old in olds:
                    _hold(state, out, old, entry, entry.role, entry.provenance)
                continue
            for old in olds:
                old.superseded_by = entry.id
                out.superseded.append(old.id)
        _confirm_by_claim(state, out, entry, utt)
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
