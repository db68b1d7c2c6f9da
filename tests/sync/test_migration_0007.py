"""Migration 0007 on a database that already holds mutations: each is kept under the team
its device's user was in when it arrived, and records learn their size, on each engine."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import psycopg

from outreach.db import migrate
from outreach.db.database import connect
from tests import engines
from tests.engines import TestDatabase

BEFORE = 6
ROWS = [
    "INSERT INTO users (id, login, display_name, role, password_hash, created_at)"
    " VALUES (1, 'field-a', 'A', 'field', '$argon2id$x', '2027-01-01T00:00:00Z')",
    "INSERT INTO team_memberships (user_id, team_id, joined_at, left_at)"
    " VALUES (1, 1, '2027-01-01T00:00:00Z', '2027-03-01T00:00:00Z')",
    "INSERT INTO team_memberships (user_id, team_id, joined_at)"
    " VALUES (1, 2, '2027-03-01T00:00:00Z')",
    "INSERT INTO devices (id, token_sha256, user_id, label, created_at, last_seen_at, expires_at)"
    " VALUES (1, 'abc', 1, 'phone', '2027-01-01', '2027-01-01', '2028-01-01')",
    "INSERT INTO sync_mutations (mutation_id, device_id, record_id, content_sha256, result,"
    " received_at) VALUES ('m1', 1, 'r1', 'h', '{}', '2027-02-01T00:00:00.000+00:00')",
    "INSERT INTO sync_mutations (mutation_id, device_id, record_id, content_sha256, result,"
    " received_at) VALUES ('m2', 1, 'r2', 'h', '{}', '2027-04-01T00:00:00.000+00:00')",
    "INSERT INTO sync_records (id, kind, team_id, version, seq, deleted, doc, writers,"
    " created_at, updated_at) VALUES ('r1', 'meeting', 1, 1, 1, 0,"
    " '{\"notes\":\"a\\u0000b\",\"hub\":\"ы\"}', '{}', 'x', 'x')",
]


def _sqlite_at_six(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        for number, file in migrate.available("sqlite"):
            if number <= BEFORE:
                conn.executescript(file.read_text(encoding="utf-8"))
        conn.execute(f"PRAGMA user_version = {BEFORE}")
        for sql in ROWS:
            conn.execute(sql)
        conn.commit()
    return f"sqlite:///{path}"


def _postgres_at_six(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                     " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")  # fmt: skip
        for number, file in migrate.available("postgresql"):
            if number <= BEFORE:
                conn.execute(file.read_text(encoding="utf-8").encode())
                conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
        for sql in ROWS:
            conn.execute(sql.replace("%", "%%").encode())


async def _check(url: str) -> None:
    async with connect(url):
        pass
    database = TestDatabase(url)
    rows = database.rows("SELECT mutation_id, team_id FROM sync_mutations ORDER BY mutation_id")
    assert rows == [("m1", 1), ("m2", 2)]
    doc, size = database.rows("SELECT doc, size_bytes FROM sync_records")[0]
    assert "\\u0000" not in doc and "\\ufffd" in doc
    assert size == len(doc.encode())


async def test_migration_0007_keeps_mutations_under_their_teams_sqlite(tmp_path):
    await _check(_sqlite_at_six(tmp_path / "old.db"))


async def test_migration_0007_keeps_mutations_under_their_teams_postgresql(postgres):
    name = f"outreach_m7_{uuid.uuid4().hex[:10]}"
    engines._admin(f'CREATE DATABASE "{name}"')
    try:
        url = engines.with_database(postgres, name)
        _postgres_at_six(url)
        await _check(url)
    finally:
        engines._drop(name)
