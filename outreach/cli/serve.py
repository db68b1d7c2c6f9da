"""`outreach serve`: migrate, load the shipped gazetteer into an empty database, serve."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click

from outreach import __version__
from outreach.cli.database import configure_logging, with_db
from outreach.cli.options import database_option, settings
from outreach.config import Settings
from outreach.db.database import Database, redact


@click.command()
@database_option
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8000).")
@click.option(
    "--no-gazetteer",
    is_flag=True,
    default=None,
    help="Do not load the shipped Kyzylorda gazetteer into an empty database.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="App processes sharing the port (default 1; several need PostgreSQL to scale).",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Create demo accounts, one per role (once; their passwords are kept in a file beside "
    "the database, readable by you only), and print how to sign in. Not for real data.",
)
def serve(
    database_url: str | None,
    host: str | None,
    port: int | None,
    no_gazetteer: bool | None,
    workers: int | None,
    demo: bool,
) -> None:
    """Run the HTTP API and the field app.

    Migrates the database first, and loads the shipped Kyzylorda gazetteer into it when it
    holds no settlements yet. The API's documentation is at /schema.
    """
    import os

    import uvicorn

    from outreach.app import create_app, freeze_heap

    overrides = {
        "database_url": database_url,
        "host": host,
        "port": port,
        "load_gazetteer": False if no_gazetteer else None,
        "workers": workers,
    }
    chosen = settings(**overrides)
    configure_logging(chosen)
    # migrate and load the gazetteer here, once, before any worker starts
    with_db(chosen, lambda db: _prepare(db, chosen))
    if demo:
        click.echo(_demo(chosen), err=True)
        _demo_season(chosen)
    click.echo(
        f"outreach {__version__}: http://{chosen.host}:{chosen.port}/ "
        f"(database {redact(chosen.database_url)}, {chosen.workers} process(es))",
        err=True,
    )
    server_options: dict[str, Any] = {
        "host": chosen.host,
        "port": chosen.port,
        "log_config": None,
        "access_log": False,
        "server_header": False,
        # the C parser, named so that a missing one fails here rather than falling back to
        # h11: reading a 9 MB push in Python kept the event loop from other phones for 100 ms
        "http": "httptools",
        "proxy_headers": True,
        "forwarded_allow_ips": chosen.forwarded_allow_ips,
    }
    if chosen.workers == 1:
        app = create_app(chosen)
        freeze_heap()
        uvicorn.run(app, **server_options)
        return
    # worker processes build the app from the environment: hand them the command's options
    for name, value in overrides.items():
        if value is not None:
            os.environ[f"OUTREACH_{name.upper()}"] = "false" if value is False else str(value)
    uvicorn.run(
        "outreach.app:create_served_app",
        factory=True,
        workers=chosen.workers,
        **server_options,
    )


async def _prepare(db: Database, chosen: Settings) -> None:
    from outreach.services.gazetteer_import import load_packaged_if_empty

    if chosen.load_gazetteer and (summary := await load_packaged_if_empty(db)):
        click.echo(f"loaded the Kyzylorda gazetteer: {summary.rows} settlements", err=True)


def _demo_season(chosen: Settings) -> None:
    """Demo data, once: a short simulated season played through the real service."""
    import tempfile

    from outreach.db import sync as sync_sql
    from outreach.simulate.campaign import Options, retire_accounts, simulate

    async def has_records(db: Database) -> bool:
        async with db.read() as tx:
            return await sync_sql.record_count(tx) > 0

    if with_db(chosen, has_records):
        return
    click.echo("demo data: playing a short simulated season (about a minute) ...", err=True)
    options = Options(days=6, name="DEMO: simulated season (not real data)")
    with tempfile.TemporaryDirectory() as logs:
        report = asyncio.run(simulate(options, Path(logs), chosen.database_url))
    asyncio.run(retire_accounts(chosen.database_url, options.teams, options.phones_per_team))
    click.echo(
        f"demo data: {report.records} simulated meeting records from {report.phones}"
        f" phones over {report.days} days",
        err=True,
    )


def _demo(chosen: Settings) -> str:
    """Demo accounts' sign-in text; their passwords live in a file only the owner can read."""
    from outreach.services.demo import demo_accounts

    secrets_file = (
        chosen.database_path.with_suffix(".demo-accounts.txt")
        if chosen.engine == "sqlite"
        else Path("outreach.demo-accounts.txt")
    )
    known = secrets_file.read_text(encoding="utf-8") if secrets_file.exists() else None
    accounts, message = with_db(chosen, lambda db: demo_accounts(db, known))
    if known is None:
        secrets_file.touch(mode=0o600)
        secrets_file.write_text(accounts, encoding="utf-8")
    return message
