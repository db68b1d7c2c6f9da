"""`outreach backup` and `outreach restore`: a copy of the database, and putting one back."""

from __future__ import annotations

from pathlib import Path

import click

from outreach.cli.options import database_option, settings
from outreach.db.database import redact


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite TARGET if it exists already.")
@database_option
def backup(target: Path, force: bool, database_url: str | None) -> None:
    """Copy the database to TARGET while the service keeps running: SQLite's online backup
    (the copy is checked), or for PostgreSQL pg_dump's custom format (docs/deployment.md).
    An existing TARGET is refused (an earlier backup is not lost by mistake) unless --force
    is given."""
    from outreach.db import backup as copies

    if target.exists() and not force:
        raise click.ClickException(
            f"{target} already exists: name another file, or give --force to overwrite it"
        )
    chosen = settings(database_url=database_url)
    try:
        counts = copies.backup(chosen.database_url, target)
    except copies.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"backed up {redact(chosen.database_url)} to {target}: "
        + ", ".join(f"{n} {table}" for table, n in counts.items())
    )


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@database_option
def restore(source: Path, database_url: str | None) -> None:
    """Replace the database with the backup SOURCE. Stop the service first. The restored
    server gets a new identity, so every phone does a full resync and keeps its unsent
    records (docs/sync.md)."""
    from outreach.db import backup as copies

    chosen = settings(database_url=database_url)
    try:
        server_id, counts = copies.restore(source, chosen.database_url)
    except copies.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"restored {source} to {redact(chosen.database_url)} (new server id {server_id}): "
        + ", ".join(f"{n} {table}" for table, n in counts.items())
    )
