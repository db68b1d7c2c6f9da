"""Migration 0007 on a database that already holds mutations: each is kept under the team
its device's user was in when it arrived, and records learn their size, on each engine."""

from __future__ import annotations

import sqlite3

from outreach.db.database import connect
from tests.engines import TestDatabase
from tests.migrating import postgres_at, scratch_postgres, sqlite_at

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


async def _check(url: str) -> None:
    async with connect(url):
        pass
    database = TestDatabase(url)
    rows = database.rows("SELECT mutation_id, team_id FROM sync_mutations ORDER BY mutation_id")
    assert rows == [("m1", 1), ("m2", 2)]
    doc, size = database.rows("SELECT doc, size_bytes FROM sync_records")[0]
    assert "\\u0000" not in doc and "\\ufffd" in doc
    assert size == len(doc.encode())


def _fill(conn) -> None:
    for sql in ROWS:
        conn.execute(
            sql if isinstance(conn, sqlite3.Connection) else sql.replace("%", "%%").encode()
        )


async def test_migration_0007_keeps_mutations_under_their_teams_sqlite(tmp_path):
    await _check(sqlite_at(tmp_path / "old.db", BEFORE, _fill))


async def test_migration_0007_keeps_mutations_under_their_teams_postgresql(postgres):
    with scratch_postgres(postgres, "outreach_m7") as url:
        postgres_at(url, BEFORE, _fill)
        await _check(url)
