"""Reading a test database directly, through the engine's own driver."""

from __future__ import annotations

from typing import Any

from tests.engines import TestDatabase

GAZETTEER_TABLES = ("regions", "districts", "okrugs", "villages", "village_corrections",
                    "gazetteer_imports", "gazetteer_state")  # fmt: skip


def dump(
    database: TestDatabase, tables: tuple[str, ...] = GAZETTEER_TABLES
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the named tables, in a stable order."""
    return database.dump(tables)


def scalar(database: TestDatabase, sql: str, params: tuple[Any, ...] = ()) -> Any:
    return database.scalar(sql, params)
