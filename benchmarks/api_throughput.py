"""API throughput and memory: 20 concurrent interviews through `kickoff serve` on loopback.

Run: `.venv/bin/python -m benchmarks.api_throughput` (or `python benchmarks/api_throughput.py`).
Writes benchmarks/results/api_throughput.json and benchmarks/results/memory.json.

`kickoff serve` starts as a subprocess with a temporary data dir (SQLite store, embedded chroma), one
tenant, and a rate limit high enough not to throttle the test. An async httpx client of our own runs
20 workers; each opens a kickoff, starts an interview and sends scripted answers (a new interview when
one closes), so every request is a real turn: lock the row, load, guard, understand, apply, assess,
reply, save state + charter version + audit, commit.
Baseline, in the same run, the same way: a bare FastAPI app (one POST route that parses the same JSON
body and returns a small JSON object) under uvicorn as a subprocess, hit by the same 20 workers with
the same bodies. Ratio = kickoff / bare. Any non-2xx or transport error counts as an error; 0 allowed.
Memory: RSS of the server process (and any children) read from /proc: idle after start-up, and the
peak under the load (sampled every 20 ms, plus the kernel's high-water mark VmHWM).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

if __package__ in (None, ""):  # `python benchmarks/api_throughput.py` from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402
from benchmarks.machine import machine_info  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
BIN = Path(sys.executable).parent
WORKERS = 20
BRIEF = "Roll out a new payroll and time-tracking system to 400 staff across three sites by March."
ANSWERS = [
    "I'm accountable for the rollout; I sign off on go-live.",
    "Tom Becker is our technical lead and handles the integration with payroll.",
    "Aylin Demir runs training, two sessions per site before go-live.",
    "We measure weekly active users; Sam Ortiz reviews them monthly.",
    "Support goes through the IT service desk; Priya Nair leads it.",
    "Go-live is 3 March, with a two-week parallel run.",
    "I'm not sure about that, to be honest.",
    "We'll send a weekly update email and have a Teams channel for questions.",
    "The biggest worry is that night staff won't get trained in time.",
]
_BARE_APP = """
from fastapi import FastAPI
from pydantic import BaseModel

class Body(BaseModel):
    text: str

app = FastAPI()

@app.post("/echo")
def echo(body: Body) -> dict:
    return {"kind": "question", "text": body.text[:40], "done": False}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree_pids(pid: int) -> list[int]:
    out = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = (task / "children").read_text().split()
        except OSError:
            continue
        for k in kids:
            out.extend(tree_pids(int(k)))
    return out


def status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb(pid: int) -> float:
    return sum(status_kb(p, "VmRSS") for p in tree_pids(pid)) / 1024


def hwm_mb(pid: int) -> float:
    return sum(status_kb(p, "VmHWM") for p in tree_pids(pid)) / 1024


def wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} not ready within {timeout} s")


def start(cmd: list[str], env: dict[str, str], log: Path, health: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as f:  # a file, not a pipe: an unread pipe would block a chatty server
        proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=f, stderr=subprocess.STDOUT)
    wait_ready(health, proc, log)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Load:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.messages = 0


async def sample_rss(pid: int, stop_evt: asyncio.Event, peak: list[float]) -> None:
    while not stop_evt.is_set():
        peak[0] = max(peak[0], rss_mb(pid))
        await asyncio.sleep(0.02)


async def kickoff_worker(c: httpx.AsyncClient, w: int, per_worker: int, load: Load) -> None:
    async def post(url: str, body: dict[str, Any], timed: bool = False) -> dict[str, Any] | None:
        t = time.perf_counter()
        try:
            r = await c.post(url, json=body)
        except httpx.HTTPError as e:
            load.errors.append(f"{url}: {type(e).__name__}: {e}")
            return None
        if timed:
            load.latencies.append((time.perf_counter() - t) * 1000)
        if r.status_code >= 300:
            load.errors.append(f"{url}: HTTP {r.status_code} {r.text[:200]}")
            return None
        data: dict[str, Any] = r.json()
        return data

    sent = 0
    while sent < per_worker:
        k = await post("/v1/kickoffs", {"brief": BRIEF, "title": f"Payroll upgrade {w}"})
        if k is None:
            return
        started = await post(f"/v1/kickoffs/{k['id']}/interviews", {"stakeholder": "Maria Lopez"})
        if started is None:
            return
        iid = started["interview_id"]
        for text in ANSWERS:
            turn = await post(f"/v1/kickoffs/{k['id']}/interviews/{iid}/messages", {"text": text}, timed=True)
            if turn is None:
                return
            sent += 1
            load.messages += 1
            if turn.get("done") or sent >= per_worker:
                break


async def bare_worker(c: httpx.AsyncClient, per_worker: int, load: Load) -> None:
    for i in range(per_worker):
        t = time.perf_counter()
        try:
            r = await c.post("/echo", json={"text": ANSWERS[i % len(ANSWERS)]})
        except httpx.HTTPError as e:
            load.errors.append(f"/echo: {type(e).__name__}: {e}")
            continue
        load.latencies.append((time.perf_counter() - t) * 1000)
        if r.status_code >= 300:
            load.errors.append(f"/echo: HTTP {r.status_code}")
        load.messages += 1


async def run_load(base: str, headers: dict[str, str], pid: int, per_worker: int, bare: bool) -> dict[str, Any]:
    load = Load()
    peak = [rss_mb(pid)]
    stop_evt = asyncio.Event()
    limits = httpx.Limits(max_connections=WORKERS, max_keepalive_connections=WORKERS)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits) as c:
        sampler = asyncio.create_task(sample_rss(pid, stop_evt, peak))
        t = time.perf_counter()
        if bare:
            await asyncio.gather(*(bare_worker(c, per_worker, load) for _ in range(WORKERS)))
        else:
            await asyncio.gather(*(kickoff_worker(c, w, per_worker, load) for w in range(WORKERS)))
        wall = time.perf_counter() - t
        stop_evt.set()
        await sampler
    a = np.array(load.latencies or [0.0])
    return {
        "messages": load.messages,
        "wall_s": round(wall, 3),
        "messages_per_s": round(load.messages / wall, 1),
        "p50_ms": round(float(np.percentile(a, 50)), 2),
        "p95_ms": round(float(np.percentile(a, 95)), 2),
        "p99_ms": round(float(np.percentile(a, 99)), 2),
        "errors": len(load.errors),
        "error_samples": load.errors[:5],
        "peak_rss_mb_sampled": round(peak[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages-per-worker", type=int, default=30)
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kickoff-api-bench-") as tmp:
        data = Path(tmp)
        env = {
            "KICKOFF_DATA_DIR": str(data),
            "KICKOFF_RATE_LIMIT_PER_MINUTE": "1000000",  # measure the server, not the limiter
            "KICKOFF_MODEL": "builtin",
            "ANONYMIZED_TELEMETRY": "False",
        }
        settings = Settings(data_dir=data)
        store = Store(settings)
        store.migrate()
        _tenant, key = store.create_tenant("bench")
        store.dispose()
        headers = {"Authorization": f"Bearer {key}"}

        # ---- kickoff serve ----
        port = free_port()
        log = data / "serve.log"
        t = time.perf_counter()
        proc = start(
            [str(BIN / "kickoff"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env,
            log,
            f"http://127.0.0.1:{port}/healthz",
        )
        startup_s = time.perf_counter() - t
        try:
            base = f"http://127.0.0.1:{port}"
            # One turn before "idle": the embedder and the engine load lazily on first use.
            asyncio.run(run_load(base, headers, proc.pid, 1, bare=False))
            time.sleep(1.0)
            idle_mb = rss_mb(proc.pid)
            kickoff = asyncio.run(run_load(base, headers, proc.pid, args.messages_per_worker, bare=False))
            kickoff["peak_rss_mb_hwm"] = round(hwm_mb(proc.pid), 1)
            after_mb = rss_mb(proc.pid)
        finally:
            stop(proc)

        # ---- baseline: a bare FastAPI endpoint, served the same way ----
        app_dir = data / "bare"
        app_dir.mkdir()
        (app_dir / "bare_app.py").write_text(_BARE_APP, encoding="utf-8")
        port = free_port()
        bare_proc = start(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bare_app:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
                "--app-dir",
                str(app_dir),
            ],
            {},
            data / "bare.log",
            f"http://127.0.0.1:{port}/docs",
        )
        try:
            base = f"http://127.0.0.1:{port}"
            asyncio.run(run_load(base, {}, bare_proc.pid, 2, bare=True))
            bare_idle_mb = rss_mb(bare_proc.pid)
            bare = asyncio.run(run_load(base, {}, bare_proc.pid, args.messages_per_worker, bare=True))
            bare["peak_rss_mb_hwm"] = round(hwm_mb(bare_proc.pid), 1)
        finally:
            stop(bare_proc)

    machine = machine_info(load_before)
    report = {
        "benchmark": "api_throughput",
        "command": "python -m benchmarks.api_throughput",
        "machine": machine,
        "concurrent_interviews": WORKERS,
        "kickoff_serve": kickoff,
        "baseline_bare_fastapi": bare,
        "ratios": {
            "throughput_kickoff_vs_bare": round(kickoff["messages_per_s"] / bare["messages_per_s"], 4),
            "p95_kickoff_vs_bare": round(kickoff["p95_ms"] / bare["p95_ms"], 1),
        },
        "errors_total": kickoff["errors"] + bare["errors"],
        "total_s": round(time.perf_counter() - t0, 1),
    }
    peak = max(kickoff["peak_rss_mb_sampled"], kickoff["peak_rss_mb_hwm"])
    bare_peak = max(bare["peak_rss_mb_sampled"], bare["peak_rss_mb_hwm"])
    memory: dict[str, Any] = {
        "benchmark": "memory",
        "command": "python -m benchmarks.memory (same run as benchmarks.api_throughput)",
        "machine": machine,
        "kickoff_serve": {
            "startup_s": round(startup_s, 2),
            "idle_rss_mb": round(idle_mb, 1),
            "peak_rss_mb_under_load": round(peak, 1),
            "rss_mb_after_load": round(after_mb, 1),
        },
        "baseline_bare_fastapi": {"idle_rss_mb": round(bare_idle_mb, 1), "peak_rss_mb_under_load": round(bare_peak, 1)},
        "ratios": {
            "idle_kickoff_vs_bare": round(idle_mb / bare_idle_mb, 2),
            "peak_kickoff_vs_bare": round(peak / bare_peak, 2),
        },
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "api_throughput.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.out_dir / "memory.json").write_text(json.dumps(memory, indent=2) + "\n", encoding="utf-8")

    k, b, r = kickoff, bare, report["ratios"]
    print(f"API throughput: {WORKERS} concurrent interviews on loopback ({os.cpu_count()} CPUs)")
    for label, x, unit in (("kickoff serve:     ", k, "messages"), ("baseline bare API: ", b, "requests")):
        print(
            f"  {label} {x['messages_per_s']:8.1f} msg/s  p50 {x['p50_ms']:7.1f} ms  p95 {x['p95_ms']:7.1f} ms"
            f"  ({x['messages']} {unit}, {x['errors']} errors)"
        )
    print(f"  ratio kickoff/bare: throughput {r['throughput_kickoff_vs_bare']}x, p95 {r['p95_kickoff_vs_bare']}x")
    m = memory["kickoff_serve"]
    mr = memory["ratios"]
    print(
        f"memory (RSS): kickoff serve idle {m['idle_rss_mb']} MB, peak under load {m['peak_rss_mb_under_load']} MB;"
        f" bare FastAPI idle {bare_idle_mb:.1f} MB, peak {bare_peak:.1f} MB"
        f" (ratio idle {mr['idle_kickoff_vs_bare']}x, peak {mr['peak_kickoff_vs_bare']}x)"
    )
    print(f"  total {report['total_s']} s -> {args.out_dir}/api_throughput.json, memory.json")
    if report["errors_total"]:
        for e in kickoff["error_samples"] + bare["error_samples"]:
            print("  error:", e)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
