"""Persistence: SQLAlchemy models, Alembic migrations, and the Store (SQLite by default, PostgreSQL by URL)."""

from assistant.store.db import Store, hash_key, new_id

__all__ = ["Store", "hash_key", "new_id"]
