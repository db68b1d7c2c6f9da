"""Reading a test database directly, through its own sqlite3 connection."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

GAZETTEER_TABLES = ("regions", "districts", "okrugs", "villages", "village_corrections",
                    "gazetteer_imports", "gazetteer_state")  # fmt: skip


def dump(db_path: Path, tables: tuple[str, ...] = GAZETTEER_TABLES) -> dict[str, list[tuple]]:
    """Every row of the named tables, in a stable order."""
    with closing(sqlite3.connect(db_path)) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def scalar(db_path: Path, sql: str, params: tuple = ()) -> object:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(sql, params).fetchone()[0]
