"""`outreach simulate`: a campaign played through the real service under faults, or load."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
import msgspec


@click.command()
@click.option("--days", default=8, show_default=True, help="Working days of the season to play.")
@click.option("--seed", default=1, show_default=True, help="Seed: the same seed, the same season.")
@click.option(
    "--district",
    default="434600000",
    show_default=True,
    metavar="KATO|NAME",
    help="The district of the shipped gazetteer to play the season in, by KATO code or by "
    "name in any language (434600000 is Karmakshy).",
)
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
    help="Load mode instead: this many phones syncing at once (each push followed by a pull).",
)
@click.option("--batches", default=5, show_default=True, help="Load mode: pushes per phone.")
@click.option(
    "--seconds",
    type=click.FloatRange(1, 3600),
    default=None,
    help="Load mode: every phone syncs again and again for this long (instead of --batches).",
)
@click.option(
    "--think-ms",
    type=click.IntRange(0, 600_000),
    default=0,
    show_default=True,
    help="Load mode: a phone's pause between its syncs, on average (uniform, 0 to twice it).",
)
@click.option(
    "--database-url",
    metavar="URL",
    default=None,
    help="An empty database to run against (e.g. postgresql://user:password@host/db) instead "
    "of a fresh SQLite file in the folder.",
)
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
    seconds: float | None,
    think_ms: int,
    database_url: str | None,
) -> None:
    """Play a campaign through the real service under faults and check its invariants
    (every record on the server exactly once, every phone holding exactly its team's
    records, coverage equal to what happened, no 5xx); exits 1 if one fails. With --load,
    measure N phones syncing at once (loopback only) instead: push and pull latency apart,
    errors, and whether a fresh pull holds every acknowledged record exactly once."""
    import tempfile

    from outreach.simulate.campaign import Options
    from outreach.simulate.campaign import simulate as play
    from outreach.simulate.load import load
    from outreach.simulate.proxy import Faults

    if load_phones is None:
        district = simulated_district(district)
    with tempfile.TemporaryDirectory() as scratch:
        where = folder or Path(scratch)
        where.mkdir(parents=True, exist_ok=True)
        if load_phones is not None:
            result = asyncio.run(load(where, load_phones, batches, database_url=database_url,
                                      seconds=seconds, think_s=think_ms / 1000))  # fmt: skip
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
        report = asyncio.run(play(options, where, database_url))
    click.echo(
        f"{report.days} days, {report.phones} phones, {report.records} records"
        f" ({report.mutations} mutations), {report.restarts} server restarts,"
        f" faults {report.faults}, {report.seconds} s"
    )
    for invariant in report.invariants:
        click.echo(f"  {'ok  ' if invariant.held else 'FAIL'} {invariant.name}: {invariant.detail}")
    if not report.ok:
        raise SystemExit(1)


def simulated_district(text: str) -> str:
    """The KATO code of the shipped gazetteer's district that `text` names, as `groups` and
    `plan` resolve one (code, name in any language, or the start of a name); a name that
    fits none or several is a ClickException listing the candidates."""
    from outreach.cli.places import district_kato
    from outreach.domain.errors import InvalidInput
    from outreach.domain.locate import districts
    from outreach.services.gazetteer_import import packaged_kyzylorda

    data, _ = packaged_kyzylorda()
    try:
        return district_kato(text, districts(data))
    except InvalidInput as exc:
        raise click.ClickException(exc.message) from None
