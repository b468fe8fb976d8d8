"""`kickoff search` and `kickoff ingest` through Typer's test runner."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> CliRunner:
    # One data dir for the module, so the playbook is indexed once; KICKOFF_CHROMA_URL is cleared
    # in case the developer's shell points at a server.
    data = tmp_path_factory.mktemp("cli-data")
    return CliRunner(env={"KICKOFF_DATA_DIR": str(data), "KICKOFF_CHROMA_URL": None})


def test_search_json_cites_the_accountability_chapter(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "who should own the rollout on the client side", "--json"])
    assert result.exit_code == 0, result.output
    passages = json.loads(result.stdout)  # progress and notices go to stderr, never into the JSON
    assert 1 <= len(passages) <= 3
    top = passages[0]
    assert top["citation"]["source"] == "playbook/01-why-accountability.md"
    assert top["citation"]["heading"]
    assert top["text"] and isinstance(top["score"], float)


def test_search_prints_file_heading_and_score(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "how often should the project team meet", "--k", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1. playbook/")
    assert "2. playbook/" in result.stdout and "3. " not in result.stdout
    assert " > " in result.stdout and "(score " in result.stdout


def test_ingest_reports_failures_with_exit_code_1_and_keeps_good_files(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text("# Plan\n\n## Go-live\n\nGo-live is planned for the ninth of September.\n")
    (tmp_path / "broken.pdf").write_bytes(b"definitely not a pdf" * 10)

    result = runner.invoke(app, ["ingest", str(tmp_path), "--tenant", "acme"])

    assert result.exit_code == 1
    assert "plan.md: 1 chunks" in result.stdout
    assert "broken.pdf" in result.stderr and "not a readable PDF" in result.stderr
    assert "Added 1 file(s)" in result.stdout and "1 file(s) failed" in result.stdout

    found = runner.invoke(app, ["search", "when is go-live planned", "--json", "-k", "1", "--tenant", "acme"])
    assert json.loads(found.stdout)[0]["citation"] == {
        "source": "plan.md",
        "heading": "Plan > Go-live",
        "chunk_id": "plan.md#0",
    }
    other = runner.invoke(app, ["search", "when is go-live planned", "--json", "--tenant", "globex"])
    assert all(p["citation"]["source"].startswith("playbook/") for p in json.loads(other.stdout))


def test_ingest_of_good_files_exits_0_and_reingest_replaces(runner: CliRunner, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("The steering committee meets on Thursdays.")
    first = runner.invoke(app, ["ingest", str(note)])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["ingest", str(note)])
    assert again.exit_code == 0 and "note.txt: unchanged, 1 chunks" in again.stdout
    assert "Added 0 file(s), 0 chunks, for tenant 'local'; 1 unchanged." in again.stdout
    note.write_text("The steering committee now meets on Mondays.")
    changed = runner.invoke(app, ["ingest", str(note)])
    assert changed.exit_code == 0 and "note.txt: 1 chunks, replaced 1" in changed.stdout


def test_ingest_of_nothing_usable_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["ingest", str(tmp_path / "nope.docx")])
    assert missing.exit_code == 1 and "nope.docx: no such file or folder" in missing.stderr

    (tmp_path / "only.png").write_bytes(b"\x89PNG")
    empty = runner.invoke(app, ["ingest", str(tmp_path)])
    assert empty.exit_code == 1 and "no supported files were found" in empty.stdout


def test_help_texts(runner: CliRunner) -> None:
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0 and "ingest" in top.stdout and "search" in top.stdout and "serve" in top.stdout
    ingest = runner.invoke(app, ["ingest", "--help"])
    assert ingest.exit_code == 0 and "replaces" in ingest.stdout and "--tenant" in ingest.stdout
    usage = runner.invoke(app, ["ingest"])
    assert usage.exit_code == 2  # a path is required


def test_unreachable_store_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    runner = CliRunner(env={"KICKOFF_DATA_DIR": str(tmp_path), "KICKOFF_CHROMA_URL": url})
    result = runner.invoke(app, ["search", "who owns it"])
    assert result.exit_code == 1
    assert f"Error: The vector store at {url} is unavailable" in result.stderr
    assert "Traceback" not in result.output
