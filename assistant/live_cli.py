"""`kickoff live FILE`: replay a call transcript through the engine, as a facilitator would see it live."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

from assistant.errors import KickoffError

if TYPE_CHECKING:
    from assistant.engine import Engine
    from assistant.live import FeedEvent, GapReview, Suggestion
    from assistant.transcripts import Segment

_COVERAGE = {"covered": "covered", "open": "OPEN", "not_discussed": "not discussed"}


def live(
    file: Annotated[
        Path,
        typer.Argument(help="The call transcript: .txt ('Speaker: text' lines), .vtt or .srt.", show_default=False),
    ],
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Print the facilitator feed as segments arrive.")
    ] = False,
    provider: Annotated[
        list[str] | None,
        typer.Option(
            "--provider", "-p", help="A speaker on the provider's side (repeat for several).", show_default=False
        ),
    ] = None,
    client: Annotated[
        list[str] | None,
        typer.Option(
            "--client", help="A speaker on the client's side, when their introduction does not say.", show_default=False
        ),
    ] = None,
    title: Annotated[
        str, typer.Option("--title", help="The project's title, for the questions and the charter heading.")
    ] = "",
    brief: Annotated[str, typer.Option("--brief", help="One or two sentences about the deployment.")] = "",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print every event as a JSON line, then the gap review and charter.")
    ] = False,
) -> None:
    """Replay a kickoff call transcript: live coverage, assignments, flags and suggested questions.

    Ends with the gap review (what is still missing, with the question to ask) and the charter draft.
    """
    out = Console(highlight=False)
    if not out.is_terminal:
        out.soft_wrap = True  # piped or captured: one event per line, whatever the width
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        from assistant.charter import to_markdown
        from assistant.config import get_settings
        from assistant.factory import build_engine
        from assistant.live import add_segment, end_call, set_side, start_call
        from assistant.transcripts import parse_file

        segments = parse_file(file)
        engine = build_engine(get_settings(), model="builtin", retrieval=False)
        # Without a title, questions say "this project" and the charter is headed by the file's name.
        state = engine.new_kickoff(_kickoff_id(file), brief=brief, title=title)
        call = start_call(engine, state, title=state.title)
        for name in provider or []:
            set_side(state, call.id, name, "provider")
        for name in client or []:
            set_side(state, call.id, name, "client")
        for seg in segments:
            turns = len(state.turns)
            events = add_segment(engine, state, call.id, seg)
            if as_json:
                for e in events:
                    typer.echo(e.model_dump_json())
            elif follow:
                _print_segment(out, engine, seg, events, repeat=len(state.turns) == turns)
        review = end_call(engine, state, call.id)
        charter = engine.charter(state)
    except KickoffError as exc:
        err.print(Text(f"Error: {exc}", style="red"))
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps({"kind": "gap_review", **review.model_dump()}))
        typer.echo(json.dumps({"kind": "charter", "charter": charter.model_dump(mode="json")}))
        return
    _print_review(out, engine, review)
    markdown = to_markdown(charter, engine.book)
    out.rule("Charter draft")
    out.print(Markdown(markdown) if out.is_terminal else markdown, soft_wrap=not out.is_terminal)


def _kickoff_id(file: Path) -> str:
    stem = "".join(c if c.isalnum() else "-" for c in file.stem).strip("-")
    return stem or f"k-{uuid.uuid4().hex[:8]}"


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"[{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}] "


def _print_segment(out: Console, engine: Engine, seg: Segment, events: list[FeedEvent], repeat: bool) -> None:
    said = Text(_clock(seg.start), style="dim")
    said.append(f"{seg.speaker}: ", style="bold")
    said.append(seg.text if len(seg.text) <= 160 else seg.text[:159] + "…", style="dim")
    if repeat:
        said.append("  (repeat, not applied again)", style="dim italic")
    out.print(said)
    for e in events:
        line = _event_line(engine, e)
        if line is not None:
            out.print(Text("    ").append(line))


def _event_line(engine: Engine, e: FeedEvent) -> Text | None:
    d = e.data
    if e.kind == "speaker":
        return Text(f"◦ {d['speaker']} is on the {d['side']} side", style="cyan")
    if e.kind == "context":
        if d["item"] is None:
            return Text("◦ context cleared: no recent question", style="dim cyan")
        return Text(f"◦ topic: {engine.book.item(d['item']).title}", style="cyan")
    if e.kind == "quarantine":
        return Text(f"⚠ ignored text addressed to the assistant: “{d['text']}”", style="bold yellow")
    if e.kind == "assignment":
        return Text(f"+ {d['person']}: {engine.book.role(d['role']).title}", style="bold green")
    if e.kind == "assignment_removed":
        return Text(f"− {d['person']} no longer {engine.book.role(d['role']).title}", style="magenta")
    if e.kind == "coverage":
        style = "green" if d["to"] == "covered" else "yellow"
        frm, to = _COVERAGE[d["from"]], _COVERAGE[d["to"]]
        return Text(f"✓ {engine.book.item(d['item']).title}: {frm} → {to}", style=style)
    if e.kind == "flag_added":
        kind, _, ident = d["flag"].partition(":")
        return Text(f"! {kind.replace('_', ' ')}: {ident.replace('_', ' ')}", style="red")
    if e.kind == "flag_resolved":
        kind, _, ident = d["flag"].partition(":")
        return Text(f"✓ resolved {kind.replace('_', ' ')}: {ident.replace('_', ' ')}", style="green")
    if e.kind == "suggestion":
        t = Text("→ ask: ", style="bold blue")
        t.append(d["question"], style="blue")
        t.append(f"  ({d['reason']})", style="dim")
        return t
    return None


def _print_review(out: Console, engine: Engine, review: GapReview) -> None:
    out.rule("Gap review")
    groups: list[tuple[str, list[Suggestion]]] = [
        ("Items not covered", review.uncovered),
        ("Missing roles", review.missing_roles),
        ("Open risks", review.open_risks),
    ]
    if not any(g for _, g in groups):
        out.print(Text("No gaps: every item is covered, every required role is held, no risks open.", style="green"))
    for heading, items in groups:
        if not items:
            continue
        out.print(Text(heading, style="bold"))
        for s in items:
            out.print(Text("  • ").append(s.reason, style="yellow"))
            out.print(Text("    ask: ", style="dim").append(s.question))
