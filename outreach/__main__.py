"""The `outreach` command: serve the API, migrate the database, import a gazetteer."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import msgspec

from outreach import __version__
from outreach.config import Settings, SettingsError
from outreach.db import migrate as migrations
from outreach.db.database import Database, connect, redact
from outreach.domain.errors import DomainError
from outreach.domain.gazetteer import Names

T = TypeVar("T")
database_option = click.option(
    "--database-url",
    metavar="URL",
    help="Database to use: sqlite:///outreach.db or postgresql://user:password@host/db "
    "(default: OUTREACH_DATABASE_URL, else sqlite:///outreach.db).",
)

max_km_option = click.option(
    "--max-km",
    type=float,
    default=15.0,
    show_default=True,
    help="Largest road distance from a village to its meeting.",
)


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings.from_env(**{k: v for k, v in overrides.items() if v is not None})
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


def _with_db(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="outreach")
def main() -> None:
    """Outreach: plan, run and measure a chamber of entrepreneurs' village outreach.

    Every setting can also be given as an OUTREACH_* environment variable (see the README).
    """


@main.command()
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

    from outreach.app import create_app

    overrides = {
        "database_url": database_url,
        "host": host,
        "port": port,
        "load_gazetteer": False if no_gazetteer else None,
        "workers": workers,
    }
    settings = _settings(**overrides)
    configure_logging(settings)
    # migrate and load the gazetteer here, once, before any worker starts
    _with_db(settings, lambda db: _prepare(db, settings))
    if demo:
        click.echo(_demo(settings), err=True)
        _demo_season(settings)
    click.echo(
        f"outreach {__version__}: http://{settings.host}:{settings.port}/ "
        f"(database {redact(settings.database_url)}, {settings.workers} process(es))",
        err=True,
    )
    server_options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
    }
    if settings.workers == 1:
        uvicorn.run(create_app(settings), **server_options)
        return
    # worker processes build the app from the environment: hand them the command's options
    for name, value in overrides.items():
        if value is not None:
            os.environ[f"OUTREACH_{name.upper()}"] = "false" if value is False else str(value)
    uvicorn.run("outreach.app:create_served_app", factory=True, workers=settings.workers,
                **server_options)  # fmt: skip


async def _prepare(db: Database, settings: Settings) -> None:
    from outreach.services.gazetteer_import import load_packaged_if_empty

    if settings.load_gazetteer and (summary := await load_packaged_if_empty(db)):
        click.echo(f"loaded the Kyzylorda gazetteer: {summary.rows} settlements", err=True)


def _demo_season(settings: Settings) -> None:
    """Demo data, once: a short simulated season played through the real service."""
    import tempfile

    from outreach.db import sync as sync_sql
    from outreach.simulate.campaign import Options, retire_accounts, simulate

    async def has_records(db: Database) -> bool:
        async with db.read() as tx:
            return await sync_sql.record_count(tx) > 0

    if _with_db(settings, has_records):
        return
    click.echo("demo data: playing a short simulated season (about a minute) ...", err=True)
    options = Options(days=6, name="DEMO: simulated season (not real data)")
    with tempfile.TemporaryDirectory() as logs:
        report = asyncio.run(simulate(options, Path(logs), settings.database_url))
    asyncio.run(retire_accounts(settings.database_url, options.teams, options.phones_per_team))
    click.echo(
        f"demo data: {report.records} simulated meeting records from {report.phones}"
        f" phones over {report.days} days",
        err=True,
    )


def _demo(settings: Settings) -> str:
    """Demo accounts' sign-in text; their passwords live in a file only the owner can read."""
    from outreach.services.demo import demo_accounts

    secrets_file = (
        settings.database_path.with_suffix(".demo-accounts.txt")
        if settings.engine == "sqlite"
        else Path("outreach.demo-accounts.txt")
    )
    known = secrets_file.read_text(encoding="utf-8") if secrets_file.exists() else None
    accounts, message = _with_db(settings, lambda db: demo_accounts(db, known))
    if known is None:
        secrets_file.touch(mode=0o600)
        secrets_file.write_text(accounts, encoding="utf-8")
    return message


@main.command()
@click.option("--days", default=8, show_default=True, help="Working days of the season to play.")
@click.option("--seed", default=1, show_default=True, help="Seed: the same seed, the same season.")
@click.option("--district", default="434600000", show_default=True, help="District (KATO).")
@click.option("--teams", default=3, show_default=True)
@click.option("--phones-per-team", default=1, show_default=True)
@click.option("--restarts", default=2, show_default=True, help="Server kills (SIGKILL).")
@click.option(
    "--fault-rate",
    default=1.0,
    show_default=True,
    help="Scales every fault's chance (1.0: 5% dropped, lost, duplicated requests).",
)
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the database and server log here (default: a temporary folder).",
)
@click.option(
    "--load",
    "load_phones",
    type=click.IntRange(1, 1000),
    default=None,
    help="Load mode instead: this many phones pushing at once.",
)
@click.option("--batches", default=5, show_default=True, help="Load mode: pushes per phone.")
def simulate(
    days: int,
    seed: int,
    district: str,
    teams: int,
    phones_per_team: int,
    restarts: int,
    fault_rate: float,
    folder: Path | None,
    load_phones: int | None,
    batches: int,
) -> None:
    """Play a campaign through the real service under faults and check its invariants
    (every record on the server exactly once, every phone holding exactly its team's
    records, coverage equal to what happened, no 5xx); exits 1 if one fails. With --load,
    measure N phones syncing at once (loopback only) instead."""
    import tempfile

    from outreach.simulate.campaign import Options
    from outreach.simulate.campaign import simulate as play
    from outreach.simulate.load import load
    from outreach.simulate.proxy import Faults

    with tempfile.TemporaryDirectory() as scratch:
        where = folder or Path(scratch)
        where.mkdir(parents=True, exist_ok=True)
        if load_phones is not None:
            result = asyncio.run(load(where, load_phones, batches))
            click.echo(msgspec.json.format(msgspec.json.encode(result)).decode())
            return
        base = Faults()
        faults = Faults(
            drop=base.drop * fault_rate,
            lose_response=base.lose_response * fault_rate,
            duplicate=base.duplicate * fault_rate,
            delay=base.delay * fault_rate,
        )
        options = Options(
            days=days,
            seed=seed,
            district=district,
            teams=teams,
            phones_per_team=phones_per_team,
            restarts=restarts,
            faults=faults,
        )
        report = asyncio.run(play(options, where))
    click.echo(
        f"{report.days} days, {report.phones} phones, {report.records} records"
        f" ({report.mutations} mutations), {report.restarts} server restarts,"
        f" faults {report.faults}, {report.seconds} s"
    )
    for invariant in report.invariants:
        click.echo(f"  {'ok  ' if invariant.held else 'FAIL'} {invariant.name}: {invariant.detail}")
    if not report.ok:
        raise SystemExit(1)


@main.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@database_option
def backup(target: Path, database_url: str | None) -> None:
    """Copy the database to TARGET while the service keeps running: SQLite's online backup
    (the copy is checked), or for PostgreSQL pg_dump's custom format (docs/deployment.md)."""
    from outreach.db import backup as copies

    settings = _settings(database_url=database_url)
    try:
        counts = copies.backup(settings.database_url, target)
    except copies.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"backed up {redact(settings.database_url)} to {target}: "
        + ", ".join(f"{n} {table}" for table, n in counts.items())
    )


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@database_option
def restore(source: Path, database_url: str | None) -> None:
    """Replace the database with the backup SOURCE. Stop the service first. The restored
    server gets a new identity, so every phone does a full resync and keeps its unsent
    records (docs/sync.md)."""
    from outreach.db import backup as copies

    settings = _settings(database_url=database_url)
    try:
        server_id, counts = copies.restore(source, settings.database_url)
    except copies.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"restored {source} to {redact(settings.database_url)} (new server id {server_id}): "
        + ", ".join(f"{n} {table}" for table, n in counts.items())
    )


@main.command()
@database_option
def migrate(database_url: str | None) -> None:
    """Bring the database's schema up to date (safe to run again: it does nothing then).

    The service also does this when it starts.
    """
    settings = _settings(database_url=database_url)

    async def work(db: Database) -> int:
        return await db.schema_version()

    try:
        version = _with_db(settings, work)
    except migrations.MigrationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"database {redact(settings.database_url)} is at schema version {version}")


@main.command("import-gazetteer")
@click.argument("settlements", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--districts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Optional districts CSV (kato,name_kk,name_ru,name_en,center_name,"
    "center_lat,center_lon) giving names and centres.",
)
@click.option("--region-ru", help="The region's name in Russian (kept as is when omitted).")
@click.option("--region-kk", help="The region's name in Kazakh.")
@click.option("--region-en", help="The region's name in English.")
@database_option
def import_gazetteer(
    settlements: Path,
    districts: Path | None,
    region_ru: str | None,
    region_kk: str | None,
    region_en: str | None,
    database_url: str | None,
) -> None:
    """Import a region's settlements from a CSV file in the columns of the shipped
    settlements.csv (kato, name_kk, name_ru, name_en, kind, district_kato, ...).

    The whole file is checked first: any bad line or column is reported and nothing is
    changed. Importing the same file again changes nothing; fields a coordinator corrected
    are kept.
    """
    from outreach.services import gazetteer_import as service

    settings = _settings(database_url=database_url)
    settlement_bytes = settlements.read_bytes()
    district_bytes = districts.read_bytes() if districts else None
    names = Names(ru=region_ru, kk=region_kk, en=region_en) if region_ru else None
    try:
        data = service.parse_files(settlement_bytes, district_bytes, names, source=settlements.name)
    except DomainError as exc:
        for item in exc.details:
            where = f"line {item.get('line')}" + (
                f", column {item['column']}" if item.get("column") else ""
            )
            click.echo(f"{item.get('file')}: {where}: {item.get('message')}", err=True)
        raise click.ClickException(f"nothing imported: {exc.message}") from exc
    digest = service.file_digest(settlement_bytes, district_bytes or b"")

    async def work(db: Database) -> service.ImportSummary:
        return await service.import_gazetteer(db, data, sha256=digest)

    summary = _with_db(settings, work)
    click.echo(
        f"{summary.rows} settlements: {summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged; {summary.kept_corrections} corrected values kept; "
        f"gazetteer version {summary.gazetteer_version}"
    )


@main.command()
@click.option(
    "--district",
    "districts",
    multiple=True,
    metavar="KATO|NAME",
    help="A district by KATO code or by name in any language (repeatable); "
    "all districts when omitted.",
)
@max_km_option
@click.option(
    "--cross-okrug", is_flag=True, help="Let a meeting gather villages of several okrugs."
)
@click.option("--max-attendance", type=int, help="Cap on expected attendance per meeting.")
@click.option(
    "--turnout",
    type=float,
    default=0.3,
    show_default=True,
    help="Share of residents expected at a meeting.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "districts", "json"]),
    default="table",
    show_default=True,
    help="table: one line per meeting; districts: a Markdown table per district; "
    "json: the API's preview.",
)
@database_option
def groups(
    districts: tuple[str, ...],
    max_km: float,
    cross_okrug: bool,
    max_attendance: int | None,
    turnout: float,
    output: str,
    database_url: str | None,
) -> None:
    """Preview meeting groups: which villages gather at which hub village.

    Works on the database (loading the shipped Kyzylorda gazetteer into an empty one); stores
    nothing. Example: outreach groups --district Aral --max-km 15
    """
    from outreach.cli_groups import run_groups

    settings = _settings(database_url=database_url)
    try:
        text = _with_db(
            settings,
            lambda db: run_groups(
                db, settings, list(districts), max_km, cross_okrug, max_attendance, turnout, output
            ),
        )
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(text)


@main.command()
@click.option(
    "--gazetteer",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Plan from this settlements CSV (the columns of the shipped one) without a "
    "database; the database's gazetteer when omitted.",
)
@click.option(
    "--districts-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --gazetteer: its districts CSV (names and centres, the lodgings).",
)
@click.option(
    "--district",
    "districts",
    multiple=True,
    metavar="KATO",
    help="Only this district (repeatable); the whole region when omitted.",
)
@click.option("--teams", type=click.IntRange(1, 50), default=3, show_default=True)
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="First day of the season (YYYY-MM-DD).",
)
@click.option(
    "--end",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="Last day of the season (YYYY-MM-DD).",
)
@max_km_option
@click.option(
    "--max-trip-days",
    type=click.IntRange(1, 14),
    default=5,
    show_default=True,
    help="Longest trip away from base, in working days.",
)
@click.option(
    "--time-limit",
    type=float,
    default=8.0,
    show_default=True,
    help="Seconds the routing solver may take at most.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the plan (JSON, see docs/plan-format.md).",
)
@database_option
def plan(
    gazetteer: Path | None,
    districts_file: Path | None,
    districts: tuple[str, ...],
    teams: int,
    start: Any,
    end: Any,
    max_km: float,
    max_trip_days: int,
    time_limit: float,
    out: Path,
    database_url: str | None,
) -> None:
    """Plan a season: group villages into meetings, give each meeting a team, a day and a
    place in that day's route, and write the plan as JSON.

    Example: outreach plan --gazetteer settlements.csv --teams 3 --start 2027-03-01
    --end 2027-05-28 --out plan.json
    """
    from outreach.cli_plan import run_plan

    settings = _settings(database_url=database_url)
    try:
        summary = run_plan(
            settings,
            gazetteer,
            districts_file,
            list(districts),
            teams,
            start.date(),
            end.date(),
            max_km,
            max_trip_days,
            time_limit,
            out,
        )
    except DomainError as exc:
        for item in exc.details:
            click.echo(f"  {item}", err=True)
        raise click.ClickException(exc.message) from exc
    click.echo(summary)


@main.group()
def users() -> None:
    """Manage accounts (the first admin is created here; later ones too)."""


@users.command("create")
@click.option("--login", required=True, help="3 to 64 letters, digits, dots, dashes.")
@click.option("--name", "display_name", help="The name shown in the app (default: the login).")
@click.option(
    "--role",
    type=click.Choice(["field", "coordinator", "leadership", "admin"]),
    required=True,
    help="What the account may do.",
)
@click.option("--team", help="The team of a field user, e.g. team-1.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of asking for it.",
)
@database_option
def users_create(
    login: str,
    display_name: str | None,
    role: str,
    team: str | None,
    password_stdin: bool,
    database_url: str | None,
) -> None:
    """Create an account; asks for its password (12 characters at least) twice."""
    import msgspec

    from outreach.domain.accounts import Actor, NewUser
    from outreach.services.accounts import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = _settings(database_url=database_url)
    try:
        new = msgspec.convert(
            {
                "login": login,
                "display_name": display_name or login,
                "role": role,
                "password": password,
                "team": team,
            },
            NewUser,
        )
    except msgspec.ValidationError as exc:
        raise click.UsageError(str(exc).replace("$.", "")) from exc
    try:
        user = _with_db(settings, lambda db: create_user(db, new, actor=Actor("cli")))
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"created {user.role} {user.login}" + (f" in {user.team}" if user.team else ""))


if __name__ == "__main__":
    main()
