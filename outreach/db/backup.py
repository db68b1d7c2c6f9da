"""Backup and restore: SQLite's online backup of the database file, or pg_dump/pg_restore
for PostgreSQL. A restore gives the server a new identity (docs/sync.md)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from contextlib import closing
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

from outreach.db import files
from outreach.db.database import SQLITE_PREFIX, sqlite_path

COUNTED = ("villages", "users", "plans", "sync_records", "sync_mutations", "photos")


class BackupError(RuntimeError):
    """A backup or restore that could not be done; nothing was replaced."""


def backup(url: str, target: Path) -> dict[str, int]:
    """Copy the live database a URL names to the file `target`; return its record counts."""
    try:
        if url.startswith(SQLITE_PREFIX):
            source = sqlite_path(url)
            if not source.exists():
                raise BackupError(f"no database at {source}")
            return _sqlite_backup(source, target)
        return _pg_backup(url, target)
    except (sqlite3.Error, psycopg.Error, OSError) as exc:
        raise BackupError(str(exc)) from exc


def restore(backup_file: Path, url: str) -> tuple[str, dict[str, int]]:
    """Put a backup in place of the database a URL names; return the server's new identity
    and the record counts."""
    kind = _kind_of(backup_file)
    engine = "SQLite" if url.startswith(SQLITE_PREFIX) else "PostgreSQL"
    if kind is not None and kind != engine:
        raise BackupError(f"{backup_file} is a {kind} backup and the database is {engine}'s:"
                          f" restore it into a {kind} database (--database-url)")  # fmt: skip
    try:
        if url.startswith(SQLITE_PREFIX):
            target = sqlite_path(url)
            with files.alone(target):  # replaced under a running service, acknowledged
                return _sqlite_restore(backup_file, target)  # writes would be lost
        return _pg_restore(backup_file, url)
    except files.InUse as exc:
        raise BackupError(f"{exc}: stop the service first") from None
    except (sqlite3.Error, psycopg.Error, OSError) as exc:
        raise BackupError(str(exc)) from exc


_MAGIC = {b"SQLite format 3\x00": "SQLite", b"PGDMP": "PostgreSQL"}
"""How each engine's backup file begins (a SQLite database; pg_dump's custom format)."""


def _kind_of(backup_file: Path) -> str | None:
    """Which engine's backup a file is, by its first bytes (None: neither)."""
    try:
        with backup_file.open("rb") as f:
            head = f.read(16)
    except OSError:
        return None
    return next((kind for magic, kind in _MAGIC.items() if head.startswith(magic)), None)


def _sqlite_backup(source: Path, target: Path) -> dict[str, int]:
    """Copy a live database (other processes may be writing) to `target` with SQLite's online
    backup API; check the copy's integrity; return its record counts."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    files.create_private(partial)  # a copy of names and phones: its owner's alone
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(partial)) as copy:
        live.backup(copy, pages=1024)
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        counts = _counts(copy)
    partial.replace(target)
    return counts


def _sqlite_restore(backup_file: Path, target: Path) -> tuple[str, dict[str, int]]:
    """Put a backup in place of the database (the service must be stopped) and give the
    server a new identity, so that phones' cursors from before force a full resync (they
    keep their unsent records). Returns the new server id and the counts."""
    with closing(sqlite3.connect(backup_file)) as copy:
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the backup failed its integrity check: {check}")
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    staged = target.with_name(target.name + ".restoring")
    staged.unlink(missing_ok=True)
    files.create_private(staged)
    shutil.copyfile(backup_file, staged)  # into the private file: its mode is kept
    server_id = uuid.uuid4().hex
    with closing(sqlite3.connect(staged)) as conn, conn:
        conn.execute("UPDATE sync_state SET server_id = ?", (server_id,))
        counts = _counts(conn)
    staged.replace(target)
    return server_id, counts


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in COUNTED}


# PostgreSQL: pg_dump's custom format, taken from the same snapshot the counts are read in


def _pg_env(url: str) -> dict[str, str]:
    """libpq's variables for a URL: the password never appears on a command line."""
    params = conninfo_to_dict(url)
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD",
             "dbname": "PGDATABASE", "sslmode": "PGSSLMODE"}  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({names[k]: str(v) for k, v in params.items() if k in names and v is not None})
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt install postgresql-client)")
    done = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _pg_backup(url: str, target: Path) -> dict[str, int]:
    """Dump a live PostgreSQL database to `target` (pg_dump -Fc) and return its record
    counts, both from one exported snapshot."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    files.create_private(partial)  # pg_dump writes into it, keeping its mode
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert snapshot is not None
        counts = _pg_counts(conn)
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot[0]}", f"--file={partial}"],
             _pg_env(url))  # fmt: skip
    partial.replace(target)
    return counts


def _pg_restore(backup_file: Path, url: str) -> tuple[str, dict[str, int]]:
    """Restore a pg_dump file over the database in one transaction (the service must be
    stopped), then give the server a new identity as `restore` does for SQLite."""
    env = _pg_env(url)
    with psycopg.connect(url, autocommit=True) as conn:
        others = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        ).fetchone()
    if others and others[0]:
        raise BackupError(f"{others[0]} other connections use the database (a running service?):"
                          " stop the service first")  # fmt: skip
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", f"--dbname={env.get('PGDATABASE', '')}", str(backup_file)],
         env)  # fmt: skip
    server_id = uuid.uuid4().hex
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE sync_state SET server_id = %s", (server_id,))
        counts = _pg_counts(conn)
    return server_id, counts


def _pg_counts(conn: psycopg.Connection[tuple[int, ...]]) -> dict[str, int]:
    counts = {}
    for table in COUNTED:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts
