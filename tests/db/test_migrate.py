"""Migrations: numbered, applied once, idempotent, refused on a newer database; the SQLite and
PostgreSQL migrations describe the same tables and columns."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing

import pytest

from outreach.db import migrate
from outreach.db.database import connect
from tests.engines import TestDatabase

# the engines' own bookkeeping: SQLite keeps the version in a pragma
ENGINE_TABLES = {"schema_version"}


def schema(database: TestDatabase) -> list[tuple]:
    if database.engine == "sqlite":
        return database.rows("SELECT type, name, sql FROM sqlite_master ORDER BY name")
    return database.rows(
        "SELECT table_name, column_name, data_type, is_nullable, column_default"
        " FROM information_schema.columns WHERE table_schema = 'public'"
        " ORDER BY table_name, ordinal_position"
    ) + database.rows(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
    )


async def test_migrations_apply_once_and_are_idempotent(database) -> None:
    async with connect(database.url) as db:
        assert await db.schema_version() == migrate.latest() >= 1
    schema_before = schema(database)
    for _ in range(2):
        async with connect(database.url):
            pass
    assert schema(database) == schema_before


async def test_processes_starting_together_migrate_once(engine, tmp_path) -> None:
    """Several app processes starting on a new database: one migrates, the others wait."""
    from tests.engines import fresh_database

    if engine == "postgresql":
        from tests import engines

        name = f"outreach_empty_{tmp_path.name[-8:].lower()}"
        engines._admin(f'DROP DATABASE IF EXISTS "{name}"')
        engines._admin(f'CREATE DATABASE "{name}"')
        url = engines.with_database(engines.postgres_admin_url(), name)
    else:
        with fresh_database(engine, tmp_path) as fresh:
            url = fresh.url

    async def start() -> int:
        async with connect(url) as db:
            return await db.schema_version()

    try:
        assert await asyncio.gather(*(start() for _ in range(4))) == [migrate.latest()] * 4
        assert TestDatabase(url).scalar("SELECT count(*) FROM teams") == 3  # seeded once
    finally:
        if engine == "postgresql":
            engines._drop(name)


async def test_database_newer_than_program_is_refused(database) -> None:
    if database.engine == "sqlite":
        with closing(sqlite3.connect(database.path)) as conn:
            conn.execute(f"PRAGMA user_version = {migrate.latest() + 1}")
    else:
        database.execute("INSERT INTO schema_version (version) VALUES (?)", (migrate.latest() + 1,))
    with pytest.raises(migrate.MigrationError, match="newer than this program"):
        await connect(database.url).open()


def test_migration_files_are_numbered_without_gaps() -> None:
    for dialect in ("sqlite", "postgresql"):
        numbers = [number for number, _ in migrate.available(dialect)]
        assert numbers == list(range(1, len(numbers) + 1))


def test_both_engines_have_the_same_migrations() -> None:
    names = {d: [p.name for _, p in migrate.available(d)] for d in ("sqlite", "postgresql")}
    assert names["sqlite"] == names["postgresql"]


def _sqlite_columns(path) -> dict[str, list[str]]:
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
        return {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in tables}


def _pg_columns(database: TestDatabase) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for table, column in database.rows(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    ):
        columns.setdefault(table, []).append(column)
    return {t: c for t, c in columns.items() if t not in ENGINE_TABLES}


def _indexes(database: TestDatabase) -> set[str]:
    if database.engine == "sqlite":
        return {r[0] for r in database.rows(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}  # fmt: skip
    return {r[0] for r in database.rows(
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
        " AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'")}  # fmt: skip


async def test_sqlite_and_postgresql_schemas_are_in_step(tmp_path, postgres) -> None:
    """The same tables and views, the same columns in the same order, the same named
    indexes, the same seeded rows."""
    from tests.engines import fresh_database

    with fresh_database("sqlite", tmp_path) as lite, fresh_database("postgresql", tmp_path) as pg:
        async with connect(lite.url):
            pass
        assert _sqlite_columns(lite.path) == _pg_columns(pg)
        lite_indexes, pg_indexes = _indexes(lite), _indexes(pg)
        # SQLite spells a case-blind unique login as COLLATE NOCASE; PostgreSQL as an index
        assert lite_indexes == pg_indexes - {"users_login"}
        assert lite.rows("SELECT id, name FROM teams") == pg.rows("SELECT id, name FROM teams")


async def test_sqlite_database_uses_wal_and_foreign_keys(db_path) -> None:
    async with connect(f"sqlite:///{db_path}") as db, db.write() as tx:
        assert await tx.fetch_value("PRAGMA journal_mode") == "wal"
        assert await tx.fetch_value("PRAGMA foreign_keys") == 1
        assert await tx.fetch_value("PRAGMA synchronous") == 2  # FULL
