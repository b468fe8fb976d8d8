"""What one interview turn costs, next to baselines measured in the same run.

Run: `.venv/bin/python -m benchmarks.turn_overhead` (or `python benchmarks/turn_overhead.py`).
Writes benchmarks/results/turn_overhead.json.

Measured (p50/p95/mean, milliseconds):
- builtin turn: Engine.reply on the built-in path (guard, understand, apply, assess, decide, respond)
  plus persist = serialising the KickoffState to JSON; the answers cycle through a scripted interview.
- builtin question turn: the same, for a stakeholder question, which also retrieves and cites.
- service turn: KickoffService.post_message over SQLite (lock row, load state, engine turn, save state,
  charter version, audit row, commit): persist through the store, as the API does it.
- retrieval alone: KnowledgeBase.search over the same knowledge base (query embedding + chroma query).
- LLM-path turn: the engine with LLMUnderstanding against the scripted fake OpenAI-compatible server
  (tests/fake_openai.py) answering instantly with the same extractions the built-in path produced.
- bare LLM call: OpenAICompatibleModel.complete against the same server with the same reply.
Ratios: builtin turn / retrieval; LLM-path turn / bare LLM call (the product's own overhead per turn).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # `python benchmarks/turn_overhead.py` from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fake OpenAI-compatible server lives with the tests

from fake_openai import FakeOpenAI  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.domain import Extraction, UnderstandingContext, Utterance  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.factory import build_engine  # noqa: E402
from assistant.knowledge.index import KnowledgeBase  # noqa: E402
from assistant.openai_client import OpenAICompatibleModel  # noqa: E402
from assistant.service import InterviewCreate, KickoffCreate, KickoffService, Principal  # noqa: E402
from assistant.state import KickoffState  # noqa: E402
from assistant.store import Store  # noqa: E402
from assistant.understanding.builtin import BuiltinUnderstanding  # noqa: E402
from assistant.understanding.llm import LLMUnderstanding  # noqa: E402
from benchmarks.machine import machine_info  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "turn_overhead.json"
BRIEF = "Roll out a new payroll and time-tracking system to 400 staff across three sites by March."
TITLE = "Payroll upgrade"
STAKEHOLDER = "Maria Lopez"
# A plausible interview: statements only, so every turn is one understanding call and no retrieval.
ANSWERS = [
    "I'm accountable for the rollout; I sign off on go-live.",
    "Tom Becker is our technical lead and handles the integration with payroll.",
    "Aylin Demir runs training, two sessions per site before go-live.",
    "We measure weekly active users and the number of payroll corrections; Sam Ortiz reviews them monthly.",
    "Support goes through the IT service desk; Priya Nair leads it.",
    "Data protection: Jonas Weber, our DPO, signs off on the data migration.",
    "Go-live is 3 March, with a two-week parallel run.",
    "The works council has to be consulted before we switch off the old system.",
    "I'm not sure about that, to be honest.",
    "Budget is held by finance; Kevin Ross is the CFO and our executive sponsor.",
    "We'll send a weekly update email and have a Teams channel for questions.",
    "The biggest worry is that night staff won't get trained in time.",
]
QUESTIONS = [
    "What does the playbook say about training night staff?",
    "How should we measure adoption after go-live?",
    "Who should own the rollback decision?",
    "What is a RACI chart for?",
]


def stats(ms: list[float]) -> dict[str, float]:
    a = np.array(ms)
    return {
        "n": len(ms),
        "p50_ms": round(float(np.percentile(a, 50)), 3),
        "p95_ms": round(float(np.percentile(a, 95)), 3),
        "mean_ms": round(float(a.mean()), 3),
    }


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


class Recording:
    """Wraps the built-in understanding and keeps each extraction, to replay it from the fake LLM server."""

    name = "builtin"

    def __init__(self) -> None:
        self.inner = BuiltinUnderstanding()
        self.outputs: list[str] = []

    def understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction:
        ext = self.inner.understand(utt, ctx)
        self.outputs.append(ext.model_dump_json(exclude_defaults=True))
        return ext


def interview_turns(
    engine: Engine, n: int, texts: list[str], before_turn: Callable[[int], object] | None = None
) -> list[float]:
    """n timed turns; a fresh kickoff and interview each time the script runs out or the interview closes."""
    out: list[float] = []
    state: KickoffState | None = None
    session = ""
    i = 0
    while len(out) < n:
        if state is None or i % len(texts) == 0:
            state = engine.new_kickoff(f"k{len(out)}", BRIEF, TITLE)
            session = engine.start_interview(state, STAKEHOLDER).session_id
        text = texts[i % len(texts)]
        i += 1
        if before_turn is not None:
            before_turn(i)
        st = state

        def turn(st: KickoffState = st, sid: str = session, text: str = text) -> None:
            engine.reply(st, sid, text)
            st.model_dump_json()  # persist = the serialised state the store writes

        out.append(timed(turn))
        if st.session(session).status == "closed":
            state = None
            i = 0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the LLM path must not fall back; a warning here would be noise
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    n = args.turns
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="kickoff-bench-") as tmp:
        settings = Settings(data_dir=Path(tmp), rate_limit_per_minute=1_000_000)
        kb = KnowledgeBase(settings)
        kb.ensure_playbook_indexed()

        # ---- built-in path, answers and questions ----
        recorder = Recording()
        engine = build_engine(settings, kb=kb)
        engine.understanding = recorder
        interview_turns(engine, 20, ANSWERS)  # warm-up: models loaded, caches filled
        recorder.outputs.clear()
        builtin = interview_turns(engine, n, ANSWERS)
        extractions = list(recorder.outputs)
        questions = interview_turns(engine, max(50, n // 4), QUESTIONS)

        # ---- baseline: retrieval alone, same knowledge base ----
        queries = QUESTIONS + ANSWERS
        for q in queries:
            kb.search(q, 3, tenant="local")
        retrieval: list[float] = []
        for i in range(n):
            q = queries[i % len(queries)]
            retrieval.append(timed(lambda q=q: kb.search(q, 3, tenant="local")))  # type: ignore[misc]

        # ---- service layer over SQLite: persist through the store ----
        store = Store(settings)
        store.migrate()
        service = KickoffService(store, settings, engine_for=lambda _t: engine, kb=kb)
        engine.understanding = BuiltinUnderstanding()
        tenant, _key = store.create_tenant("bench")
        p = Principal(tenant_id=tenant.id, tenant_name=tenant.name)
        svc: list[float] = []
        while len(svc) < n:
            kid = service.create_kickoff(p, KickoffCreate(brief=BRIEF, title=TITLE)).id
            iid = service.start_interview(p, kid, InterviewCreate(stakeholder=STAKEHOLDER)).interview_id
            for text in ANSWERS:
                svc.append(timed(lambda kid=kid, iid=iid, text=text: service.post_message(p, kid, iid, text)))  # type: ignore[misc]
                if service.get_state(p, kid).session(iid).status == "closed":
                    break
        svc = svc[:n]
        store.dispose()

        # ---- LLM path against the fake server, answering instantly ----
        server = FakeOpenAI().start()
        try:
            llm_settings = settings.model_copy(
                update={"model": "llm", "llm_base_url": server.base_url, "llm_model": "fake"}
            )
            llm_engine = build_engine(llm_settings, kb=kb)
            assert isinstance(llm_engine.understanding, LLMUnderstanding)
            fallbacks = 0
            fallback = llm_engine.understanding.fallback

            class Counting:
                name = "builtin"

                def understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction:
                    nonlocal fallbacks
                    fallbacks += 1
                    return fallback.understand(utt, ctx)

            llm_engine.understanding.fallback = Counting()
            # Same answers in the same order, so each turn gets the extraction the built-in path made for it.
            replies = iter(extractions)
            llm = interview_turns(llm_engine, n, ANSWERS, before_turn=lambda _i: server.reply(next(replies)))
            requests = len(server.requests)
            model = OpenAICompatibleModel(server.base_url, "fake")
            schema = Extraction.model_json_schema()
            prompt = server.requests[-1]["messages"] if server.requests else [{"role": "user", "content": "hi"}]
            bare: list[float] = []
            for i in range(n):
                server.reply(extractions[i % len(extractions)])
                bare.append(timed(lambda: model.complete(prompt, json_schema=schema)))
        finally:
            server.stop()

    report: dict[str, Any] = {
        "benchmark": "turn_overhead",
        "command": "python -m benchmarks.turn_overhead",
        "machine": machine_info(load_before),
        "builtin_turn": stats(builtin),
        "builtin_question_turn": stats(questions),
        "service_turn_sqlite": stats(svc),
        "retrieval_alone": stats(retrieval),
        "llm_turn_fake_server": stats(llm),
        "llm_bare_call": stats(bare),
        "llm_requests": requests,
        "llm_fallbacks": fallbacks,
        "ratios": {
            "builtin_turn_vs_retrieval_p50": round(stats(builtin)["p50_ms"] / stats(retrieval)["p50_ms"], 3),
            "builtin_turn_vs_retrieval_p95": round(stats(builtin)["p95_ms"] / stats(retrieval)["p95_ms"], 3),
            "question_turn_vs_retrieval_p50": round(stats(questions)["p50_ms"] / stats(retrieval)["p50_ms"], 3),
            "service_turn_vs_retrieval_p50": round(stats(svc)["p50_ms"] / stats(retrieval)["p50_ms"], 3),
            "llm_turn_vs_bare_call_p50": round(stats(llm)["p50_ms"] / stats(bare)["p50_ms"], 3),
            "llm_turn_vs_bare_call_p95": round(stats(llm)["p95_ms"] / stats(bare)["p95_ms"], 3),
        },
        "total_s": round(time.perf_counter() - t0, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    def row(label: str, s: dict[str, float]) -> str:
        return f"  {label:<34} p50 {s['p50_ms']:8.2f} ms   p95 {s['p95_ms']:8.2f} ms   (n={s['n']})"

    r = report["ratios"]
    print(f"turn overhead ({os.cpu_count()} CPUs, {n} turns each)")
    print(row("built-in turn (+ JSON persist)", report["builtin_turn"]))
    print(row("built-in question turn (retrieves)", report["builtin_question_turn"]))
    print(row("service turn (SQLite store)", report["service_turn_sqlite"]))
    print(row("baseline: retrieval alone", report["retrieval_alone"]))
    print(row("LLM-path turn (fake server)", report["llm_turn_fake_server"]))
    print(row("baseline: bare LLM call", report["llm_bare_call"]))
    print(
        f"  ratio built-in turn / retrieval:   p50 {r['builtin_turn_vs_retrieval_p50']}x  "
        f"p95 {r['builtin_turn_vs_retrieval_p95']}x"
    )
    print(f"  ratio question turn / retrieval:   p50 {r['question_turn_vs_retrieval_p50']}x")
    print(f"  ratio service turn / retrieval:    p50 {r['service_turn_vs_retrieval_p50']}x")
    print(
        f"  ratio LLM turn / bare LLM call:    p50 {r['llm_turn_vs_bare_call_p50']}x  "
        f"p95 {r['llm_turn_vs_bare_call_p95']}x  (LLM requests {requests}, fallbacks {fallbacks})"
    )
    print(f"  total {report['total_s']} s -> {args.out}")


if __name__ == "__main__":
    main()
