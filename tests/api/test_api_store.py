"""The store: migrations, WAL, key hashes only, one transaction per message; and the tenant CLI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from api_support import Api
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from assistant.cli import app as cli
from assistant.config import Settings
from assistant.store import Store, hash_key


def test_migrations_are_idempotent_and_sqlite_uses_wal(api: Api) -> None:
    store = api.service.store
    store.migrate()  # a second run (another worker starting) is a no-op
    tables = set(inspect(store.engine).get_table_names())
    assert {"tenants", "kickoffs", "charter_versions", "audit_log", "idempotency_keys", "call_events"} <= tables
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        if store.is_sqlite:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_only_the_key_hash_is_stored(api: Api) -> None:
    h = api.tenant("hashed")
    key = h["Authorization"].split()[1]
    with api.service.store.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM tenants")).fetchall()
    dumped = repr(rows)
    assert key not in dumped and hash_key(key) in dumped


def test_a_failed_turn_leaves_nothing_behind(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    h = api.tenant()
    c = api.client
    kid = c.post("/v1/kickoffs", json={"brief": "A CRM rollout"}, headers=h).json()["id"]
    iid = c.post(f"/v1/kickoffs/{kid}/interviews", json={"stakeholder": "Ann Lee"}, headers=h).json()["interview_id"]
    before = c.get(f"/v1/kickoffs/{kid}/interviews/{iid}", headers=h).json()
    versions = c.get(f"/v1/kickoffs/{kid}/charter/versions", headers=h).json()
    audit = c.get(f"/v1/kickoffs/{kid}/audit", headers=h).json()
    engine = api.service.engine(api.principal(h).tenant_id)

    def crash(*_: object) -> None:
        raise RuntimeError("crash after the engine changed the state, before the commit")

    monkeypatch.setattr(engine, "charter", crash)
    r = c.post(f"/v1/kickoffs/{kid}/interviews/{iid}/messages", json={"text": "I'll be accountable for it."}, headers=h)
    assert r.status_code == 500
    monkeypatch.undo()
    assert c.get(f"/v1/kickoffs/{kid}/interviews/{iid}", headers=h).json() == before
    assert c.get(f"/v1/kickoffs/{kid}/charter/versions", headers=h).json() == versions
    assert c.get(f"/v1/kickoffs/{kid}/audit", headers=h).json() == audit


def test_tenant_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KICKOFF_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KICKOFF_DATABASE_URL", raising=False)
    runner = CliRunner()
    made = runner.invoke(cli, ["tenant", "create", "acme"])
    assert made.exit_code == 0, made.output
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("kk_")
    store = Store(Settings(data_dir=tmp_path))
    assert store.tenant_for_key(key) is not None
    assert runner.invoke(cli, ["tenant", "create", "acme"]).exit_code == 1
    listed = runner.invoke(cli, ["tenant", "list"])
    assert "acme" in listed.stdout and "active" in listed.stdout and key not in listed.stdout
    assert runner.invoke(cli, ["tenant", "revoke", "acme"]).exit_code == 0
    assert store.tenant_for_key(key) is None
    assert "revoked" in runner.invoke(cli, ["tenant", "list"]).stdout
    assert runner.invoke(cli, ["tenant", "revoke", "nobody"]).exit_code == 1
    store.dispose()
    with sqlite3.connect(tmp_path / "kickoff.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
