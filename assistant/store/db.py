"""The store's engine, sessions and migrations: SQLite (WAL) by default, PostgreSQL by URL.

Write transactions that change a kickoff lock its row first: `SELECT ... FOR UPDATE` on PostgreSQL,
and `BEGIN IMMEDIATE` on SQLite (which takes the database's write lock up front, so two writers never
interleave a read-modify-write of the same state). Nothing about a kickoff is cached in the process:
every request reads the row, so several processes can serve the same kickoff.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from assistant.config import Settings
from assistant.domain import now
from assistant.errors import ConfigError, InvalidInput, NotFound
from assistant.store.models import TenantRow

HERE = Path(__file__).resolve().parent
# Only one process migrates at a time on PostgreSQL (two workers may start together).
_MIGRATION_LOCK = 727_001


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(8)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Take transaction control from pysqlite so we can issue BEGIN IMMEDIATE ourselves.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process crashes
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            immediate = conn.get_execution_options().get("kickoff_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def alembic_config(url: str) -> Config:
    cfg = Config(str(HERE / "alembic.ini"))
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class Store:
    """One per process. `read()` for queries, `write()` for changes (serialised per kickoff)."""

    def __init__(self, settings: Settings | None = None, url: str | None = None) -> None:
        if url is None:
            if settings is None:
                raise ConfigError("Store needs settings or a database URL.")
            url = settings.resolved_database_url
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(kickoff_write=True), expire_on_commit=False)

    def migrate(self) -> None:
        """Bring the schema to the newest migration (`alembic upgrade head`)."""
        cfg = alembic_config(self.url)
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
                conn.commit()
            try:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                conn.commit()
            finally:
                if not self.is_sqlite:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                    conn.commit()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: everything inside commits together or not at all."""
        with self._write() as session, session.begin():
            yield session

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()

    # ---- tenants (used by the CLI and by auth) ------------------------------------------------

    def create_tenant(self, name: str) -> tuple[TenantRow, str]:
        """Returns the tenant and its API key; the key is not stored and cannot be shown again."""
        name = name.strip()
        if not name or len(name) > 100:
            raise InvalidInput("A tenant name is 1 to 100 characters.")
        key = "kk_" + secrets.token_urlsafe(32)
        with self.write() as s:
            if s.scalar(select(TenantRow).where(TenantRow.name == name)) is not None:
                raise InvalidInput(f"A tenant named {name!r} exists; pick another name or revoke it first.")
            row = TenantRow(
                id=new_id("tn_"), name=name, key_hash=hash_key(key), key_prefix=key[:8], revoked=False, created_at=now()
            )
            s.add(row)
        return row, key

    def revoke_tenant(self, name: str) -> TenantRow:
        with self.write() as s:
            row = s.scalar(select(TenantRow).where(TenantRow.name == name))
            if row is None:
                raise NotFound(f"No tenant named {name!r}; `kickoff tenant list` shows them.")
            row.revoked = True
        return row

    def list_tenants(self) -> list[TenantRow]:
        with self.read() as s:
            return list(s.scalars(select(TenantRow).order_by(TenantRow.created_at)))

    def tenant_for_key(self, key: str) -> TenantRow | None:
        with self.read() as s:
            row = s.scalar(select(TenantRow).where(TenantRow.key_hash == hash_key(key)))
        return row if row is not None and not row.revoked else None
