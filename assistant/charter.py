"""The accountability charter, rendered from state: JSON (the model), Markdown and DOCX."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from assistant.domain import ITEM_IDS, Citation, Coverage, ItemId, Provenance, RiskId, RoleId, now
from assistant.gaps import ROLE_ITEM, Assessment, Conflict, Flag, assess, cite
from assistant.playbook import Playbook
from assistant.state import CharterEdit, KickoffState


class CharterRole(BaseModel):
    person: str
    role: RoleId
    role_title: str
    team: str | None = None
    provenance: list[Provenance]
    citation: Citation


class CharterEntry(BaseModel):
    kind: Literal["fact", "role"]
    text: str = Field(description="The words the entry rests on")
    status: str = ""
    person: str | None = None
    role: RoleId | None = None
    provenance: Provenance
    superseded: bool = False


class CharterSection(BaseModel):
    item: ItemId
    title: str
    status: Coverage
    entries: list[CharterEntry]
    notes: list[CharterEdit] = Field(default_factory=list, description="Human edits of this section")
    citation: Citation


class HistoryEntry(BaseModel):
    what: str
    replaced_by: str | None
    provenance: Provenance


class QuarantineItem(BaseModel):
    text: str
    reason: str
    provenance: Provenance


class Charter(BaseModel):
    kickoff_id: str
    title: str
    project: str
    version: int
    generated_at: datetime = Field(default_factory=now)
    accountable: str | None
    point_of_contact: str | None
    roles: list[CharterRole]
    missing_roles: list[RoleId]
    risks: list[RiskId]
    coverage: dict[ItemId, Coverage]
    open_items: list[ItemId]
    sections: dict[ItemId, CharterSection]
    flags: list[Flag]
    conflicts: list[Conflict]
    quarantined: list[QuarantineItem]
    history: list[HistoryEntry]
    edits: list[CharterEdit]


def build_charter(state: KickoffState, book: Playbook, assessment: Assessment | None = None) -> Charter:
    a = assessment or assess(state, book)
    roles = [
        CharterRole(
            person=h.person,
            role=h.role,
            role_title=book.role(h.role).title,
            team=next(
                (
                    x.team
                    for x in state.assignments
                    if x.active and x.role == h.role and x.team and x.person == h.person
                ),
                None,
            ),
            provenance=h.provenance,
            citation=cite(book.role(h.role).playbook),
        )
        for h in a.holders
    ]
    sections: dict[ItemId, CharterSection] = {}
    for item in ITEM_IDS:
        entries = [
            CharterEntry(kind="fact", text=f.text, status=f.status, provenance=f.provenance, superseded=not f.active)
            for f in state.facts
            if f.item == item
        ]
        entries += [
            CharterEntry(
                kind="role",
                text=x.provenance.span,
                person=x.person,
                role=x.role,
                provenance=x.provenance,
                superseded=not x.active,
            )
            for x in state.assignments
            if ROLE_ITEM.get(x.role, "roles") == item
        ]
        entries.sort(key=lambda e: _turn_no(e.provenance.turn_id))
        spec = book.item(item)
        sections[item] = CharterSection(
            item=item,
            title=spec.title,
            status=a.coverage[item],
            entries=entries,
            notes=[e for e in state.edits if e.section == item],
            citation=cite(spec.playbook),
        )
    history = [
        HistoryEntry(
            what=f"{x.person} as {book.role(x.role).title}", replaced_by=x.superseded_by, provenance=x.provenance
        )
        for x in state.assignments
        if not x.active
    ]
    return Charter(
        kickoff_id=state.id,
        title=state.title,
        project=state.brief,
        version=state.version,
        accountable=a.accountable,
        point_of_contact=a.accountable,
        roles=roles,
        missing_roles=a.missing_roles,
        risks=a.risks,
        coverage=a.coverage,
        open_items=[i for i in ITEM_IDS if a.coverage[i] == "open"],
        sections=sections,
        flags=a.flags,
        conflicts=a.conflicts,
        quarantined=[QuarantineItem(text=q.text, reason=q.reason, provenance=q.provenance) for q in state.quarantined],
        history=history,
        edits=list(state.edits),
    )


def _turn_no(turn_id: str) -> int:
    digits = re.sub(r"\D", "", turn_id)
    return int(digits) if digits else 0


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def inert(text: str) -> str:
    """Stakeholder text rendered as plain words: no HTML, links or images survive into Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _who(p: Provenance) -> str:
    return f"{inert(p.speaker)}, turn {p.turn_id}"


def to_markdown(ch: Charter, book: Playbook) -> str:
    out = [f"# Accountability charter: {inert(ch.title or ch.kickoff_id)}", "", f"_Version {ch.version}_", ""]
    if ch.project:
        out += [inert(ch.project), ""]
    out += ["## Accountable owner", ""]
    if ch.accountable:
        out.append(f"**{inert(ch.accountable)}** is accountable and the primary point of contact.")
    else:
        out.append("**Nobody yet.** No single client person is accountable: settle this before work starts.")
    out += ["", "## Roles (RACI)", "", "| Person | Role | Said by |", "| --- | --- | --- |"]
    for r in ch.roles:
        said = "; ".join(f"{_who(p)}: \u201c{inert(p.span)}\u201d" for p in r.provenance)
        out.append(f"| {inert(r.person)} | {r.role_title} | {said} |")
    if not ch.roles:
        out.append("| _none yet_ | | |")
    if ch.missing_roles:
        out += ["", "Missing roles: " + ", ".join(book.role(r).title for r in ch.missing_roles) + "."]
    for item in ITEM_IDS:
        sec = ch.sections[item]
        label = {"covered": "covered", "open": "OPEN", "not_discussed": "not yet discussed"}[sec.status]
        out += ["", f"## {sec.title} ({label})", ""]
        live = [e for e in sec.entries if not e.superseded]
        for e in live:
            lead = (
                f"{inert(e.person)} ({book.role(e.role).title}): " if e.kind == "role" and e.person and e.role else ""
            )
            out.append(f"- {lead}{inert(e.text)} \u2014 _{_who(e.provenance)}_")
        for n in sec.notes:
            out.append(f"- Note by {inert(n.author)} (version {n.version}): {inert(n.text)}")
        if not live and not sec.notes:
            out.append("- _Nothing captured yet._")
        out.append(f"\n_Playbook: {sec.citation.source} \u203a {sec.citation.heading}_")
    if ch.flags:
        out += ["", "## Flags", ""]
        for f in ch.flags:
            cite_txt = f" _(playbook: {f.citation.source} \u203a {f.citation.heading})_" if f.citation else ""
            out.append(f"- **{f.kind.replace('_', ' ')}: {inert(f.id)}**: {inert(f.explanation)}{cite_txt}")
    if ch.history:
        out += ["", "## History", ""]
        for h in ch.history:
            out.append(f"- {inert(h.what)} (replaced) \u2014 _{_who(h.provenance)}_")
    return "\n".join(out) + "\n"


# XML 1.0 has no place for most control characters or lone surrogates; python-docx (lxml) refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """Stakeholder text as DOCX can hold it: characters XML cannot carry become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def to_docx(ch: Charter, book: Playbook) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(_xml(f"Accountability charter: {ch.title or ch.kickoff_id}"), 0)
    doc.add_paragraph(f"Version {ch.version}")
    if ch.project:
        doc.add_paragraph(_xml(ch.project))
    doc.add_heading("Accountable owner", 1)
    doc.add_paragraph(_xml(ch.accountable or "Nobody yet: no single client person is accountable."))
    doc.add_heading("Roles (RACI)", 1)
    table = doc.add_table(rows=1, cols=3)
    for cell, head in zip(table.rows[0].cells, ("Person", "Role", "Said by"), strict=True):
        cell.text = head
    for r in ch.roles:
        row = table.add_row().cells
        row[0].text, row[1].text = _xml(r.person), _xml(r.role_title)
        row[2].text = _xml("; ".join(f"{p.speaker} ({p.turn_id}): \u201c{p.span}\u201d" for p in r.provenance))
    if ch.missing_roles:
        doc.add_paragraph("Missing roles: " + ", ".join(book.role(r).title for r in ch.missing_roles))
    for item in ITEM_IDS:
        sec = ch.sections[item]
        doc.add_heading(f"{sec.title} ({sec.status.replace('_', ' ')})", 1)
        for e in (e for e in sec.entries if not e.superseded):
            doc.add_paragraph(
                _xml(f"{e.text} \u2014 {e.provenance.speaker}, turn {e.provenance.turn_id}"), style="List Bullet"
            )
        for n in sec.notes:
            doc.add_paragraph(_xml(f"Note by {n.author} (version {n.version}): {n.text}"), style="List Bullet")
    if ch.flags:
        doc.add_heading("Flags", 1)
        for f in ch.flags:
            doc.add_paragraph(_xml(f"{f.kind.replace('_', ' ')}: {f.id}: {f.explanation}"), style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
