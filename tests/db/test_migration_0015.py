"""Migration 0015 on a database that already holds residents: each gets the key it is listed
by, the very key the program computes for a new name, for every letter of the Kazakh alphabet
(and ASCII) in both cases, on each engine; and the engine orders the keys as the alphabet."""

from __future__ import annotations

import sqlite3

from outreach.db.database import connect
from outreach.domain.name_order import KAZAKH_ALPHABET, name_order
from tests.engines import TestDatabase
from tests.migrating import postgres_at, scratch_postgres, sqlite_at

BEFORE = 14
LETTERS = KAZAKH_ALPHABET + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
NAMES = [*LETTERS, *LETTERS.lower(), "Сейтқали Айгүл", "ҮМІТ-Ұлан Ёлдыз", "O'Neil", "é É 7", None]
INSERT = "INSERT INTO residents (id, name, created_at) VALUES (?, ?, '2027-01-01T00:00:00Z')"


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


def _fill(conn) -> None:
    rows = list(enumerate(NAMES, start=1))
    if isinstance(conn, sqlite3.Connection):
        conn.executemany(INSERT, rows)
    else:
        with conn.cursor() as cursor:
            cursor.executemany(INSERT.replace("?", "%s"), rows)


async def test_migration_0015_gives_residents_the_programs_key_sqlite(tmp_path):
    await _check(sqlite_at(tmp_path / "old.db", BEFORE, _fill))


async def test_migration_0015_gives_residents_the_programs_key_postgresql(postgres):
    with scratch_postgres(postgres, "outreach_m15") as url:
        postgres_at(url, BEFORE, _fill)
        await _check(url)
