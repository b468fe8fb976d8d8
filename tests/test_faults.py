"""Faults: the model server, the vector store and the database fail; the product degrades, never breaks.

- LLM endpoint down, slow (past the timeout) or answering garbage: the built-in path takes over and the
  turn succeeds with what the built-in path alone would have recorded.
- Vector store unreachable (KICKOFF_CHROMA_URL at a closed loopback port): the interview goes on, and an
  answer to a stakeholder's question says its citations are unavailable.
- Database locked or unavailable: the API answers 503 with the JSON error shape, and nothing is half-written.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_openai import FakeOpenAI  # tests/ is on sys.path (no package)
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from assistant.api import create_app
from assistant.config import Settings
from assistant.domain import Citation
from assistant.engine import AssistantTurn, Engine
from assistant.factory import build_engine
from assistant.knowledge.index import Passage
from assistant.service import KickoffService
from assistant.state import KickoffState
from assistant.store import Store
from assistant.store.models import AuditRow, CharterVersionRow, KickoffRow

BRIEF = "Roll out a new electronic rostering system to the wards of St Mary's hospital by spring."
ANSWER = "I'm accountable for the rollout, and Tom Becker is our technical lead."
QUESTION = "What does the playbook say about training night staff?"


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def roles(state: KickoffState) -> set[tuple[str, str]]:
    return {(a.person, a.role) for a in state.assignments if a.active}


def one_turn(engine: Engine, text: str = ANSWER) -> tuple[KickoffState, AssistantTurn]:
    state = engine.new_kickoff("k1", BRIEF, "Rostering rollout")
    sid = engine.start_interview(state, "Maria Lopez").session_id
    return state, engine.reply(state, sid, text)


@pytest.fixture(scope="module")
def builtin_roles() -> set[tuple[str, str]]:
    state, _ = one_turn(build_engine(Settings(), retrieval=False))
    assert ("Maria Lopez", "accountable_owner") in roles(state)
    return roles(state)


def llm_engine(base_url: str, timeout: float = 2.0) -> Engine:
    settings = Settings(model="llm", llm_base_url=base_url, llm_model="test-model", llm_timeout_s=timeout)
    return build_engine(settings, retrieval=False)


# ---- the LLM endpoint ------------------------------------------------------------------------------


def test_llm_down_falls_back_to_builtin(builtin_roles: set[tuple[str, str]], caplog: pytest.LogCaptureFixture) -> None:
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1")
    t = time.monotonic()
    state, turn = one_turn(engine)
    assert time.monotonic() - t < 10
    assert turn.question and roles(state) == builtin_roles
    assert "using builtin understanding" in caplog.text


def test_llm_server_error_falls_back(fake_openai: FakeOpenAI, builtin_roles: set[tuple[str, str]]) -> None:
    fake_openai.error(500).error(503)
    state, turn = one_turn(llm_engine(fake_openai.base_url))
    assert turn.question and roles(state) == builtin_roles
    assert len(fake_openai.requests) == 1  # no retry storm: one call, then the built-in path


def test_llm_slow_times_out_and_falls_back(fake_openai: FakeOpenAI, builtin_roles: set[tuple[str, str]]) -> None:
    fake_openai.slow(3.0, {"assignments": []})
    t = time.monotonic()
    state, turn = one_turn(llm_engine(fake_openai.base_url, timeout=0.5))
    elapsed = time.monotonic() - t
    assert turn.question and roles(state) == builtin_roles
    assert elapsed < 2.5, f"the turn waited {elapsed:.1f} s for a model that times out after 0.5 s"


@pytest.mark.parametrize(
    "garbage",
    [
        "Sure! Maria is in charge, I think.",
        '{"assignments": [{"person": 42}]',
        "[1, 2, 3]",
        '{"assignments": "everyone"}',
        "\x00\x01\x02",
    ],
)
def test_llm_garbage_falls_back(fake_openai: FakeOpenAI, builtin_roles: set[tuple[str, str]], garbage: str) -> None:
    fake_openai.garbage(garbage).garbage(garbage)  # the first reply and the one re-ask
    state, turn = one_turn(llm_engine(fake_openai.base_url))
    assert turn.question and roles(state) == builtin_roles
    assert fake_openai.pending == 0


class OnePassage:
    """A retriever with one playbook passage, so the answer path runs without building a vector index."""

    def search(self, query: str, k: int) -> list[Any]:
        cite = Citation(source="playbook/05-training.md", heading="Training > Night staff")
        return [Passage(text="Schedule separate sessions for night staff. Record them.", citation=cite, score=0.9)]


def test_llm_answerer_down_still_answers_a_question() -> None:
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", timeout=1.0)
    assert engine.answerer is not None
    engine.retriever = OnePassage()
    _, turn = one_turn(engine, QUESTION)
    assert turn.answer and "night staff" in turn.answer
    assert [c.heading for c in turn.citations] == ["Training > Night staff"], "the built-in answer keeps its citation"


# ---- the vector store ------------------------------------------------------------------------------


def test_vector_store_down_interview_goes_on(tmp_path: Path, builtin_roles: set[tuple[str, str]]) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url=f"http://127.0.0.1:{closed_port()}")
    engine = build_engine(settings)
    state = engine.new_kickoff("k1", BRIEF, "Rostering rollout")
    sid = engine.start_interview(state, "Maria Lopez").session_id
    t = time.monotonic()
    asked = engine.reply(state, sid, QUESTION)
    assert time.monotonic() - t < 15
    assert asked.answer and "citations are unavailable" in asked.answer
    assert asked.citations == [] and asked.question, "the interview must go on with the next question"
    answered = engine.reply(state, sid, ANSWER)
    assert roles(state) == builtin_roles and answered.question


def test_vector_store_down_through_the_api(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url=f"http://127.0.0.1:{closed_port()}", rate_limit_per_minute=10_000)
    store = Store(settings)
    app = create_app(settings, service=KickoffService(store, settings))
    _, key = store.create_tenant("t")
    h = {"Authorization": f"Bearer {key}"}
    with TestClient(app, raise_server_exceptions=False) as c:
        k = c.post("/v1/kickoffs", json={"brief": BRIEF}, headers=h).json()["id"]
        iid = c.post(f"/v1/kickoffs/{k}/interviews", json={"stakeholder": "Maria Lopez"}, headers=h).json()[
            "interview_id"
        ]
        r = c.post(f"/v1/kickoffs/{k}/interviews/{iid}/messages", json={"text": QUESTION}, headers=h)
        assert r.status_code == 200, r.text
        assert "citations are unavailable" in r.json()["answer"] and r.json()["citations"] == []
        r = c.post(f"/v1/kickoffs/{k}/interviews/{iid}/messages", json={"text": ANSWER}, headers=h)
        assert r.status_code == 200 and r.json()["delta"]["assignments"]
    store.dispose()


# ---- the database ----------------------------------------------------------------------------------


class Db:
    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path / "kickoff.db"
        self.settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{self.path}", rate_limit_per_minute=10_000)
        self.store = Store(self.settings)

        @event.listens_for(self.store.engine, "connect")
        def _short_wait(dbapi_conn: Any, _record: Any) -> None:
            # Runs after the store's own listener: wait 0.3 s for a lock, not 30 s, to keep the test fast.
            dbapi_conn.execute("PRAGMA busy_timeout=300")

        engine = build_engine(self.settings, retrieval=False)
        self.service = KickoffService(self.store, self.settings, engine_for=lambda _t: engine)
        self.client = TestClient(create_app(self.settings, service=self.service), raise_server_exceptions=False)
        _, key = self.store.create_tenant("t")
        self.h = {"Authorization": f"Bearer {key}"}
        self.kickoff = self.client.post("/v1/kickoffs", json={"brief": BRIEF}, headers=self.h).json()["id"]
        r = self.client.post(
            f"/v1/kickoffs/{self.kickoff}/interviews", json={"stakeholder": "Maria Lopez"}, headers=self.h
        )
        self.interview = r.json()["interview_id"]
        self.messages = f"/v1/kickoffs/{self.kickoff}/interviews/{self.interview}/messages"

    def snapshot(self) -> tuple[str, int, int, int]:
        """Everything a message writes: the state, charter versions, audit rows."""
        with sqlite3.connect(self.path) as con:
            state, version = con.execute(
                f"SELECT state, version FROM {KickoffRow.__tablename__} WHERE id = ?", (self.kickoff,)
            ).fetchone()
            charters = con.execute(f"SELECT count(*) FROM {CharterVersionRow.__tablename__}").fetchone()[0]
            audits = con.execute(f"SELECT count(*) FROM {AuditRow.__tablename__}").fetchone()[0]
        return state, version, charters, audits


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Db]:
    d = Db(tmp_path)
    yield d
    d.client.close()
    d.store.dispose()


def assert_503(r: Any) -> None:
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["error"]["code"] == "database_unavailable" and body["error"]["message"]
    assert "Traceback" not in r.text and "sqlite" not in r.text.lower()


def test_database_locked_gives_503_and_writes_nothing(db: Db) -> None:
    before = db.snapshot()
    locker = sqlite3.connect(db.path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
    try:
        assert_503(db.client.post(db.messages, json={"text": ANSWER}, headers=db.h))
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert db.snapshot() == before
    r = db.client.post(db.messages, json={"text": ANSWER}, headers=db.h)  # the lock is gone: it works again
    assert r.status_code == 200 and r.json()["delta"]["assignments"]
    assert db.snapshot() != before


def test_database_fails_mid_transaction_nothing_half_written(db: Db, monkeypatch: pytest.MonkeyPatch) -> None:
    before = db.snapshot()

    def broken_audit(*_a: Any, **_k: Any) -> None:
        # The state and a charter version are already in the session when the audit insert fails.
        raise OperationalError("INSERT INTO audit", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(db.service, "_audit", broken_audit)
    assert_503(db.client.post(db.messages, json={"text": ANSWER}, headers=db.h))
    assert db.snapshot() == before
    with db.store.read() as s:
        assert s.scalar(select(func.count()).select_from(CharterVersionRow)) == before[2]


def test_database_unavailable_gives_503(db: Db) -> None:
    db.store.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db.path}{suffix}").unlink(missing_ok=True)
    os.mkdir(db.path)  # the database file is gone and cannot be opened (a directory in its place)
    assert_503(db.client.post(db.messages, json={"text": ANSWER}, headers=db.h))
    assert_503(db.client.get(f"/v1/kickoffs/{db.kickoff}", headers=db.h))
