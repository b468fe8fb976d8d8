"""Runs a folder of scenarios through the engine and scores each charter.

A malformed scenario is recorded (path, field, message) and the others still run; an engine crash
in one scenario fails that scenario only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.config import get_settings
from assistant.engine import Engine
from assistant.llm_stats import LLMStats, LLMUsage
from assistant.understanding.llm import LLMUnderstanding
from evals.metrics import Counted, ScenarioScore, score, summarize
from evals.ontopic import OnTopic
from evals.report import diagnose
from evals.scenario import Scenario, ScenarioError, load_scenario, scenario_files
from evals.simulator import DEFAULT_TURN_CAP, Question, Run, simulate

Progress = Callable[[int, int, str], None]
ModelName = Literal["builtin", "llm"]


class Malformed(BaseModel):
    path: str
    field: str
    message: str


class Row(BaseModel):
    id: str
    title: str
    path: str
    mode: str
    hostile: bool
    passed: bool
    metrics: dict[str, float | int | None] = Field(description="The summary's figures for this scenario alone")
    on_topic_rate: float | None
    off_topic: list[Question]
    cap_hit: bool
    error: str | None
    seconds: float
    why_failed: list[str] = Field(default_factory=list)
    details: list[str] = Field(default_factory=list, description="Expected vs found, and where it went wrong")
    score: ScenarioScore | None
    run: Run | None


class EvalResult(BaseModel):
    summary: dict[str, float | int]
    extra: dict[str, Any]
    scenarios: list[Row]
    malformed: list[Malformed]

    @property
    def ok(self) -> bool:
        """No malformed scenario and no crash (scenario failures are judged by --fail-under)."""
        return not self.malformed and not any(r.error for r in self.scenarios)


def load_all(paths: list[Path]) -> tuple[list[tuple[Path, Scenario]], list[Malformed]]:
    good: list[tuple[Path, Scenario]] = []
    bad: list[Malformed] = []
    seen: dict[str, Path] = {}
    for path in scenario_files(paths):
        if not path.exists():
            bad.append(Malformed(path=str(path), field="(file)", message="does not exist"))
            continue
        try:
            scn = load_scenario(path)
        except ScenarioError as e:
            bad.append(Malformed(path=str(e.path), field=e.field, message=e.message))
            continue
        if scn.id in seen:
            bad.append(Malformed(path=str(path), field="id", message=f"'{scn.id}' is already used by {seen[scn.id]}"))
            continue
        seen[scn.id] = path
        good.append((path, scn))
    return good, bad


def llm_stats(engine: Engine) -> LLMStats | None:
    """The model's counters, when the engine understands through a model."""
    return engine.understanding.model.stats if isinstance(engine.understanding, LLMUnderstanding) else None


def llm_report(usage: LLMUsage) -> dict[str, Any]:
    """What the run asked of the model and how often the built-in path stood in, by cause."""
    return {
        **usage.model_dump(),
        "fallback_rate": round(usage.fallback_rate, 4),
        "protocol_fallbacks": usage.protocol_fallbacks,
    }


def make_engine(model: ModelName) -> Engine:
    from assistant.factory import build_engine

    return build_engine(get_settings(), model=model)


def run_eval(
    paths: list[Path],
    *,
    model: ModelName = "builtin",
    engine: Engine | None = None,
    cap: int = DEFAULT_TURN_CAP,
    progress: Progress | None = None,
) -> EvalResult:
    started = time.perf_counter()
    scenarios, malformed = load_all(paths)
    engine = engine or make_engine(model)
    stats = llm_stats(engine)
    usage_before = stats.snapshot() if stats else None
    topic = OnTopic(engine.book)
    rows: list[tuple[Scenario, Row, dict[str, Any]]] = []
    for n, (path, scn) in enumerate(scenarios):
        if progress:
            progress(n, len(scenarios), scn.id)
        rows.append(_run_one(engine, path, scn, cap))
    if progress:
        progress(len(scenarios), len(scenarios), "")

    # One batched embedding pass over every question of the run.
    questions = [q for _, row, _ in rows if row.run for q in row.run.questions]
    for q, (sim, ok) in zip(questions, topic.check([(q.text, q.item) for q in questions]), strict=True):
        q.similarity, q.on_topic = round(sim, 4), ok

    counted: list[Counted] = []
    for scn, row, charter in rows:
        _judge(scn, row, charter)
        if row.score is not None:
            n_interviews = len(row.run.interviews) if row.run else 0
            n_questions = row.run.question_count if row.run else 0
            counted.append(Counted(score=row.score, questions=n_questions, interviews=n_interviews, passed=row.passed))
    on_topic = sum(1 for q in questions if q.on_topic)
    asks = [a for _, row, _ in rows if row.run for a in row.run.asks]
    extra: dict[str, Any] = {
        "on_topic_rate": round(on_topic / len(questions), 4) if questions else None,
        "wall_time_s": round(time.perf_counter() - started, 2),
        "model": model,
        "turn_cap": cap,
        "questions": len(questions),
        "on_topic_calibration": topic.calibration.model_dump(),
        "asks": {
            "sent": len(asks),
            "answered": sum(1 for a in asks if a.answer),
            "with_citations": sum(1 for a in asks if a.citations),
        },
        "malformed": len(malformed),
        "errors": sum(1 for _, row, _ in rows if row.error),
        "llm": llm_report(stats.snapshot().minus(usage_before)) if stats and usage_before else None,
        "averaging": {
            "micro": ["coverage_recall", "fact_recall", "mean_turns", "on_topic_rate"],
            "macro": ["accountable_accuracy", "role_f1", "missing_role_f1", "risk_f1"],
            "counts": ["false_coverage", "scenarios_passed", "scenarios"],
        },
    }
    return EvalResult(
        summary=summarize(counted), extra=extra, scenarios=[row for _, row, _ in rows], malformed=malformed
    )


def _run_one(engine: Engine, path: Path, scn: Scenario, cap: int) -> tuple[Scenario, Row, dict[str, Any]]:
    t0 = time.perf_counter()
    state = engine.new_kickoff(scn.id, scn.project, title=scn.title)
    run: Run | None = None
    error: str | None = None
    try:
        run = simulate(engine, state, scn, cap)
    except Exception as e:  # noqa: BLE001 - one scenario's crash must not stop the run; it is reported.
        error = f"{type(e).__name__}: {e}"
    charter: dict[str, Any] = {}
    result: ScenarioScore | None = None
    try:
        charter = engine.charter(state).model_dump(mode="json")
        result = score(scn.expect, charter)
    except Exception as e:  # noqa: BLE001
        error = (error + "; " if error else "") + f"charter: {type(e).__name__}: {e}"
    row = Row(
        id=scn.id,
        title=scn.title,
        path=str(path),
        mode=scn.mode,
        hostile=scn.hostile,
        passed=False,
        metrics={},
        on_topic_rate=None,
        off_topic=[],
        cap_hit=bool(run and run.cap_hit),
        error=error,
        seconds=round(time.perf_counter() - t0, 3),
        score=result,
        run=run,
    )
    return scn, row, charter


def _judge(scn: Scenario, row: Row, charter: dict[str, Any]) -> None:
    """Pass/fail and the per-scenario figures, once the on-topic check has run."""
    qs = row.run.questions if row.run else []
    row.off_topic = [q for q in qs if q.on_topic is False]
    row.on_topic_rate = round(1 - len(row.off_topic) / len(qs), 4) if qs else None
    s = row.score
    interviews = len(row.run.interviews) if row.run else 0
    if s is not None:
        row.metrics = {
            "coverage_recall": round(s.coverage_recall, 4),
            "false_coverage": s.false_coverage,
            "accountable_accuracy": s.accountable_accuracy,
            "role_f1": round(s.role_f1, 4),
            "missing_role_f1": round(s.missing_role_f1, 4),
            "risk_f1": round(s.risk_f1, 4),
            "fact_recall": None if s.fact_recall is None else round(s.fact_recall, 4),
            "mean_turns": round(row.run.question_count / interviews, 2) if row.run and interviews else None,
        }
    why: list[str] = []
    if row.error:
        why.append("engine error")
    if s is None:
        why.append("no charter")
    else:
        checks = [
            (s.accountable_accuracy == 1.0, "accountable"),
            (s.role_f1 == 1.0, "roles"),
            (s.missing_role_f1 == 1.0, "missing roles"),
            (s.risk_f1 == 1.0, "risks"),
            (s.coverage_recall == 1.0, "coverage"),
            (s.false_coverage == 0, "false coverage"),
        ]
        why += [label for ok, label in checks if not ok]
    if row.off_topic:
        why.append("off-topic question")
    if row.cap_hit:
        why.append("turn cap")
    row.why_failed = why
    row.passed = not why
    if s is not None and (why or (s.fact_recall is not None and s.fact_recall < 1.0)):
        row.details = diagnose(scn, s, charter, row.run, row.off_topic)
