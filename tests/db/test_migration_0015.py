"""Migration 0015 on a database that already holds residents: each gets the key it is listed
by, the very key the program computes for a new name, for every letter of the Kazakh alphabet
(and ASCII) in both cases, on each engine; and the engine orders the keys as the alphabet."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import psycopg

from outreach.db import migrate
from outreach.db.database import connect
from outreach.domain.name_order import KAZAKH_ALPHABET, name_order
from tests import engines
from tests.engines import TestDatabase

BEFORE = 14
LETTERS = KAZAKH_ALPHABET + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
NAMES = [*LETTERS, *LETTERS.lower(), "Сейтқали Айгүл", "ҮМІТ-Ұлан Ёлдыз", "O'Neil", "é É 7", None]
INSERT = "INSERT INTO residents (id, name, created_at) VALUES (?, ?, '2027-01-01T00:00:00Z')"


def _sqlite_at_fourteen(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        for number, file in migrate.available("sqlite"):
            if number <= BEFORE:
                conn.executescript(file.read_text(encoding="utf-8"))
        conn.execute(f"PRAGMA user_version = {BEFORE}")
        conn.executemany(INSERT, list(enumerate(NAMES, start=1)))
        conn.commit()
    return f"sqlite:///{path}"


def _postgres_at_fourteen(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                     " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")  # fmt: skip
        for number, file in migrate.available("postgresql"):
            if number <= BEFORE:
                conn.execute(file.read_text(encoding="utf-8").encode())
                conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
        with conn.cursor() as cursor:
            cursor.executemany(INSERT.replace("?", "%s"), list(enumerate(NAMES, start=1)))


async def _check(url: str) -> None:
    async with connect(url):
        pass
    database = TestDatabase(url)
    keys = database.rows("SELECT name, name_order FROM residents ORDER BY id")
    assert keys == [(name, name_order(name)) for name in NAMES]
    ordered = database.rows(
        "SELECT name FROM residents WHERE length(name) = 1 ORDER BY name_order, name DESC"
    )
    letters = "".join(dict.fromkeys(name.upper() for (name,) in ordered))
    assert letters == "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + KAZAKH_ALPHABET


async def test_migration_0015_gives_residents_the_programs_key_sqlite(tmp_path):
    await _check(_sqlite_at_fourteen(tmp_path / "old.db"))


async def test_migration_0015_gives_residents_the_programs_key_postgresql(postgres):
    name = f"outreach_m15_{uuid.uuid4().hex[:10]}"
    engines._admin(f'CREATE DATABASE "{name}"')
    try:
        url = engines.with_database(postgres, name)
        _postgres_at_fourteen(url)
        await _check(url)
    finally:
        engines._drop(name)
