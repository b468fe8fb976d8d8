"""HTML and Markdown for the UI's panels. Every piece of stakeholder or transcript text is escaped here.

Panels are gr.HTML (which Gradio does not sanitise), so nothing dynamic reaches them without html.escape;
chat messages are Markdown, so stakeholder words go through `safe_md` (assistant.charter.inert per line):
no tag, link or image written by a stakeholder ever comes alive in the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from html import escape

from assistant.charter import CharterRole, inert
from assistant.domain import ITEM_IDS, Citation, Coverage, ItemId, Provenance
from assistant.gaps import Flag
from assistant.playbook import Playbook

COVERAGE_LABEL: dict[Coverage, str] = {"covered": "Covered", "open": "Open", "not_discussed": "Not yet discussed"}


_AUTOLINK = re.compile(r"(?i)(://|\bwww\.)")


def safe_md(text: str) -> str:
    """Untrusted text as inert Markdown, keeping its line breaks (inert() alone flattens them).

    Bare URLs are escaped too ("http\\://"), so the renderer's autolinking turns none of them into links.
    """
    lines = (inert(line) if line.strip() else "" for line in text.splitlines())
    return no_autolinks("\n".join(lines))


def no_autolinks(markdown: str) -> str:
    """Markdown with bare URLs escaped ("http\\://", "www\\."), so the renderer's autolinking makes no links.

    For Markdown that is already inert otherwise, such as the charter (which quotes stakeholders' words).
    """
    return _AUTOLINK.sub(lambda m: "\\" + m.group(0) if m.group(0) == "://" else "www\\.", markdown)


def e(text: object) -> str:
    return escape(str(text), quote=True)


def empty(message: str) -> str:
    return f'<div class="ko-empty">{e(message)}</div>'


def cite_text(c: Citation) -> str:
    return f"{c.source} › {c.heading}" if c.heading else c.source


def cite_html(c: Citation | None) -> str:
    if c is None:
        return ""
    return f'<span class="ko-cite" title="Playbook passage this rests on">Playbook: {e(cite_text(c))}</span>'


def coverage_html(coverage: Mapping[ItemId, Coverage] | None, book: Playbook) -> str:
    """One row per checklist item, colour-coded, with the counts as a summary line."""
    if coverage is None:
        return empty("Create a kickoff to begin (or pick one): each checklist item's coverage shows here.")
    done = sum(1 for i in ITEM_IDS if coverage.get(i) == "covered")
    rows = []
    for item in book.items:
        status: Coverage = coverage.get(item.id, "not_discussed")
        rows.append(
            f'<li class="ko-cov ko-{status}" data-item="{e(item.id)}" data-status="{e(status)}">'
            f'<span class="ko-dot"></span><span class="ko-cov-title">{e(item.title)}</span>'
            f'<span class="ko-badge">{COVERAGE_LABEL[status]}</span></li>'
        )
    bar = int(100 * done / max(len(ITEM_IDS), 1))
    return (
        f'<div class="ko-panel" id="ko-coverage"><div class="ko-meter"><div style="width:{bar}%"></div></div>'
        f'<div class="ko-sub">{done} of {len(ITEM_IDS)} checklist items covered</div>'
        f'<ul class="ko-list">{"".join(rows)}</ul></div>'
    )


def _said_by(provenance: Iterable[Provenance]) -> str:
    parts = [f"<b>{e(p.speaker)}</b>: “{e(p.span)}”" for p in provenance]
    return "<br>".join(parts)


def roles_html(roles: Sequence[CharterRole] | None) -> str:
    if roles is None:
        return empty("The role table fills in as people are named.")
    if not roles:
        return empty("Nobody holds a role yet. Ask who is accountable, who runs training and who owns the metrics.")
    rows = "".join(
        f'<tr data-role="{e(r.role)}"><td>{e(r.person)}</td><td>{e(r.role_title)}</td>'
        f'<td class="ko-said">{_said_by(r.provenance)}</td></tr>'
        for r in roles
    )
    return (
        '<table class="ko-table" id="ko-roles"><thead><tr><th>Person</th><th>Role</th><th>Said by</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )


_FLAG_LABEL = {
    "missing_role": "Missing role",
    "risk": "Risk",
    "conflict": "Conflict",
    "pending_change": "Pending change",
    "quarantine": "Quarantined",
}


def _flag_title(f: Flag, book: Playbook) -> str:
    if f.kind in ("missing_role", "conflict"):
        return book.role(f.id).title
    if f.kind == "risk":
        return book.risk(f.id).title
    return "Text ignored"


def flags_html(flags: Sequence[Flag] | None, book: Playbook, project: str = "this project") -> str:
    if flags is None:
        return empty("Flags (missing roles, risks, ignored instructions) show here.")
    if not flags:
        return empty("No flags: every required role is held and no risk is raised.")
    items = []
    for f in flags:
        question = f.question.replace("{project}", project)
        ask = f'<div class="ko-ask">Ask: {e(question)}</div>' if question else ""
        items.append(
            f'<li class="ko-flag ko-flag-{e(f.kind)}" data-kind="{e(f.kind)}" data-id="{e(f.id)}">'
            f'<div><span class="ko-tag">{_FLAG_LABEL[f.kind]}</span> <b>{e(_flag_title(f, book))}</b></div>'
            f'<div class="ko-expl">{e(f.explanation)}</div>{ask}{cite_html(f.citation)}</li>'
        )
    return f'<ul class="ko-list" id="ko-flags">{"".join(items)}</ul>'


def project_phrase(title: str) -> str:
    """How questions name the project ("the CRM rollout"), keeping the title's own capitals."""
    t = title.strip().rstrip(".")
    if not t:
        return "this project"
    return t if t.lower().startswith("the ") else f"the {t}"


def citations_md(citations: list[Citation]) -> str:
    """The body of the chat's expandable 'Playbook sources' element."""
    out = []
    for n, c in enumerate(citations, start=1):
        line = f"**[{n}] {inert(cite_text(c))}**"
        if c.text:
            line += f"\n\n> {inert(c.text[:500])}"
        out.append(line)
    return "\n\n".join(out)


def suggestion_html(s: Mapping[str, object] | None, book: Playbook) -> str:
    if not s:
        return empty("Apply transcript lines and the next question worth asking appears here.")
    item = s.get("item")
    label = f'<span class="ko-tag">{e(book.item(str(item)).title)}</span> ' if item else ""
    return (
        f'<div class="ko-suggest" id="ko-suggestion"><div class="ko-sub">Ask next</div>'
        f'<div class="ko-q">{label}{e(s.get("question", ""))}</div>'
        f'<div class="ko-why"><b>Why:</b> {e(s.get("reason", ""))}</div></div>'
    )


def gap_review_html(suggestions: Sequence[Mapping[str, object]], book: Playbook) -> str:
    if not suggestions:
        return empty("Nothing left: every item is covered and every required role is owned.")
    groups: dict[str, list[str]] = {"Not yet covered": [], "Unowned roles": [], "Risks to address": []}
    for s in suggestions:
        kind = s.get("kind")
        key = "Not yet covered" if kind == "item" else "Risks to address" if kind == "risk" else "Unowned roles"
        groups[key].append(
            f'<li><div class="ko-expl">{e(s.get("reason", ""))}</div>'
            f'<div class="ko-ask">Ask: {e(s.get("question", ""))}</div></li>'
        )
    body = "".join(
        f'<div class="ko-sub">{title} ({len(lines)})</div><ul class="ko-list">{"".join(lines)}</ul>'
        for title, lines in groups.items()
        if lines
    )
    return f'<div class="ko-panel" id="ko-gaps">{body}</div>'


def feed_html(lines: list[str]) -> str:
    if not lines:
        return empty("What each applied line changed (roles, coverage, flags) is logged here.")
    return '<ul class="ko-list ko-feed">' + "".join(f"<li>{line}</li>" for line in lines[-40:]) + "</ul>"


def item_label(item: ItemId | None, book: Playbook) -> str:
    return book.item(item).title if item else ""


CSS = """
.ko-empty { color: var(--body-text-color-subdued); padding: 10px 12px; border: 1px dashed var(--border-color-primary);
  border-radius: 8px; font-size: 0.92em; }
.ko-list { list-style: none; padding: 0; margin: 4px 0; }
.ko-list li { margin: 0 0 6px 0; }
.ko-cov { display: flex; align-items: center; gap: 8px; padding: 4px 8px; border-radius: 6px;
  background: var(--background-fill-secondary); }
.ko-cov-title { flex: 1; }
.ko-dot { width: 10px; height: 10px; border-radius: 50%; display: inline-block; }
.ko-badge { font-size: 0.8em; padding: 1px 8px; border-radius: 10px; }
.ko-covered .ko-dot { background: #16a34a; } .ko-covered .ko-badge { background: #dcfce7; color: #166534; }
.ko-open .ko-dot { background: #d97706; } .ko-open .ko-badge { background: #fef3c7; color: #92400e; }
.ko-not_discussed .ko-dot { background: #9ca3af; } .ko-not_discussed .ko-badge { background: #f3f4f6; color: #4b5563; }
.ko-meter { height: 8px; background: #e5e7eb; border-radius: 4px; overflow: hidden; }
.ko-meter > div { height: 100%; background: #16a34a; }
.ko-sub { font-size: 0.85em; color: var(--body-text-color-subdued); margin: 6px 0 4px; font-weight: 600; }
.ko-table { width: 100%; border-collapse: collapse; font-size: 0.9em; }
.ko-table th, .ko-table td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--border-color-primary);
  vertical-align: top; }
.ko-said { color: var(--body-text-color-subdued); font-size: 0.92em; }
/* Gradio's prose styles draw a full grid on tables; the panels keep row lines only, and names on one line. */
.ko-table, .ko-table th, .ko-table td { border-left: none !important; border-right: none !important; }
.ko-table { border: 0 !important; }
.ko-table th { border-top: none !important; }
#ko-roles td:nth-child(-n+2) { white-space: nowrap; }
/* The charter's RACI table: person and role stay whole words ("Communications lead", not "Communication s"). */
#ko-charter td:nth-child(-n+2), [id^="ko-charter-"] td:nth-child(-n+2) { white-space: nowrap; }
.ko-flag { border-left: 4px solid #9ca3af; padding: 4px 8px; background: var(--background-fill-secondary);
  border-radius: 4px; }
.ko-flag-missing_role { border-color: #dc2626; } .ko-flag-risk { border-color: #d97706; }
.ko-flag-conflict { border-color: #7c3aed; } .ko-flag-quarantine { border-color: #2563eb; }
.ko-tag { font-size: 0.75em; text-transform: uppercase; letter-spacing: 0.04em; padding: 1px 6px; border-radius: 4px;
  background: #e5e7eb; color: #374151; }
.ko-expl { font-size: 0.9em; margin-top: 2px; }
.ko-ask { font-size: 0.88em; font-style: italic; color: var(--body-text-color-subdued); }
.ko-cite { font-size: 0.8em; color: #1d4ed8; }
.ko-suggest { border: 2px solid #2563eb; border-radius: 8px; padding: 10px 12px; background: #eff6ff; color: #1e293b; }
.ko-q { font-size: 1.1em; font-weight: 600; margin: 4px 0; }
.ko-why { font-size: 0.9em; }
.ko-feed li { font-size: 0.88em; border-bottom: 1px solid var(--border-color-primary); padding-bottom: 3px; }
.ko-status { font-size: 0.9em; }
#ko-header h1 { margin-bottom: 0; }
.ko-chip { display: inline-block; font-size: 0.78em; font-weight: 600; padding: 1px 8px; border-radius: 10px;
  background: #dbeafe; color: #1e40af; }
"""
