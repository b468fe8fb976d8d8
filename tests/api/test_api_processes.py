"""Real `kickoff serve` processes: SIGKILL mid-stream loses no acknowledged message (SQLite), and two workers
sharing one PostgreSQL and one Chroma server serve the same kickoff interchangeably."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_support import CHROMA, IN_CI, free_port, start_server, stop, wait_http

from assistant.config import Settings
from assistant.knowledge.index import KnowledgeBase
from assistant.store import Store

# Never let a developer's own settings leak into the servers under test.
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("KICKOFF_")}


def server_env(**values: str) -> dict[str, str]:
    return {**CLEAN_ENV, "KICKOFF_RATE_LIMIT_PER_MINUTE": "100000", **values}


def test_sigkill_while_posting_loses_no_acknowledged_message(tmp_path: Path, shared_kb: KnowledgeBase) -> None:
    data = tmp_path / "data"
    # The session's indexed playbook, so the server skips re-embedding it (seconds on 2 cores).
    shutil.copytree(shared_kb.settings.chroma_path, data / "chroma")
    store = Store(Settings(data_dir=data))
    store.migrate()
    _, key = store.create_tenant("durable")
    store.dispose()
    h = {"Authorization": f"Bearer {key}"}
    env = server_env(KICKOFF_DATA_DIR=str(data))

    port = free_port()
    proc = start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        kid = httpx.post(f"{base}/v1/kickoffs", json={"brief": "A CRM rollout"}, headers=h).json()["id"]
        acked: list[str] = []
        errors: list[str] = []

        def post_until_it_dies() -> None:
            with httpx.Client(base_url=base, headers=h, timeout=20) as c:
                n = 0
                iid = c.post(f"/v1/kickoffs/{kid}/interviews", json={"stakeholder": "Ann Lee"}).json()["interview_id"]
                while n < 400:
                    n += 1
                    text = f"Answer {n}: the weekly status call runs on Mondays."
                    try:
                        r = c.post(f"/v1/kickoffs/{kid}/interviews/{iid}/messages", json={"text": text})
                    except httpx.HTTPError:
                        return  # the server died mid-request: this message was never acknowledged
                    if r.status_code == 200:
                        acked.append(text)
                    elif r.status_code == 409:  # the interview closed itself; open the next one
                        iid = c.post(f"/v1/kickoffs/{kid}/interviews", json={"stakeholder": f"P {n}"}).json()[
                            "interview_id"
                        ]
                    else:
                        errors.append(f"{r.status_code} {r.text[:200]}")
                        return

        poster = threading.Thread(target=post_until_it_dies)
        poster.start()
        deadline = time.monotonic() + 60
        while len(acked) < 8 and poster.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        poster.join(timeout=30)
        proc.wait(timeout=10)
        assert errors == []
        assert len(acked) >= 8, "the server was killed while messages were being posted"
    finally:
        stop(proc)

    db = data / "kickoff.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    port = free_port()
    proc = start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        k = httpx.get(f"{base}/v1/kickoffs/{kid}", headers=h).json()
        said: list[str] = []
        for s in k["sessions"]:
            turns = httpx.get(f"{base}/v1/kickoffs/{kid}/interviews/{s['id']}", headers=h).json()["turns"]
            said += [t["text"] for t in turns if t["role"] == "stakeholder"]
        missing = [t for t in acked if t not in said]
        assert missing == [], "every message that got a 200 is in the store"
        md = httpx.get(f"{base}/v1/kickoffs/{kid}/charter?format=md", headers=h)
        assert md.status_code == 200 and md.text.startswith("#")
        assert httpx.get(f"{base}/v1/kickoffs/{kid}/charter?format=docx", headers=h).status_code == 200
    finally:
        stop(proc)


@pytest.fixture()
def chroma_server(tmp_path: Path, shared_kb: KnowledgeBase) -> Iterator[str]:
    if CHROMA is None:
        if IN_CI:
            pytest.fail("the chroma CLI is not installed in this environment")
        pytest.skip("the chroma CLI is not installed")
    port = free_port()
    # Seeded with the session's indexed playbook (same on-disk format), so no worker re-embeds it.
    shutil.copytree(shared_kb.settings.chroma_path, tmp_path / "chroma-server")
    server = subprocess.Popen(
        [CHROMA, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/api/v2/heartbeat", timeout=60)
        yield url
    finally:
        stop(server)


def test_two_workers_share_postgres_and_chroma(pg_database: str, chroma_server: str, tmp_path: Path) -> None:
    store = Store(url=pg_database)
    _, key = store.create_tenant(f"two-workers-{time.time_ns()}")
    store.dispose()
    h = {"Authorization": f"Bearer {key}"}
    ports = [free_port(), free_port()]
    procs = []
    try:
        for n, port in enumerate(ports):
            env = server_env(
                KICKOFF_DATABASE_URL=pg_database,
                KICKOFF_CHROMA_URL=chroma_server,
                KICKOFF_DATA_DIR=str(tmp_path / f"w{n}"),
            )
            procs.append(start_server(env, port))
        a, b = (httpx.Client(base_url=f"http://127.0.0.1:{p}", headers=h, timeout=30) for p in ports)
        assert (
            a.get("/readyz").json()["checks"]
            == b.get("/readyz").json()["checks"]
            == {
                "database": "ok",
                "vector_store": "ok",
            }
        )
        kid = a.post("/v1/kickoffs", json={"brief": "A CRM rollout", "title": "CRM"}).json()["id"]
        iid = b.post(f"/v1/kickoffs/{kid}/interviews", json={"stakeholder": "Maria Lopez"}).json()["interview_id"]
        answers = [
            "I'll be accountable for it, and I'm your main contact.",
            "Weekly stand-up on Teams every Tuesday; Sam Ortiz runs it.",
            "Sales reps and their managers move from spreadsheets to the CRM.",
            "Ana Ruiz will run the training sessions.",
        ]
        for n, text in enumerate(answers):
            worker = a if n % 2 == 0 else b  # one message to A, the next to B, same kickoff
            r = worker.post(f"/v1/kickoffs/{kid}/interviews/{iid}/messages", json={"text": text})
            assert r.status_code in (200, 409), r.text
            if r.status_code == 409:
                break
        seen_a = a.get(f"/v1/kickoffs/{kid}/interviews/{iid}").json()["turns"]
        seen_b = b.get(f"/v1/kickoffs/{kid}/interviews/{iid}").json()["turns"]
        assert seen_a == seen_b
        said = [t["text"] for t in seen_a if t["role"] == "stakeholder"]
        assert said == answers[: len(said)] and len(said) >= 2
        assert a.get(f"/v1/kickoffs/{kid}/charter").json()["accountable"] == "Maria Lopez"
        assert (
            a.get(f"/v1/kickoffs/{kid}/charter/versions").json() == b.get(f"/v1/kickoffs/{kid}/charter/versions").json()
        )

        # Concurrent messages through both workers to one kickoff: serialised by the row lock, none lost.
        k2 = a.post("/v1/kickoffs", json={"brief": "A second rollout"}).json()["id"]
        interviews = [
            (w, w.post(f"/v1/kickoffs/{k2}/interviews", json={"stakeholder": f"Person {n}"}).json()["interview_id"])
            for n, w in enumerate((a, b))
        ]
        results: list[int] = []

        def send(worker: httpx.Client, interview: str, n: int) -> None:
            r = worker.post(f"/v1/kickoffs/{k2}/interviews/{interview}/messages", json={"text": f"Answer {n}."})
            results.append(r.status_code)

        threads = [threading.Thread(target=send, args=(w, i, n)) for n, (w, i) in enumerate(interviews * 3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results.count(200) == 6
        state = a.get(f"/v1/kickoffs/{k2}").json()
        total = sum(
            len(
                [
                    t
                    for t in a.get(f"/v1/kickoffs/{k2}/interviews/{s['id']}").json()["turns"]
                    if t["role"] == "stakeholder"
                ]
            )
            for s in state["sessions"]
        )
        assert total == 6

        # One Chroma server: a document uploaded through A is searchable through B.
        doc = b"# Cutover\n\n## Freeze\n\nThe Halvorsen freeze window starts two days before the CRM cutover.\n"
        assert a.post("/v1/documents", files={"file": ("cutover.md", doc, "text/markdown")}).status_code == 201
        hits = b.get("/v1/search", params={"q": "When does the Halvorsen freeze window start?", "k": 5}).json()
        assert any(p["source"] == "cutover.md" for p in hits)
    finally:
        for p in procs:
            stop(p)
