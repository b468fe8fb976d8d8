"""`kickoff chat`: a whole interview in the terminal on the same engine the API and UI use."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.prompt import Prompt

from assistant.charter import to_markdown
from assistant.config import get_settings
from assistant.engine import AssistantTurn, Engine
from assistant.factory import build_engine
from assistant.state import KickoffState, Stakeholder

HELP = "Commands: /charter shows the charter so far, /gaps lists what is missing, /quit ends the interview."
REPLACED = "(the draft answer failed its checks; the cited answer:)"


class _Draft:
    """The token sink for a turn: prints a model-written answer's pieces as they arrive, on one running line."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.text = ""

    def __call__(self, piece: str) -> None:
        shown = bool(self.text.strip())
        self.text += piece
        out = piece if shown else piece.lstrip()  # the turn's text starts at the first non-blank character
        if out:
            # The model's words as they are: no markup, highlighting or emoji codes, and no line break.
            self.console.print(out, end="", markup=False, highlight=False, emoji=False, soft_wrap=True)
            self.console.file.flush()


def _show_turn(console: Console, engine: Engine, turn: AssistantTurn, text: str | None = None) -> None:
    """The turn in a panel (only `text` of it, when given), its citations and what was quarantined."""
    label = f"asks about: {engine.book.item(turn.target_item).title}" if turn.target_item else "Kickoff"
    body = turn.text if text is None else text
    if body:
        console.print(Panel(body, title=label, title_align="left", border_style="cyan"))
    for n, c in enumerate(turn.citations, 1):
        console.print(f"  [dim][{n}] {c.source} › {c.heading}[/dim]")
    if turn.delta.quarantined:
        for q in turn.delta.quarantined:
            console.print(f"[yellow]Ignored text addressed to the assistant:[/yellow] “{q}”")


def _show_reply(console: Console, engine: Engine, turn: AssistantTurn, drafted: str) -> None:
    """The committed turn after its draft was printed. The turn's text is what counts: when it continues the
    draft, only the rest is shown; otherwise the draft failed its checks, and a marker line says so before
    the whole turn."""
    shown = drafted.strip()
    if not shown:  # nothing was drafted (the built-in model): the turn as always
        _show_turn(console, engine, turn)
        return
    console.print()  # ends the draft's line
    if turn.text.startswith(shown):
        _show_turn(console, engine, turn, turn.text[len(shown) :].strip())
    else:
        console.print(REPLACED, style="yellow", markup=False, highlight=False)
        _show_turn(console, engine, turn)


def _show_gaps(console: Console, engine: Engine, state: KickoffState) -> None:
    a = engine.assess(state)
    for f in a.flags:
        console.print(f"[red]•[/red] {f.kind.replace('_', ' ')}: {f.id}: {f.explanation}")
    if not a.flags:
        console.print("[green]No gaps: every item is covered and every required role is held.[/green]")


def run_chat(
    engine: Engine,
    title: str,
    brief: str,
    stakeholder: Stakeholder,
    ask: Callable[[str], str],
    console: Console,
) -> KickoffState:
    state = engine.new_kickoff(f"k-{uuid.uuid4().hex[:8]}", brief=brief, title=title, stakeholders=[stakeholder])
    console.print(f"[dim]{HELP}[/dim]")
    turn = engine.start_interview(state, stakeholder.name)
    _show_turn(console, engine, turn)
    while not turn.done:
        try:
            text = ask(f"{stakeholder.name}> ").strip()
        except (EOFError, KeyboardInterrupt):
            text = "/quit"
        if text in ("/quit", "/exit"):
            turn = engine.end_interview(state, turn.session_id)
            _show_turn(console, engine, turn)
            break
        if text == "/charter":
            console.print(Markdown(to_markdown(engine.charter(state), engine.book)))
            continue
        if text == "/gaps":
            _show_gaps(console, engine, state)
            continue
        if not text:
            console.print(f"[dim]Type an answer, or {HELP[10:]}[/dim]")
            continue
        draft = _Draft(console)
        turn = engine.reply(state, turn.session_id, text, on_token=draft)
        _show_reply(console, engine, turn, draft.text)
    console.rule("Charter")
    console.print(Markdown(to_markdown(engine.charter(state), engine.book)))
    return state


def chat_command(
    title: Annotated[str, typer.Option(help="The project's name, used to phrase the questions.")] = "",
    brief: Annotated[str, typer.Option(help="One or two sentences about the deployment.")] = "",
    name: Annotated[str, typer.Option(help="The stakeholder being interviewed.")] = "",
    role: Annotated[str, typer.Option(help="The stakeholder's job title.")] = "",
    model: Annotated[str, typer.Option(help="builtin (offline) or llm (KICKOFF_LLM_* settings).")] = "",
) -> None:
    """Run a stakeholder interview in the terminal; the charter is shown at the end (or on /charter)."""
    console = Console()
    title = title or Prompt.ask("Project name", default="Our deployment")
    brief = brief or Prompt.ask("One sentence about it", default="")
    name = name or Prompt.ask("Who is being interviewed (full name)")
    role = role or Prompt.ask("Their job title", default="")
    if not name.strip():
        raise typer.BadParameter("A stakeholder name is needed; pass --name or type one at the prompt.")
    settings = get_settings()
    with console.status("Loading the playbook and the language model…"):
        engine = build_engine(settings, model="llm" if model == "llm" else "builtin" if model else None)
    run_chat(engine, title, brief, Stakeholder(name=name.strip(), title=role.strip() or None), console.input, console)
