"""`kickoff live FILE`: the facilitator feed on a terminal, JSON lines, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app

DATA = Path(__file__).parent / "data" / "transcripts"
runner = CliRunner()


def test_follow_prints_the_feed_then_the_review_and_the_charter() -> None:
    result = runner.invoke(
        app, ["live", str(DATA / "warehouse_duplicates.srt"), "--follow", "--provider", "Priya Shah"]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Marco Bianchi: The steering committee owns it.\n" in out
    assert "Marco Bianchi: The steering committee owns it.  (repeat, not applied again)" in out
    assert "◦ topic: Accountability and primary contact" in out
    assert "→ ask: " in out
    review, charter = out.index("Gap review"), out.index("Charter draft")
    assert out.index("→ ask: ") < review < charter
    assert "Who reviews order accuracy and dock-to-stock time, and how often?" in out[review:charter]
    assert "# Accountability charter: warehouse-duplicates" in out[charter:]


def test_without_follow_only_the_review_and_charter() -> None:
    result = runner.invoke(app, ["live", str(DATA / "clinic_scheduling.txt"), "--title", "Clinic scheduling"])
    assert result.exit_code == 0, result.output
    assert "→ ask: " not in result.output
    assert "**Helen Park** is accountable" in result.output
    assert "# Accountability charter: Clinic scheduling" in result.output


def test_json_lines() -> None:
    result = runner.invoke(
        app, ["live", str(DATA / "permit_portal.vtt"), "--json", "--brief", "An online permit portal."]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {"speaker", "context", "assignment", "coverage", "flag_added", "suggestion"} <= {r["kind"] for r in rows}
    assert rows[-2]["kind"] == "gap_review" and rows[-2]["missing_roles"]
    assert rows[-1]["kind"] == "charter" and rows[-1]["charter"]["project"] == "An online permit portal."
    assert all("segment" in r and "data" in r for r in rows[:-2])


def test_bad_transcript_exits_with_the_fix(tmp_path: Path) -> None:
    bad = tmp_path / "call.txt"
    bad.write_text("no speaker on this line\n")
    result = runner.invoke(app, ["live", str(bad)])
    assert result.exit_code == 1
    assert "line 1" in result.output and "Speaker: text" in result.output
    assert "Traceback" not in result.output
