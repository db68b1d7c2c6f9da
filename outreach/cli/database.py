"""Running one piece of async work against the database, for a command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from outreach.config import Settings
from outreach.db.database import Database, connect, redact
from outreach.domain.errors import InvalidInput

T = TypeVar("T")


def with_db(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Open the database on one connection, run `work` and close it; an unreachable
    database is a clear error, not a traceback."""

    async def run() -> T:
        db = connect(settings.database_url, connections=1, busy_timeout_ms=settings.busy_timeout_ms)
        try:
            await db.open()
        except ConnectionError as exc:
            raise click.ClickException(str(exc)) from exc
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(run())


def with_gazetteer(settings: Settings, work: Callable[[Database], Awaitable[T]], *,
                   instead: str = "") -> T:  # fmt: skip
    """`with_db` for a command that reads the gazetteer. A database that holds no settlements
    is refused (InvalidInput saying how to fill it, `instead` adding another way), never
    filled with the shipped Kyzylorda gazetteer as `outreach serve` fills it: the empty
    database is most often a mistyped --database-url. A SQLite file that does not exist is
    refused before it is opened, so the mistake leaves no new file behind."""
    if settings.engine == "sqlite" and not settings.database_path.exists():
        raise _empty(settings, " (there is no such file)", instead)

    async def checked(db: Database) -> T:
        from outreach.services.health import database_state

        if not (await database_state(db)).counts.get("settlements"):
            raise _empty(settings, "", instead)
        return await work(db)

    return with_db(settings, checked)


def _empty(settings: Settings, why: str, instead: str) -> InvalidInput:
    return InvalidInput(
        f"the database {redact(settings.database_url)} holds no settlements{why}: check "
        "--database-url (or OUTREACH_DATABASE_URL), or import a region into it with "
        f"`outreach import-gazetteer FILE.csv`{instead}"
    )


def configure_logging(settings: Settings) -> None:
    """Lines on stderr (outreach/logs.py); request bodies, cookies and tokens are never
    logged."""
    from outreach import logs

    logs.configure(settings.log_level, settings.log_format)
