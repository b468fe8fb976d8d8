"""API test fixtures: the real app over SQLite always, and over PostgreSQL when KICKOFF_TEST_POSTGRES_URL is set.

In CI (CI=true) a missing KICKOFF_TEST_POSTGRES_URL or an unreachable server fails the run instead of
skipping the PostgreSQL half silently.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import BACKENDS, IN_CI, PG_URL, Api, ApiFactory, require_postgres
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from assistant.api import create_app
from assistant.config import Settings
from assistant.engine import Engine
from assistant.factory import build_engine
from assistant.knowledge.index import KnowledgeBase
from assistant.service import KickoffService
from assistant.store import Store


@pytest.fixture(scope="session", autouse=True)
def _postgres_required_in_ci() -> None:
    if IN_CI and not PG_URL:
        pytest.fail("CI=true but KICKOFF_TEST_POSTGRES_URL is not set; .ci/run must export it.")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh database for this test session on the configured server; dropped afterwards."""
    url = make_url(require_postgres())
    name = f"kickoff_test_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - unreachable server: fail loudly, never skip
        pytest.fail(f"PostgreSQL at {url.render_as_string(hide_password=True)} is unreachable: {exc}")
    db_url = url.set(database=name).render_as_string(hide_password=False)
    Store(url=db_url).migrate()
    try:
        yield db_url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def shared_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """One embedded vector store for the session (indexing the playbook once saves seconds per test)."""
    kb = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("kb")))
    kb.ensure_playbook_indexed()
    return kb


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture()
def make_api(
    backend: str, tmp_path: Path, shared_kb: KnowledgeBase, request: pytest.FixtureRequest
) -> Iterator[ApiFactory]:
    made: list[Api] = []

    def factory(**overrides: Any) -> Api:
        url = (
            request.getfixturevalue("pg_database")
            if backend == "postgres"
            else f"sqlite:///{tmp_path / f'kickoff-{len(made)}.db'}"
        )
        settings = Settings(data_dir=tmp_path, database_url=url, **{"rate_limit_per_minute": 10_000, **overrides})
        engines: dict[str, Engine] = {}

        def engine_for(tenant: str) -> Engine:
            return engines.setdefault(tenant, build_engine(settings, kb=shared_kb, tenant=tenant))

        service = KickoffService(Store(settings), settings, engine_for=engine_for, kb=shared_kb)
        app = create_app(settings, service=service)
        api = Api(TestClient(app, raise_server_exceptions=False), service, settings)
        made.append(api)
        return api

    yield factory
    for api in made:
        api.client.close()
        api.service.store.dispose()


@pytest.fixture()
def api(make_api: ApiFactory) -> Api:
    return make_api()
