"""The browser UI: interview chat, facilitator cockpit and charter editor, as one Gradio Blocks app.

Every handler reads from and writes to the store through `UiBackend` (the service layer); nothing about a
kickoff lives in the page or the process except ids. Errors the service raises (`KickoffError`, input
validation) become a one-line notice next to the control that caused them, never a traceback.
"""

from __future__ import annotations

import queue
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

import gradio as gr
from pydantic import ValidationError

from assistant.charter import to_markdown
from assistant.domain import Citation, ItemId
from assistant.engine import AssistantTurn, TokenSink
from assistant.errors import KickoffError
from assistant.service import KickoffPublic, SegmentResult, SessionPublic, TurnPublic
from ui.backend import UiBackend, parse_segments
from ui.render import (
    citations_md,
    coverage_html,
    e,
    empty,
    feed_html,
    flags_html,
    gap_review_html,
    item_label,
    no_autolinks,
    project_phrase,
    roles_html,
    safe_md,
    suggestion_html,
)

Message = dict[str, Any]
T = TypeVar("T")

NO_KICKOFF = "**Create a kickoff to begin**, or pick one above. Its coverage, roles and flags appear here."
NO_KICKOFFS = "No kickoffs yet: fill in **New kickoff** below to create the first one."
# Words per streamed chunk: small enough to read as typing, large enough to keep the websocket quiet.
_CHUNK = re.compile(r"\S+\s*|\s+")
_WORDS_PER_YIELD = 3
_STREAM_PAUSE_S = 0.025  # paced like typing; the whole turn is already committed to the store


class UiError(Exception):
    """A message for the person at the page."""


class _Drafting(Generic[T]):
    """Runs `work(sink)` in a thread. Iterating yields the draft written so far each time new pieces reach the
    sink (pieces that arrive together count once) until the work ends; `result()` then gives what `work`
    returned, or raises what it raised. A page that goes away stops the iteration, not the work: the turn is
    still committed, and a reload shows it."""

    def __init__(self, work: Callable[[TokenSink], T]) -> None:
        self._pieces: queue.Queue[str | None] = queue.Queue()  # None: the work has ended
        self._outcome: list[T] = []
        self._error: list[BaseException] = []
        self.drafted = ""
        self._thread = threading.Thread(target=self._run, args=(work,), name="kickoff-ui-turn", daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[TokenSink], T]) -> None:
        try:
            self._outcome.append(work(self._pieces.put))
        except BaseException as exc:  # raised again on the page's thread by result()
            self._error.append(exc)
        finally:
            self._pieces.put(None)

    def __iter__(self) -> Iterator[str]:
        ended = False
        while not ended:
            batch = [self._pieces.get()]
            while not self._pieces.empty():
                batch.append(self._pieces.get_nowait())
            ended = None in batch
            new = "".join(p for p in batch if p is not None)
            if new:
                self.drafted += new
                yield self.drafted
                if not ended:
                    time.sleep(_STREAM_PAUSE_S)  # lets a fast model's pieces gather: fewer, larger updates

    def result(self) -> T:
        self._thread.join()
        if self._error:
            raise self._error[0]
        return self._outcome[0]


def _call(fn: Callable[..., T], *args: Any) -> T:
    """Run a backend call; the service's own error text (which says how to fix it) is what the user sees."""
    try:
        return fn(*args)
    except KickoffError as exc:
        raise UiError(str(exc)) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(x) for x in first.get("loc", ()))
        raise UiError(f"{field or 'Input'}: {first.get('msg', 'is not valid')}.") from exc


def _notice(text: str, kind: str = "error") -> str:
    lead = "**Could not do that:**" if kind == "error" else "**Done.**"
    return f"{lead} {safe_md(text)}"


# ---- chat messages ------------------------------------------------------------------------------


def _split_turn(turn_text: str, question: str | None) -> tuple[str, str]:
    """(what comes before the question: a greeting or an answer, the question)."""
    if question and turn_text.endswith(question):
        return turn_text[: -len(question)].strip(), question
    return turn_text, ""


def _question_message(question: str, item: ItemId | None, kind: str, backend: UiBackend) -> str:
    label = item_label(item, backend.book)
    tag = {"follow_up": " · follow-up", "confirm": " · check"}.get(kind, "")
    head = f'<span class="ko-chip">Checklist: {e(label)}{tag}</span>\n\n' if label else ""
    return head + safe_md(question)


def _sources_message(citations: list[Citation]) -> Message:
    """The collapsed 'Playbook sources' element under an answer; the stakeholder clicks it to expand."""
    return {
        "role": "assistant",
        "content": citations_md(citations),
        "metadata": {"title": f"Playbook sources ({len(citations)}): click to expand", "status": "done"},
    }


def _assistant_messages(
    before: str, citations: list[Citation], question: str, item: ItemId | None, kind: str, backend: UiBackend
) -> list[Message]:
    """An assistant turn as chat messages: the greeting or answer, its sources (expandable), the labelled question."""
    out: list[Message] = []
    if before:
        out.append({"role": "assistant", "content": safe_md(before)})
    if citations:
        out.append(_sources_message(citations))
    if question:
        out.append({"role": "assistant", "content": _question_message(question, item, kind, backend)})
    return out


def _turn_messages(turn: AssistantTurn, backend: UiBackend) -> list[Message]:
    """A fresh assistant turn from the engine, as chat messages."""
    before, question = _split_turn(turn.text, turn.question)
    return _assistant_messages(before, turn.citations, question, turn.target_item, turn.kind, backend)


def _after_draft(
    history: list[Message], turn: AssistantTurn, drafted: str, backend: UiBackend
) -> tuple[list[Message], list[Message]]:
    """Once the turn is committed: (the chat to show at once, the turn's messages still to reveal).

    The turn's text is what counts. When it continues the draft shown (the API's rule: it starts with the
    stripped draft), its answer replaces the draft in place and the rest is revealed after it; otherwise the
    draft failed its checks and was replaced, so the draft is dropped and the whole turn is revealed.
    """
    messages = _turn_messages(turn, backend)
    shown = drafted.strip()
    before, _question = _split_turn(turn.text, turn.question)
    if shown and before and turn.text.startswith(shown):
        return [*history, messages[0]], messages[1:]  # messages[0] is the answer (`before`)
    return history, messages


def _stored_messages(t: TurnPublic, backend: UiBackend) -> list[Message]:
    """A stored assistant turn, shown as it was when it arrived (same label, same expandable sources).

    The store keeps the whole text; a question turn's question is its last paragraph (the engine writes
    `greeting or answer`, a blank line, then the question), and a closing turn asks nothing.
    """
    if t.kind == "closing" or not t.item:
        return _assistant_messages(t.text, t.citations, "", None, t.kind, backend)
    before, _sep, question = t.text.rpartition("\n\n")
    return _assistant_messages(before.strip(), t.citations, question.strip(), t.item, t.kind, backend)


def _history(backend: UiBackend, kickoff_id: str, interview_id: str) -> list[Message]:
    """The transcript of a stored interview, so a reload (or another worker) shows the same chat."""
    iv = backend.interview(kickoff_id, interview_id)
    out: list[Message] = []
    for t in iv.turns:
        if t.role == "assistant":
            out.extend(_stored_messages(t, backend))
        else:
            out.append({"role": "user", "content": safe_md(t.text)})
    return out


# ---- panels ----------------------------------------------------------------------------------------


def _panels(backend: UiBackend, kickoff_id: str | None) -> tuple[str, str, str, str]:
    """Coverage, roles, flags and the charter preview for a kickoff (or their empty states)."""
    if not kickoff_id:
        return (
            empty("Create a kickoff to begin: give it a title and a one-paragraph brief."),
            empty("The role table fills in as people are named."),
            empty("Flags (missing roles, risks, ignored instructions) show here."),
            NO_KICKOFF,
        )
    # One read of the charter carries coverage, role holders and flags; the preview is its Markdown rendering.
    ch = _call(backend.charter, kickoff_id)
    book = backend.book
    return (
        coverage_html(ch.coverage, book),
        roles_html(ch.roles),
        flags_html(ch.flags, book, project_phrase(ch.title)),
        no_autolinks(to_markdown(ch, book)),
    )


def _kickoff_choices(backend: UiBackend) -> list[tuple[str, str]]:
    return [(f"{k.title or 'Untitled'} · {k.created_at:%d %b %H:%M}", k.id) for k in backend.list_kickoffs()]


def _stakeholder_choices(k: KickoffPublic | None) -> list[tuple[str, str]]:
    if k is None:
        return []
    return [(f"{s.name} ({s.title})" if s.title else s.name, s.name) for s in k.stakeholders if s.side != "provider"]


def _active_call(k: KickoffPublic) -> str | None:
    return next((s.id for s in reversed(k.sessions) if s.kind == "call" and s.status == "active"), None)


def _next_step(backend: UiBackend, k: KickoffPublic | None) -> str:
    """The line under the header for the kickoff shown: what to do next while it is still empty."""
    if k is None:
        return "Pick a kickoff above, or create one under **New kickoff**." if backend.list_kickoffs() else NO_KICKOFFS
    if k.stakeholders or k.sessions:
        return ""
    return (
        f"**{safe_md(k.title or 'Untitled')}** is open. Next: add the people to interview (below), "
        "or paste a call's transcript under **Live call**."
    )


def _open_interview(k: KickoffPublic, who: str | None = None) -> SessionPublic | None:
    """The most recent interview still open (with `who`, if given)."""
    return next(
        (
            s
            for s in reversed(k.sessions)
            if s.kind == "interview" and s.status == "active" and (who is None or s.stakeholder == who)
        ),
        None,
    )


def _call_feed(backend: UiBackend, kickoff_id: str, call_id: str) -> list[str]:
    """The cockpit's 'what each line changed' log of a running call, rebuilt from its stored events."""
    events = backend.call_events(kickoff_id, call_id)
    return [x for x in (_feed_line(ev, backend) for ev in events) if x]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "kickoff"


def _downloads(backend: UiBackend, kickoff_id: str | None) -> tuple[Any, Any, Any]:
    """Fresh Markdown, DOCX and JSON files of the current charter for the three download buttons."""
    if not kickoff_id:
        return (gr.update(value=None, interactive=False),) * 3
    charter = _call(backend.charter, kickoff_id)
    folder = Path(tempfile.mkdtemp(prefix="kickoff-ui-"))
    stem = f"charter-{_slug(charter.title or charter.kickoff_id)}-v{charter.version}"
    md, docx, js = folder / f"{stem}.md", folder / f"{stem}.docx", folder / f"{stem}.json"
    md.write_text(_call(backend.charter_markdown, kickoff_id), encoding="utf-8")
    docx.write_bytes(_call(backend.charter_docx, kickoff_id))
    js.write_text(charter.model_dump_json(indent=2), encoding="utf-8")
    return tuple(gr.update(value=str(p), interactive=True) for p in (md, docx, js))  # type: ignore[return-value]


def _versions_html(backend: UiBackend, kickoff_id: str | None) -> str:
    if not kickoff_id:
        return empty("Versions are listed here once a kickoff exists.")
    versions = _call(backend.charter_versions, kickoff_id)
    rows = "".join(
        f"<tr><td>v{v.version}</td><td>{e(v.author)}</td><td>{e(v.note)}</td><td>{v.created_at:%d %b %H:%M}</td></tr>"
        for v in reversed(versions[-15:])
    )
    return (
        '<table class="ko-table" id="ko-versions"><thead><tr><th>Version</th><th>By</th><th>Note</th><th>When</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _feed_line(ev: Any, backend: UiBackend) -> str | None:
    """One feed event as a short, escaped line (None for events the panels already show)."""
    d = ev.data
    book = backend.book
    if ev.kind == "assignment":
        return f"<b>{e(d['person'])}</b> → {e(book.role(d['role']).title)}"
    if ev.kind == "assignment_removed":
        return f"{e(d['person'])} no longer {e(book.role(d['role']).title)}"
    if ev.kind == "coverage":
        return f"Coverage: {e(book.item(d['item']).title)}: {e(d['to']).replace('_', ' ')}"
    if ev.kind == "flag_added":
        return f"Flag raised: {e(d['explanation'])}"
    if ev.kind == "flag_resolved":
        return f"Flag resolved: {e(str(d['flag']).split(':', 1)[-1].replace('_', ' '))}"
    if ev.kind == "quarantine":
        return f"Ignored text addressed to the assistant: “{e(d['text'])}”"
    if ev.kind == "context" and d.get("item"):
        return f"Now discussing {e(book.item(d['item']).title)}"
    return None


# ---- the app -----------------------------------------------------------------------------------


def build_ui(backend: UiBackend) -> gr.Blocks:
    """The whole UI. Mount it with `ui.mount.mount_ui`; theme and CSS are passed there (Gradio 6)."""
    with gr.Blocks(title="Kickoff", analytics_enabled=False) as demo:
        with gr.Row(elem_id="ko-header"):
            with gr.Column(scale=2, min_width=300):
                gr.Markdown(
                    "## Kickoff\nInterview stakeholders, watch the accountability charter take shape, "
                    "and see which roles and risks still need an owner."
                )
            with gr.Column(scale=3, min_width=320), gr.Row():
                kickoff_dd = gr.Dropdown(label="Kickoff", choices=[], value=None, scale=4, elem_id="ko-kickoff")
                refresh_btn = gr.Button("Refresh list", scale=0, min_width=120, size="md")
        with gr.Accordion("New kickoff", open=True, elem_id="ko-new") as new_acc:
            with gr.Row():
                new_title = gr.Textbox(
                    label="Title", placeholder="CRM rollout for the sales team", scale=1, elem_id="ko-title"
                )
                new_brief = gr.Textbox(
                    label="Brief",
                    placeholder="What is being deployed, for whom, and why (a short paragraph).",
                    lines=2,
                    scale=3,
                    elem_id="ko-brief",
                )
            create_btn = gr.Button("Create kickoff", variant="primary", elem_id="ko-create")
        top_status = gr.Markdown("", elem_classes="ko-status", elem_id="ko-top-status")

        with gr.Tabs():
            # ---- Interview
            with gr.Tab("Interview", id="interview"), gr.Row():
                with gr.Column(scale=3):
                    with gr.Row():
                        sh_dd = gr.Dropdown(
                            label="Stakeholder to interview", choices=[], value=None, scale=3, elem_id="ko-who"
                        )
                        start_btn = gr.Button(
                            "Start / resume interview", variant="primary", scale=1, size="md", elem_id="ko-start"
                        )
                        end_btn = gr.Button("End interview", scale=1, size="md", elem_id="ko-end")
                    with gr.Accordion("Add a stakeholder", open=True, elem_id="ko-people") as people_acc, gr.Row():
                        sh_name = gr.Textbox(label="Name", placeholder="Maria Lopez", scale=2, elem_id="ko-sh-name")
                        sh_title = gr.Textbox(
                            label="Job title (optional)", placeholder="VP Sales", scale=2, elem_id="ko-sh-title"
                        )
                        add_sh_btn = gr.Button("Add stakeholder", scale=1, size="md", elem_id="ko-add-stakeholder")
                    chat = gr.Chatbot(
                        show_label=False,
                        height=330,  # with the message box, fits under the header at 1280×800
                        elem_id="ko-chat",
                        allow_tags=False,
                        feedback_options=None,
                        buttons=["copy_all"],
                        placeholder="Add a stakeholder, pick them above and press **Start / resume interview**.",
                    )
                    with gr.Row():
                        msg = gr.Textbox(
                            show_label=False,
                            placeholder="Type the stakeholder's answer, or a question for Kickoff, and press Enter",
                            scale=5,
                            elem_id="ko-msg",
                        )
                        send_btn = gr.Button("Send", variant="primary", scale=1, min_width=80, elem_id="ko-send")
                    iv_status = gr.Markdown("", elem_classes="ko-status")
                with gr.Column(scale=2, min_width=360):
                    cov_i, roles_i, flags_i, charter_i = _panel_column("i")

            # ---- Live call cockpit
            with gr.Tab("Live call", id="call"), gr.Row():
                with gr.Column(scale=3):
                    with gr.Row():
                        call_info = gr.Markdown("No call running. Lines you apply start one.", elem_id="ko-call-info")
                        follow = gr.Checkbox(
                            label="Follow lines sent through the API",
                            value=False,
                            elem_id="ko-follow",
                            info="Refreshes every 2 s while a transcriber posts segments to /v1",
                        )
                    follow_timer = gr.Timer(2.0, active=False)
                    lines_in = gr.Textbox(
                        label="Transcript lines",
                        lines=6,
                        placeholder="One line per speaker turn, as Speaker: text\n"
                        "Maria Lopez: I'll be accountable for the rollout.\n"
                        "Sam Ortiz: I run the weekly stand-up on Teams.",
                        elem_id="ko-lines",
                    )
                    with gr.Row():
                        apply_btn = gr.Button("Apply lines", variant="primary", elem_id="ko-apply")
                        gap_btn = gr.Button("Gap review", elem_id="ko-gap")
                        end_call_btn = gr.Button("End call", elem_id="ko-end-call")
                    call_status = gr.Markdown("", elem_classes="ko-status")
                    suggest_out = gr.HTML(suggestion_html(None, backend.book), elem_id="ko-suggest-box")
                    gr.Markdown("#### Gap review")
                    gaps_out = gr.HTML(empty("Press Gap review to list what is still uncovered or unowned."))
                    with gr.Accordion("What each line changed", open=False):
                        feed_out = gr.HTML(feed_html([]))
                with gr.Column(scale=2, min_width=360):
                    cov_c, roles_c, flags_c, charter_c = _panel_column("c")

            # ---- Charter
            with gr.Tab("Charter", id="charter") as charter_tab, gr.Row():
                with gr.Column(scale=2):
                    gr.Markdown("#### Edit a section\nYour edit is saved as a new charter version under your name.")
                    author = gr.Textbox(label="Your name", placeholder="Maria Lopez", elem_id="ko-author")
                    section = gr.Dropdown(
                        label="Section",
                        choices=[(i.title, i.id) for i in backend.book.items],
                        value=backend.book.items[0].id,
                        elem_id="ko-section",
                    )
                    edit_text = gr.Textbox(label="Text to add or correct", lines=4, elem_id="ko-edit-text")
                    note = gr.Textbox(label="Note (optional)", placeholder="Why the change", elem_id="ko-note")
                    save_btn = gr.Button("Save as new version", variant="primary", elem_id="ko-save")
                    charter_status = gr.Markdown("", elem_classes="ko-status")
                    gr.Markdown("#### Download")
                    with gr.Row():
                        dl_md = gr.DownloadButton(
                            "Markdown", interactive=False, elem_id="ko-dl-md", size="md", min_width=90
                        )
                        dl_docx = gr.DownloadButton(
                            "DOCX", interactive=False, elem_id="ko-dl-docx", size="md", min_width=90
                        )
                        dl_json = gr.DownloadButton(
                            "JSON", interactive=False, elem_id="ko-dl-json", size="md", min_width=90
                        )
                    gr.Markdown("#### Versions")
                    versions_out = gr.HTML(_versions_html(backend, None))
                with gr.Column(scale=3):
                    charter_full = gr.Markdown(NO_KICKOFF, elem_id="ko-charter", sanitize_html=True)

        iv_state = gr.State(None)  # the interview id being shown; the interview itself lives in the store

        panels_i = [cov_i, roles_i, flags_i, charter_i]
        panels_c = [cov_c, roles_c, flags_c, charter_c]
        downloads = [dl_md, dl_docx, dl_json]

        feed_state = gr.State([])  # the cockpit's "what each line changed" lines for the kickoff shown
        seen_version = gr.State(-1)  # the kickoff version the cockpit last drew (see follow_tick)
        # The kickoff this browser last had open, so a reload comes back to it (the id only; data stays in the store).
        last_kickoff = gr.BrowserState(None, storage_key="kickoff-ui-last-kickoff")

        # ---- kickoff selection

        def select_kickoff(kid: str | None) -> list[Any]:
            """Everything on the page for the chosen kickoff, read back from the store."""
            k = _call(backend.kickoff, kid) if kid else None
            panels = list(_panels(backend, kid))
            call = _active_call(k) if k else None
            # Resume the most recent interview still open, with its chat as stored (labels and sources included).
            open_iv = _open_interview(k) if k else None
            history = _call(_history, backend, kid, open_iv.id) if kid and open_iv else []
            who = open_iv.stakeholder if open_iv else None
            feed = _call(_call_feed, backend, kid, call) if kid and call else []
            if open_iv:
                iv_note = _notice(f"Resumed the open interview with {who}. Type the next answer below.", "ok")
            elif k and k.stakeholders:
                iv_note = "Pick a stakeholder and press **Start / resume interview**."
            else:
                iv_note = ""
            return [
                gr.update(choices=_stakeholder_choices(k), value=who),
                history,
                open_iv.id if open_iv else None,
                iv_note,
                *panels,
                *panels,
                f"Call **{call}** is running: paste lines to continue it."
                if call
                else "No call running. Lines you apply start one.",
                suggestion_html(backend.last_suggestion(kid, call) if kid and call else None, backend.book),
                empty("Press Gap review to list what is still uncovered or unowned."),
                feed_html(feed),
                *_downloads(backend, kid),
                _versions_html(backend, kid),
                panels[3],
                gr.update(open=kid is None),
                gr.update(open=not (k and k.stakeholders)),
                feed,
                k.version if k else -1,
                kid,
                _call(_next_step, backend, k),
                "",
            ]

        select_outputs = [
            sh_dd,
            chat,
            iv_state,
            iv_status,
            *panels_i,
            *panels_c,
            call_info,
            suggest_out,
            gaps_out,
            feed_out,
            *downloads,
            versions_out,
            charter_full,
            new_acc,
            people_acc,
            feed_state,
            seen_version,
            last_kickoff,
            top_status,
            charter_status,
        ]

        def guarded_select(kid: str | None) -> list[Any]:
            try:
                return select_kickoff(kid)
            except UiError as exc:
                return [gr.skip()] * (len(select_outputs) - 2) + [_notice(str(exc)), gr.skip()]

        kickoff_dd.change(guarded_select, kickoff_dd, select_outputs)

        def list_choices(current: str | None) -> Any:
            """The tenant's kickoffs, newest first; keeps `current` picked if it still exists, else the newest."""
            try:
                choices = _call(_kickoff_choices, backend)
            except UiError as exc:
                return gr.skip(), _notice(str(exc))
            ids = [c[1] for c in choices]
            value = current if current in ids else (ids[0] if ids else None)
            note = "" if choices else NO_KICKOFFS
            return gr.update(choices=choices, value=value), note

        # On load, come back to the kickoff this browser last had open; Refresh keeps the one being shown.
        demo.load(list_choices, last_kickoff, [kickoff_dd, top_status], show_progress="hidden")
        refresh_btn.click(list_choices, kickoff_dd, [kickoff_dd, top_status])

        def create(title: str, brief: str) -> tuple[Any, str, str, str]:
            try:
                k = _call(backend.create_kickoff, title, brief)
                choices = _call(_kickoff_choices, backend)
            except UiError as exc:
                return gr.skip(), _notice(str(exc)), gr.skip(), gr.skip()
            msg_ = _notice(f"Created “{k.title or 'Untitled'}”. Next: add the people to interview.", "ok")
            return gr.update(choices=choices, value=k.id), msg_, "", ""

        create_btn.click(create, [new_title, new_brief], [kickoff_dd, top_status, new_title, new_brief])

        # ---- interview

        def add_stakeholder(kid: str | None, name: str, title: str) -> tuple[Any, str, str, str]:
            if not kid:
                return gr.skip(), _notice("Create or pick a kickoff first."), gr.skip(), gr.skip()
            try:
                s = _call(backend.add_stakeholder, kid, name, title)
                k = _call(backend.kickoff, kid)
            except UiError as exc:
                return gr.skip(), _notice(str(exc)), gr.skip(), gr.skip()
            note_ = _notice(f"Added {s.name}. Press Start / resume interview to begin.", "ok")
            return gr.update(choices=_stakeholder_choices(k), value=s.name), note_, "", ""

        # The header's "next: add the people" hint has served its purpose once people are added or lines applied.
        for added in (
            add_sh_btn.click(add_stakeholder, [kickoff_dd, sh_name, sh_title], [sh_dd, iv_status, sh_name, sh_title]),
            sh_title.submit(add_stakeholder, [kickoff_dd, sh_name, sh_title], [sh_dd, iv_status, sh_name, sh_title]),
        ):
            added.success(lambda: "", None, top_status, show_progress="hidden")

        def start(kid: str | None, who: str | None) -> Iterator[list[Any]]:
            if not kid or not who:
                yield [gr.skip(), gr.skip(), _notice("Pick a kickoff and a stakeholder first."), *[gr.skip()] * 4]
                return
            try:
                k = _call(backend.kickoff, kid)
                # Resume the stakeholder's open interview rather than starting a second one.
                found = _open_interview(k, who)
                open_iv = found.id if found else None
                if open_iv:
                    history = _history(backend, kid, open_iv)
                    yield [
                        history,
                        open_iv,
                        _notice(f"Resumed the interview with {who}.", "ok"),
                        *_panels(backend, kid),
                    ]
                    return
                started = _call(backend.start_interview, kid, who)
            except UiError as exc:
                yield [gr.skip(), gr.skip(), _notice(str(exc)), *[gr.skip()] * 4]
                return
            messages = _turn_messages(started.turn, backend)
            yield from _stream([], messages, started.interview_id, _panels(backend, kid))

        def _stream(
            history: list[Message], new: list[Message], iv: str, panels: tuple[str, str, str, str]
        ) -> Iterator[list[Any]]:
            """Reveal the new assistant messages a few words at a time, then refresh the panels."""
            shown = list(history)
            for m in new:
                if m.get("metadata"):
                    shown.append(m)
                    continue
                content: str = m["content"]
                # The item label is HTML: reveal it whole, so a half-written tag never shows as text.
                head, sep, rest = content.partition("\n\n") if content.startswith("<span") else ("", "", content)
                words = [head + sep, *_CHUNK.findall(rest)] if head else _CHUNK.findall(rest)
                current = {"role": m["role"], "content": ""}
                shown.append(current)
                for i in range(0, len(words), _WORDS_PER_YIELD):
                    current["content"] = "".join(words[: i + _WORDS_PER_YIELD])
                    yield [list(shown), iv, gr.skip(), *[gr.skip()] * 4]
                    time.sleep(_STREAM_PAUSE_S)
            yield [list(shown), iv, "", *panels]

        interview_outputs = [chat, iv_state, iv_status, *panels_i]
        # Once an interview runs, the add-a-stakeholder form folds away to give the chat the room.
        start_btn.click(start, [kickoff_dd, sh_dd], interview_outputs).then(
            lambda: gr.update(open=False), None, people_acc
        )

        def send(kid: str | None, iv: str | None, text: str, history: list[Message]) -> Iterator[list[Any]]:
            if not text.strip():
                return
            if not kid or not iv:
                yield ["", gr.skip(), gr.skip(), _notice("Start an interview first."), *[gr.skip()] * 4]
                return
            history = [*history, {"role": "user", "content": safe_md(text)}]
            yield ["", history, iv, "", *[gr.skip()] * 4]
            # A model-written answer shows as the model writes it; the committed turn then takes its place.
            run = _Drafting(lambda sink: _call(backend.send, kid, iv, text, sink))
            for drafted in run:
                if drafted.strip():
                    draft = {"role": "assistant", "content": safe_md(drafted.strip())}
                    yield [gr.skip(), [*history, draft], iv, gr.skip(), *[gr.skip()] * 4]
            try:
                turn = run.result()
            except UiError as exc:
                yield [text, history[:-1], iv, _notice(str(exc)), *[gr.skip()] * 4]  # give the text back
                return
            panels = _panels(backend, kid)
            shown, new = _after_draft(history, turn, run.drafted, backend)
            for out in _stream(shown, new, iv, panels):
                yield [gr.skip(), *out]

        send_outputs = [msg, *interview_outputs]
        msg.submit(send, [kickoff_dd, iv_state, msg, chat], send_outputs)
        send_btn.click(send, [kickoff_dd, iv_state, msg, chat], send_outputs)

        def end(kid: str | None, iv: str | None, history: list[Message]) -> Iterator[list[Any]]:
            if not kid or not iv:
                yield [gr.skip(), gr.skip(), _notice("No interview is running."), *[gr.skip()] * 4]
                return
            try:
                turn = _call(backend.end_interview, kid, iv)
            except UiError as exc:
                yield [gr.skip(), gr.skip(), _notice(str(exc)), *[gr.skip()] * 4]
                return
            yield from _stream(history, _turn_messages(turn, backend), iv, _panels(backend, kid))

        end_btn.click(end, [kickoff_dd, iv_state, chat], interview_outputs)

        # ---- live call

        call_outputs = [lines_in, call_info, call_status, suggest_out, feed_out, *panels_c]

        def apply(kid: str | None, text: str, feed: list[str]) -> Iterator[list[Any]]:
            if not kid:
                yield [gr.skip(), gr.skip(), _notice("Create or pick a kickoff first."), *[gr.skip()] * 6, feed]
                return
            try:
                segments = _call(parse_segments, text)
                k = _call(backend.kickoff, kid)
                call = _active_call(k) or _call(backend.start_call, kid, "Live call").id
            except UiError as exc:
                yield [gr.skip(), gr.skip(), _notice(str(exc)), *[gr.skip()] * 6, feed]
                return
            info = f"Call **{call}** is running: paste more lines as they are said."
            changed = 0
            for n, seg in enumerate(segments, start=1):
                try:
                    r: SegmentResult = _call(backend.add_segment, kid, call, seg)
                except UiError as exc:
                    yield [gr.skip(), info, _notice(str(exc)), *[gr.skip()] * 6, feed]
                    return
                # A line counts as changing the kickoff when it produced events (a repeat produces none).
                changed += int(bool(r.events))
                feed = feed + [x for x in (_feed_line(ev, backend) for ev in r.events) if x]
                hint = backend.last_suggestion(kid, call)
                # The panels refresh after every line, as they would while a call streams in.
                yield [
                    gr.skip(),
                    info,
                    f"Applying line {n} of {len(segments)}…",
                    suggestion_html(hint, backend.book),
                    feed_html(feed),
                    *_panels(backend, kid),
                    feed,
                ]
            quiet = len(segments) - changed
            done = f"Applied {len(segments)} line(s)" + (
                f"; {quiet} of them changed nothing (already said, or no roles or facts in it)." if quiet else "."
            )
            yield ["", info, _notice(done, "ok"), *[gr.skip()] * 6, feed]

        apply_btn.click(apply, [kickoff_dd, lines_in, feed_state], [*call_outputs, feed_state]).success(
            lambda: "", None, top_status, show_progress="hidden"
        )

        # Segments posted to the API's live endpoints land in the store; the cockpit polls the kickoff's
        # version and redraws only when it moved, so an idle call costs one small read per tick.
        follow.change(lambda on: gr.Timer(active=on), follow, follow_timer)

        def follow_tick(kid: str | None, last: int) -> list[Any]:
            if not kid:
                return [gr.skip()] * 7
            try:
                k = _call(backend.kickoff, kid)
                if k.version == last:
                    return [gr.skip()] * 7
                call = _active_call(k)
                hint = backend.last_suggestion(kid, call) if call else None
                info = f"Call **{call}** is running (following the API)." if call else "No call running."
                return [info, suggestion_html(hint, backend.book), *_panels(backend, kid), k.version]
            except UiError:
                return [gr.skip()] * 7

        follow_timer.tick(
            follow_tick,
            [kickoff_dd, seen_version],
            [call_info, suggest_out, *panels_c, seen_version],
            show_progress="hidden",
        )

        def gap_review(kid: str | None) -> tuple[Any, str]:
            if not kid:
                return gr.skip(), _notice("Create or pick a kickoff first.")
            try:
                g = _call(backend.gaps, kid)
            except UiError as exc:
                return gr.skip(), _notice(str(exc))
            stamp = f'<div class="ko-sub">Reviewed at {datetime.now():%H:%M:%S}; press again after new lines.</div>'
            return stamp + gap_review_html(g.suggestions, backend.book), ""

        gap_btn.click(gap_review, kickoff_dd, [gaps_out, call_status])

        def end_call(kid: str | None) -> list[Any]:
            if not kid:
                return [gr.skip(), _notice("Create or pick a kickoff first."), gr.skip()]
            try:
                k = _call(backend.kickoff, kid)
                call = _active_call(k)
                if call is None:
                    return [gr.skip(), _notice("No call is running."), gr.skip()]
                ended = _call(backend.end_call, kid, call)
            except UiError as exc:
                return [gr.skip(), _notice(str(exc)), gr.skip()]
            left = ended.uncovered + ended.missing_roles + ended.open_risks
            return [
                "Call ended. Its gaps are listed below; apply new lines to start another call.",
                "",
                gap_review_html(left, backend.book),
            ]

        end_call_btn.click(end_call, kickoff_dd, [call_info, call_status, gaps_out])

        # ---- charter

        def refresh_charter(kid: str | None) -> list[Any]:
            try:
                return [*_downloads(backend, kid), _versions_html(backend, kid), _panels(backend, kid)[3]]
            except UiError as exc:
                return [gr.skip()] * 4 + [_notice(str(exc))]

        charter_tab.select(refresh_charter, kickoff_dd, [*downloads, versions_out, charter_full])

        def save(kid: str | None, who: str, sec: ItemId, text: str, why: str) -> list[Any]:
            if not kid:
                return [_notice("Create or pick a kickoff first."), *[gr.skip()] * 6]
            try:
                ch = _call(backend.edit_charter, kid, who, sec, text, why)
            except UiError as exc:
                return [_notice(str(exc)), *[gr.skip()] * 6]
            done = _notice(f"Saved as version {ch.version} by {who.strip()}.", "ok")
            return [done, "", *_downloads(backend, kid), _versions_html(backend, kid), _panels(backend, kid)[3]]

        save_btn.click(
            save,
            [kickoff_dd, author, section, edit_text, note],
            [charter_status, edit_text, *downloads, versions_out, charter_full],
        )
    return demo


def _panel_column(suffix: str) -> tuple[gr.HTML, gr.HTML, gr.HTML, gr.Markdown]:
    """The live panels: coverage meter, role table, flags and charter preview."""
    gr.Markdown("#### Coverage")
    cov = gr.HTML(empty("Create a kickoff to begin."), elem_id=f"ko-cov-{suffix}")
    gr.Markdown("#### Roles")
    roles = gr.HTML(empty("The role table fills in as people are named."), elem_id=f"ko-roles-{suffix}")
    gr.Markdown("#### Flags")
    flags = gr.HTML(empty("Flags show here."), elem_id=f"ko-flags-{suffix}")
    with gr.Accordion("Charter preview", open=False):
        charter = gr.Markdown(NO_KICKOFF, elem_id=f"ko-charter-{suffix}", sanitize_html=True)
    return cov, roles, flags, charter
