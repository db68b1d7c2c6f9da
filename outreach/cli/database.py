"""Running one piece of async work against the database, for a command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from outreach.config import Settings
from outreach.db.database import Database, connect

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


def configure_logging(settings: Settings) -> None:
    """Lines on stderr (outreach/logs.py); request bodies, cookies and tokens are never
    logged."""
    from outreach import logs

    logs.configure(settings.log_level, settings.log_format)
