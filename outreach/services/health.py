"""The database's state as health checks report it."""

from __future__ import annotations

import msgspec

from outreach.db import gazetteer as sql
from outreach.db import migrate
from outreach.db.database import Database


class DatabaseState(msgspec.Struct, frozen=True, kw_only=True):
    """Engine, schema versions and what the gazetteer holds; `error` says why it is unusable."""

    engine: str = ""
    schema_version: int | None = None
    expected_schema_version: int = 0
    gazetteer_version: int | None = None
    counts: dict[str, int] = {}
    error: str | None = None


async def database_state(db: Database) -> DatabaseState:
    """Read the state in one snapshot; a failure is reported, not raised."""
    expected = migrate.latest()
    try:
        schema = await db.schema_version()
        async with db.read() as tx:
            version, counts = await sql.version_and_counts(tx)
        return DatabaseState(engine=db.dialect, schema_version=schema,
                             expected_schema_version=expected, gazetteer_version=version,
                             counts=counts)  # fmt: skip
    except Exception as exc:  # health must answer even when the database does not
        return DatabaseState(
            engine=db.dialect, expected_schema_version=expected, error=type(exc).__name__
        )
