"""A database left at an older schema version, holding rows of that time, for the tests of the
migrations after it (tests/db/test_migration_0015.py, tests/sync/test_migration_0007.py)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg

from outreach.db import migrate
from tests import engines


def sqlite_at(path: Path, version: int, fill: Callable[[sqlite3.Connection], object]) -> str:
    """A SQLite file migrated up to `version`, `fill` run on it; its URL."""
    with closing(sqlite3.connect(path)) as conn:
        for number, file in migrate.available("sqlite"):
            if number <= version:
                conn.executescript(file.read_text(encoding="utf-8"))
        conn.execute(f"PRAGMA user_version = {version}")
        fill(conn)
        conn.commit()
    return f"sqlite:///{path}"


def postgres_at(url: str, version: int, fill: Callable[[psycopg.Connection], object]) -> None:
    """The (empty) PostgreSQL database at `url` migrated up to `version`, `fill` run on it."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                     " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")  # fmt: skip
        for number, file in migrate.available("postgresql"):
            if number <= version:
                conn.execute(file.read_text(encoding="utf-8").encode())
                conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
        fill(conn)


@contextmanager
def scratch_postgres(admin_url: str, prefix: str) -> Iterator[str]:
    """A new empty PostgreSQL database for one test, dropped after it; its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engines._admin(f'CREATE DATABASE "{name}"')
    try:
        yield engines.with_database(admin_url, name)
    finally:
        engines._drop(name)
