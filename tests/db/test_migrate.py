"""Migrations: numbered, applied once, idempotent, refused on a newer database."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from outreach.db import migrate
from outreach.db.database import Database


def schema(db_path) -> list[tuple]:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute("SELECT sql FROM sqlite_master").fetchall()


async def test_migrations_apply_once_and_are_idempotent(db_path) -> None:
    db = Database(db_path)
    await db.open()
    assert await db.schema_version() == migrate.latest() >= 1
    await db.close()
    schema_before = schema(db_path)
    for _ in range(2):
        db = Database(db_path)
        await db.open()
        await db.close()
    assert schema(db_path) == schema_before


async def test_database_newer_than_program_is_refused(db_path) -> None:
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(f"PRAGMA user_version = {migrate.latest() + 1}")
    with pytest.raises(migrate.MigrationError, match="newer than this program"):
        await Database(db_path).open()


def test_migration_files_are_numbered_without_gaps() -> None:
    numbers = [number for number, _ in migrate.available()]
    assert numbers == list(range(1, len(numbers) + 1))


async def test_database_uses_wal_and_foreign_keys(db_path) -> None:
    db = Database(db_path)
    await db.open()
    async with db.write() as tx:
        assert await tx.fetch_value("PRAGMA journal_mode") == "wal"
        assert await tx.fetch_value("PRAGMA foreign_keys") == 1
        assert await tx.fetch_value("PRAGMA synchronous") == 2  # FULL
    await db.close()
