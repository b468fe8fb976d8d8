"""The `kickoff` command line. Each command is a thin adapter over the engine and the knowledge base."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.padding import Padding
from rich.progress import TaskID
from rich.text import Text

from assistant.chat_cli import chat_command
from assistant.config import Settings
from assistant.errors import KickoffError
from assistant.knowledge.index import DEFAULT_TENANT, IngestReport, KnowledgeBase, Passage, ProgressFn
from assistant.live_cli import live as live_command
from assistant.progress import progress_bar
from evals.command import eval_command

app = typer.Typer(help="Kickoff: facilitate the kickoff of a technology deployment.", no_args_is_help=True)

# Progress and errors go to stderr so that stdout stays clean for --json and pipes. soft_wrap: a long
# path or message stays on one line (copyable); passages are wrapped explicitly by Padding.
_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)

T = TypeVar("T")

# A line that starts a list item, quote, table row or heading rather than continuing prose.
_BLOCK_START = re.compile(r"^\s*([-*+>|#]|\d+[.)])\s")

TenantOption = Annotated[
    str, typer.Option("--tenant", "-t", help="Whose documents to use; each tenant sees only its own.")
]


@app.callback()
def main() -> None:
    """Kickoff: facilitate the kickoff of a technology deployment."""


app.command("chat")(chat_command)
app.command("eval")(eval_command)
app.command("live")(live_command)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind [default: KICKOFF_HOST or 127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port [default: KICKOFF_PORT or 8000].")] = None,
) -> None:
    """Serve the HTTP API (/v1, docs at /docs); migrates the store and indexes the playbook first."""
    from assistant.api.commands import run_server

    settings = Settings()
    settings = settings.model_copy(update={"host": host or settings.host, "port": port or settings.port})
    with _errors_exit():
        kb = KnowledgeBase(settings)
        _index_playbook(kb)
        run_server(settings, kb)


def _add_tenant_commands() -> None:
    from assistant.api.commands import tenant_app

    app.add_typer(tenant_app, name="tenant")


_add_tenant_commands()


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or folders to add (.md, .txt, .pdf, .docx). Folders are walked.", show_default=False
        ),
    ],
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Add documents to the knowledge base; re-ingesting a file replaces its earlier version.

    Exits with status 1 when any file failed; the files that could be read are added anyway.
    """
    # Our report names every unreadable PDF; pypdf's own warnings about them would only be noise.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with _errors_exit():
        kb = _knowledge_base()
        _index_playbook(kb)
        report = _with_progress("Ingesting", lambda progress: kb.ingest(paths, tenant=tenant, progress=progress))
    _print_report(report)
    if not report.ok or not report.added:
        raise typer.Exit(1)


@app.command()
def search(
    question: Annotated[str, typer.Argument(help="What to look up, in plain words.", show_default=False)],
    k: Annotated[int | None, typer.Option("--k", "-k", min=1, max=50, help="How many passages [default: 3].")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of passages.")] = False,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Find the playbook (and your own documents') passages that answer a question, with citations."""
    with _errors_exit():
        kb = _knowledge_base()
        _index_playbook(kb)
        passages = kb.search(question, k=k, tenant=tenant)
    if as_json:
        # citation.text repeats the passage text; leave it out of the printed form.
        typer.echo(json.dumps([p.model_dump(exclude={"citation": {"text"}}) for p in passages], indent=2))
        return
    if not passages:
        _out.print("No passages found. Add documents with `kickoff ingest PATH`.")
        return
    for rank, passage in enumerate(passages, start=1):
        _print_passage(rank, passage)


# ---- helpers ------------------------------------------------------------------------------------


def _knowledge_base() -> KnowledgeBase:
    # Settings() rather than the cached get_settings(): each invocation reads the environment anew.
    return KnowledgeBase(Settings())


def _index_playbook(kb: KnowledgeBase) -> None:
    if _with_progress("Indexing the playbook", lambda progress: kb.ensure_playbook_indexed(progress)):
        _err.print("Indexed the built-in playbook.")


def _with_progress(description: str, work: Callable[[ProgressFn], T]) -> T:
    """Run work(progress) under a progress bar that appears only once work reports progress."""
    bar = progress_bar("{task.description}", _err)
    task: TaskID | None = None

    def report(done: int, total: int, current: str) -> None:
        nonlocal task
        if task is None:
            # Started lazily: the fast paths (nothing to index) print nothing at all.
            bar.start()
            task = bar.add_task(description, total=total, current="")
        bar.update(task, completed=done, total=total, current=current)

    try:
        return work(report)
    finally:
        if task is not None:
            bar.stop()


@contextmanager
def _errors_exit() -> Iterator[None]:
    """Kickoff's own errors carry a how-to-fix message: print it, not a traceback."""
    try:
        yield
    except KickoffError as exc:
        _err.print(Text(f"Error: {exc}", style="red"))
        raise typer.Exit(1) from exc


def _print_report(report: IngestReport) -> None:
    for added in report.added:
        if added.unchanged:
            _out.print(Text(f"  = {added.source}: unchanged, {added.chunks} chunks", style="dim"))
            continue
        replaced = f", replaced {added.replaced}" if added.replaced else ""
        _out.print(Text(f"  + {added.source}: {added.chunks} chunks{replaced}"))
    for skipped in report.skipped:
        _out.print(Text(f"  - skipped {skipped.path}: {skipped.reason}", style="dim"))
    for failure in report.errors:
        _err.print(Text(f"  x {failure.message}", style="red"))
    indexed = [f for f in report.added if not f.unchanged]
    summary = f"Added {len(indexed)} file(s), {sum(f.chunks for f in indexed)} chunks, for tenant {report.tenant!r}"
    if len(indexed) < len(report.added):
        summary += f"; {len(report.added) - len(indexed)} unchanged"
    if report.errors:
        summary += f"; {len(report.errors)} file(s) failed"
    elif not report.added:
        summary += "; no supported files were found"
    _out.print(Text(summary + ".", style="bold"))


def _print_passage(rank: int, passage: Passage) -> None:
    citation = passage.citation
    header = Text(f"{rank}. ", style="bold")
    header.append(citation.source, style="bold cyan")
    if citation.heading:
        header.append(f" > {citation.heading}")
    header.append(f"  (score {passage.score:.2f})", style="dim")
    _out.print(header)
    _out.print(Padding(Text(_reflow(passage.text)), (0, 0, 1, 3)), soft_wrap=False)


def _reflow(text: str) -> str:
    """Join the hard-wrapped lines of prose so the terminal can wrap them; keep list items apart."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines: list[str] = []
        for line in paragraph.splitlines():
            if lines and not _BLOCK_START.match(line):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line.strip())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


if __name__ == "__main__":
    app()
