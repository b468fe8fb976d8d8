"""`kickoff eval` on the LLM path: KICKOFF_MODEL=llm is honoured, the report counts calls, fallbacks by cause
and tokens, and a gate on the fallback rate fails a run the fallback carried."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import get_settings

SCENARIO = Path(__file__).resolve().parent.parent / "evals" / "scenarios" / "bakery-pos.yaml"


@pytest.fixture
def llm_env(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("KICKOFF_MODEL", "llm")
    monkeypatch.setenv("KICKOFF_LLM_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("KICKOFF_LLM_MODEL", "eval-model")
    monkeypatch.setenv("KICKOFF_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _run(tmp_path: Path, *extra: str) -> tuple[int, str, dict]:
    out = tmp_path / "r.json"
    result = CliRunner().invoke(app, ["eval", str(SCENARIO), "--out", str(out), *extra])
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    return result.exit_code, result.output, data


def test_kickoff_model_llm_is_used_and_fallbacks_are_counted(
    fake_openai: FakeOpenAI, llm_env: None, tmp_path: Path
) -> None:
    # Nothing queued: the server answers every call with a 500, so every step falls back.
    code, output, data = _run(tmp_path, "--fail-over", "llm_fallback_rate=0.2")
    assert data["extra"]["model"] == "llm"
    llm = data["extra"]["llm"]
    assert llm["turns"] > 5 and llm["fallbacks"] == {"http_error": llm["turns"]} and llm["fallback_rate"] == 1.0
    assert len(fake_openai.requests) == llm["calls"] and all(r["model"] == "eval-model" for r in fake_openai.requests)
    assert code == 1 and "Gate failed: llm_fallback_rate" in output
    assert "fell back to the built-in path" in " ".join(output.split())


def test_a_model_that_answers_leaves_no_fallback(fake_openai: FakeOpenAI, llm_env: None, tmp_path: Path) -> None:
    for _ in range(200):
        fake_openai.reply({"people": []})
    code, output, data = _run(tmp_path, "--fail-over", "llm_fallback_rate=0")
    llm = data["extra"]["llm"]
    assert code == 0, output
    assert llm["fallbacks"] == {} and llm["calls"] == llm["turns"] == 200 - fake_openai.pending
    assert llm["prompt_tokens"] == 11 * llm["calls"] and llm["calls_without_usage"] == 0


def test_the_flag_still_wins_over_the_setting(fake_openai: FakeOpenAI, llm_env: None, tmp_path: Path) -> None:
    code, output, data = _run(tmp_path, "--model", "builtin")
    assert code == 0, output
    assert data["extra"]["model"] == "builtin" and data["extra"]["llm"] is None and fake_openai.requests == []
