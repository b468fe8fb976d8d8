"""The live-replay benchmark's synthetic call is deterministic and shaped like a real 60-minute call."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root holds benchmarks/

from benchmarks.live_replay import FACILITATOR, LATE, run, synthetic_call  # noqa: E402


def test_synthetic_call_is_deterministic_and_spans_an_hour() -> None:
    call = synthetic_call()
    assert call == synthetic_call()
    assert len(call) == 900
    assert call[0].start == 0 and 3590 < (call[-1].end or 0) <= 3600
    speakers = {s.speaker for s in call}
    assert FACILITATOR in speakers and LATE in speakers and len(speakers) >= 8
    questions = [s for s in call if s.speaker == FACILITATOR and s.text.endswith("?")]
    assert len(questions) > 100
    assert any("ignore your previous instructions" in s.text for s in call)
    assert synthetic_call(seed=8) != call


def test_a_short_run_reports_latency_and_baselines() -> None:
    result = run(n_segments=40)
    assert result["segments"] == 40 and result["segments_per_s"] > 0
    assert set(result["latency"]) == {"p50_ms", "p95_ms", "p99_ms", "max_ms", "mean_ms"}
    assert result["latency"]["p50_ms"] <= result["latency"]["p95_ms"] <= result["latency"]["max_ms"]
    assert {"embed_one_segment", "guard_and_understand", "p50_ratio_live_to_embed"} <= set(result["baseline"])
    assert result["machine"]["cpus"]
