"""`outreach migrate`: bring the database's schema up to date."""

from __future__ import annotations

import click

from outreach.cli.database import with_db
from outreach.cli.options import database_option, settings
from outreach.db import migrate as migrations
from outreach.db.database import Database, redact


@click.command()
@database_option
def migrate(database_url: str | None) -> None:
    """Bring the database's schema up to date (safe to run again: it does nothing then).

    The service also does this when it starts.
    """
    chosen = settings(database_url=database_url)

    async def work(db: Database) -> int:
        return await db.schema_version()

    try:
        version = with_db(chosen, work)
    except migrations.MigrationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"database {redact(chosen.database_url)} is at schema version {version}")
