"""Online backup and restore of the SQLite database file."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path


def backup(source: Path, target: Path) -> dict[str, int]:
    """Copy a live database (other processes may be writing) to `target` with SQLite's online
    backup API; check the copy's integrity; return its record counts."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(partial)) as copy:
        live.backup(copy, pages=1024)
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise RuntimeError(f"the copy failed its integrity check: {check}")
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        counts = _counts(copy)
    partial.replace(target)
    return counts


def restore(backup_file: Path, target: Path) -> tuple[str, dict[str, int]]:
    """Put a backup in place of the database (the service must be stopped) and give the
    server a new identity, so that phones' cursors from before force a full resync (they
    keep their unsent records). Returns the new server id and the counts."""
    with closing(sqlite3.connect(backup_file)) as copy:
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise RuntimeError(f"the backup failed its integrity check: {check}")
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(backup_file, staged)
    server_id = uuid.uuid4().hex
    with closing(sqlite3.connect(staged)) as conn, conn:
        conn.execute("UPDATE sync_state SET server_id = ?", (server_id,))
        counts = _counts(conn)
    staged.replace(target)
    return server_id, counts


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = ("villages", "users", "plans", "sync_records", "sync_mutations", "photos")
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}
