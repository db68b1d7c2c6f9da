"""Numbered SQL migrations, one folder per engine, the same numbers in both (a test keeps
their tables and columns in step). SQLite tracks the version in user_version, PostgreSQL in
the table schema_version; each run applies what is pending in one transaction."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosqlite

from outreach.db.database import Dialect

if TYPE_CHECKING:  # imported where PostgreSQL is used: a SQLite process never loads it
    import psycopg

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# any number of app processes may start at once: one migrates, the others wait for it
_ADVISORY_LOCK = 0x6F7574726561  # "outrea"


class MigrationError(RuntimeError):
    """The database cannot be brought to this program's schema."""


def available(dialect: Dialect = "sqlite") -> list[tuple[int, Path]]:
    """(number, file) of every migration shipped for an engine; numbers must run 1, 2, 3 ..."""
    found = sorted(
        (int(m.group(1)), path)
        for path in (MIGRATIONS_DIR / dialect).iterdir()
        if (m := _NAME.match(path.name))
    )
    numbers = [number for number, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise MigrationError(f"migration numbers must be 1..N without gaps, found {numbers}")
    return found


def latest() -> int:
    """The schema version this program expects."""
    return len(available())


def _refuse_newer(current: int) -> None:
    if current > latest():
        raise MigrationError(
            f"database schema version {current} is newer than this program's {latest()}; "
            "upgrade the program"
        )


def statements(script: str) -> list[str]:
    """A script's statements, split where SQLite says one is complete (a trigger's body
    holds semicolons of its own)."""
    found, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    if current.strip(" \n;"):
        found.append(current.strip())
    return [s for s in found if s.strip(" \n;")]


async def apply_sqlite(conn: aiosqlite.Connection) -> list[int]:
    """Apply the migrations newer than the database's user_version in one write transaction,
    the version read inside it, so that processes starting together migrate once; return
    their numbers."""
    await _begin_immediate(conn)
    try:
        async with conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        current = int(row[0]) if row else 0
        _refuse_newer(current)
        applied = []
        for number, path in available("sqlite"):
            if number <= current:
                continue
            try:
                for statement in statements(path.read_text(encoding="utf-8")):
                    await conn.execute(statement)
            except sqlite3.Error as exc:
                raise MigrationError(f"migration {path.name} failed: {exc}") from exc
            await conn.execute(f"PRAGMA user_version = {number}")
            applied.append(number)
        await conn.commit()
    except BaseException:
        await conn.rollback()
        raise
    return applied


async def _begin_immediate(conn: aiosqlite.Connection, patience_s: float = 30) -> None:
    # a connection opening while another closes the last one (and removes the WAL) can be
    # told "locked" without the busy handler being asked; such a start waits and tries again
    deadline = time.monotonic() + patience_s
    while True:
        try:
            await conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


async def postgres_version(conn: psycopg.AsyncConnection[Any]) -> int:
    """The version recorded in schema_version (0 before the first migration)."""
    cursor = await conn.execute("SELECT to_regclass('schema_version') IS NOT NULL")
    exists = await cursor.fetchone()
    if not exists or not exists[0]:
        return 0
    cursor = await conn.execute("SELECT coalesce(max(version), 0) FROM schema_version")
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def apply_postgres(conn: psycopg.AsyncConnection[Any]) -> list[int]:
    """Apply the pending migrations in one transaction, under an advisory lock so that
    processes starting together do not race; return their numbers."""
    import psycopg

    applied = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_LOCK,))
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        current = await postgres_version(conn)
        _refuse_newer(current)
        for number, path in available("postgresql"):
            if number <= current:
                continue
            try:
                async with conn.transaction():  # a savepoint, to name the failing file
                    await conn.execute(path.read_text(encoding="utf-8").encode())
            except psycopg.Error as exc:
                raise MigrationError(f"migration {path.name} failed: {exc}") from exc
            await conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
            applied.append(number)
    return applied
