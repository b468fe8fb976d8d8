"""Helpers shared by the API tests: backends, the Api handle, and subprocess servers."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.service import KickoffService, Principal

PG_URL = os.environ.get("KICKOFF_TEST_POSTGRES_URL", "").strip()
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "postgres"] if PG_URL else ["sqlite"]
BIN = Path(sys.executable).parent
KICKOFF = shutil.which("kickoff", path=str(BIN)) or "kickoff"
CHROMA = shutil.which("chroma", path=str(BIN)) or shutil.which("chroma")


def require_postgres() -> str:
    """The PostgreSQL URL, or skip (locally) / fail (in CI) when it is not configured."""
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but KICKOFF_TEST_POSTGRES_URL is not set; .ci/run must export it.")
        pytest.skip("set KICKOFF_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    return PG_URL


@dataclass
class Api:
    client: TestClient
    service: KickoffService
    settings: Settings
    keys: dict[str, str] = field(default_factory=dict)

    def tenant(self, name: str | None = None) -> dict[str, str]:
        """Authorization headers of a new tenant."""
        name = name or f"t-{secrets.token_hex(4)}"
        _, key = self.service.store.create_tenant(name)
        self.keys[name] = key
        return {"Authorization": f"Bearer {key}"}

    def principal(self, headers: dict[str, str]) -> Principal:
        row = self.service.store.tenant_for_key(headers["Authorization"].split()[1])
        assert row is not None
        return Principal(tenant_id=row.id, tenant_name=row.name)


ApiFactory = Callable[..., Api]


# ---- subprocess servers (durability, two workers) ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            log = getattr(proc, "log_path", None)
            out = Path(log).read_text(errors="replace") if log else ""
            pytest.fail(f"server exited with {proc.returncode} before answering {url}:\n{out[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {timeout:.0f} s")


def start_server(env: dict[str, str], port: int, wait: bool = True) -> subprocess.Popen[bytes]:
    # Output to a file, not a pipe: an unread pipe would block a chatty server.
    with tempfile.NamedTemporaryFile(prefix=f"kickoff-serve-{port}-", suffix=".log", delete=False) as log:
        proc = subprocess.Popen(
            [KICKOFF, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, **env, "ANONYMIZED_TELEMETRY": "False"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    proc.log_path = log.name  # type: ignore[attr-defined]
    if wait:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
