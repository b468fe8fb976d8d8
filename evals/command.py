"""`kickoff eval`: run scenario folders, write the JSON and Markdown reports, gate on thresholds."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.progress import progress_bar
from evals.metrics import LOWER_IS_BETTER, SUMMARY_KEYS
from evals.report import llm_line

DEFAULT_DIR = Path("evals/scenarios")
# Outside the repository root, fall back to the scenarios that ship with the package.
PACKAGED_DIR = Path(__file__).resolve().parent / "scenarios"
# Gates may also name on_topic_rate and, for a model run, llm_fallback_rate (reported outside `summary`).
GATE_KEYS = (*SUMMARY_KEYS, "on_topic_rate", "llm_fallback_rate")
_LOWER_IS_BETTER = LOWER_IS_BETTER | {"llm_fallback_rate"}

_out = Console(highlight=False)
_err = Console(stderr=True, highlight=False)


class ModelChoice(StrEnum):
    builtin = "builtin"
    llm = "llm"


def parse_gates(values: list[str], option: str) -> dict[str, float]:
    """'key=value' pairs; a lower-is-better key under --fail-under (or the reverse) is a usage error."""
    gates: dict[str, float] = {}
    for raw in values:
        name, sep, number = raw.partition("=")
        name = name.strip()
        if not sep or name not in GATE_KEYS:
            raise typer.BadParameter(
                f"'{raw}': expected KEY=VALUE with KEY one of {', '.join(GATE_KEYS)}", param_hint=option
            )
        try:
            gates[name] = float(number)
        except ValueError as e:
            raise typer.BadParameter(f"'{raw}': '{number}' is not a number", param_hint=option) from e
        if option == "--fail-under" and name in _LOWER_IS_BETTER:
            raise typer.BadParameter(f"{name} is lower-is-better: use --fail-over {name}={number}", param_hint=option)
        if option == "--fail-over" and name not in _LOWER_IS_BETTER and name != "mean_turns":
            raise typer.BadParameter(f"{name} is higher-is-better: use --fail-under {name}={number}", param_hint=option)
    return gates


def eval_command(
    dirs: Annotated[
        list[Path] | None,
        typer.Argument(help="Scenario folders or files (default: evals/scenarios).", show_default=False),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the JSON results here.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write the Markdown report here.")] = None,
    model: Annotated[
        ModelChoice | None,
        typer.Option(
            "--model", help="Understanding to evaluate [default: KICKOFF_MODEL, else builtin].", show_default=False
        ),
    ] = None,
    fail_under: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-under", help="KEY=VALUE: exit 1 when the summary value is below it. Repeatable.", show_default=False
        ),
    ] = None,
    fail_over: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-over",
            help="KEY=VALUE for lower-is-better keys (false_coverage, mean_turns): "
            "exit 1 when the value is above it. Repeatable.",
            show_default=False,
        ),
    ] = None,
    turn_cap: Annotated[int, typer.Option("--turn-cap", min=3, help="Most questions per interview.")] = 25,
) -> None:
    """Run the eval scenarios and score the charters against their expectations.

    Exits 1 when a scenario file is malformed, the engine crashed on a scenario, or a gate is not met;
    2 on a usage error.
    """
    from assistant.config import get_settings
    from assistant.errors import KickoffError
    from evals.report import write
    from evals.runner import run_eval

    chosen = model.value if model is not None else get_settings().model
    under = parse_gates(fail_under or [], "--fail-under")
    over = parse_gates(fail_over or [], "--fail-over")
    paths = dirs or [DEFAULT_DIR if DEFAULT_DIR.is_dir() else PACKAGED_DIR]
    with progress_bar("Evaluating", _err) as bar:
        task = bar.add_task("eval", total=None, current="loading the engine")

        def progress(done: int, total: int, current: str) -> None:
            bar.update(task, completed=done, total=total, current=current)

        try:
            result = run_eval(paths, model=chosen, cap=turn_cap, progress=progress)
        except KickoffError as e:
            _err.print(Text(f"Error: {e}", style="red"))
            raise typer.Exit(1) from e
    write(result, out, report, [str(p) for p in paths])

    table = Table(title="Eval summary", show_header=True)
    table.add_column("metric")
    table.add_column("value", justify="right")
    llm = result.extra["llm"]
    values: dict[str, float | int | None] = {
        **result.summary,
        "on_topic_rate": result.extra["on_topic_rate"],
        "llm_fallback_rate": llm["fallback_rate"] if llm else None,
    }
    for k in GATE_KEYS:
        v = values[k]
        table.add_row(k, "\u2013" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v))
    table.add_row("wall_time_s", f"{result.extra['wall_time_s']:.1f}")
    _out.print(table)
    if llm:
        _out.print(Text(llm_line(llm), style="yellow" if llm["fallbacks"] else "dim"))
    for row in result.scenarios:
        if not row.passed:
            _out.print(Text(f"  FAIL {row.id}: {', '.join(row.why_failed)}", style="red"))
    for bad in result.malformed:
        _err.print(Text(f"  malformed {bad.path}: field '{bad.field}': {bad.message}", style="red"))
    for path in (out, report):
        if path:
            _out.print(Text(f"Wrote {path}", style="dim"))

    failed = not result.ok
    for k, limit in under.items():
        v = values[k]
        if v is None or v < limit:
            _err.print(Text(f"Gate failed: {k} = {v} is below {limit}", style="red"))
            failed = True
    for k, limit in over.items():
        v = values[k]
        if v is not None and v > limit:
            _err.print(Text(f"Gate failed: {k} = {v} is above {limit}", style="red"))
            failed = True
    if failed:
        raise typer.Exit(1)
