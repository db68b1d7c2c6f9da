"""Numbered SQL migrations, tracked with SQLite's user_version, each applied in one transaction."""

from __future__ import annotations

import re
from pathlib import Path

import aiosqlite

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations" / "sqlite"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """The database cannot be brought to this program's schema."""


def available() -> list[tuple[int, Path]]:
    """(number, file) of every migration shipped, in order; numbers must run 1, 2, 3 ..."""
    found = sorted(
        (int(m.group(1)), path)
        for path in MIGRATIONS_DIR.iterdir()
        if (m := _NAME.match(path.name))
    )
    numbers = [number for number, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise MigrationError(f"migration numbers must be 1..N without gaps, found {numbers}")
    return found


def latest() -> int:
    """The schema version this program expects."""
    return len(available())


async def apply(conn: aiosqlite.Connection) -> list[int]:
    """Apply the migrations newer than the database's user_version; return their numbers."""
    current = await _user_version(conn)
    if current > latest():
        raise MigrationError(
            f"database schema version {current} is newer than this program's {latest()}; "
            "upgrade the program"
        )
    applied = []
    for number, path in available():
        if number <= current:
            continue
        script = path.read_text(encoding="utf-8")
        try:
            # executescript runs the whole file; user_version moves in the same transaction
            await conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\n;PRAGMA user_version = {number};\nCOMMIT;"
            )
        except Exception as exc:
            await conn.rollback()
            raise MigrationError(f"migration {path.name} failed: {exc}") from exc
        applied.append(number)
    return applied


async def _user_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0
