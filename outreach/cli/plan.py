"""`outreach plan`: a season's plan from a gazetteer file or the database, written as JSON."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from geo.planning.types import DAY_COST_KM
from outreach.cli.options import database_option, max_km_option, problem_lines, settings
from outreach.domain.errors import DomainError


@click.command()
@click.option(
    "--gazetteer",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Plan from this settlements CSV (its columns: docs/gazetteer.md) without a "
    "database; the database's gazetteer when omitted. Positions the import would refuse as "
    "implausible are reported and planned approximately.",
)
@click.option(
    "--districts-file",
    "--districts",
    "districts_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --gazetteer: its districts CSV (names and centres, the lodgings).",
)
@click.option(
    "--district",
    "districts",
    multiple=True,
    metavar="KATO|NAME",
    help="Only this district, by KATO code or name (repeatable); the whole region when omitted.",
)
@click.option(
    "--base",
    metavar="KATO|NAME",
    help="The settlement teams start from and come back to, by KATO code or name in any "
    "language; the region's largest city when omitted.",
)
@click.option(
    "--lodgings",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file naming the settlements teams may sleep at, one KATO code or name per line "
    "(header and # comments allowed); the district centres when omitted.",
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
    "--day-cost-km",
    type=float,
    default=DAY_COST_KM,
    show_default=True,
    help="What a team-day is worth in road km: the planner drives up to this much further "
    "to save a day (0: road km alone).",
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
    base: str | None,
    lodgings: Path | None,
    teams: int,
    start: datetime,
    end: datetime,
    max_km: float,
    max_trip_days: int,
    day_cost_km: float,
    time_limit: float,
    out: Path,
    database_url: str | None,
) -> None:
    """Plan a season: group villages into meetings, give each meeting a team, a day and a
    place in that day's route, and write the plan as JSON. Stages are shown on stderr.

    Example: outreach plan --gazetteer settlements.csv --teams 3 --start 2027-03-01
    --end 2027-05-28 --out plan.json (another region: docs/cli.md)
    """
    from outreach.cli.planning import PlanOptions, run_plan
    from outreach.cli.stages import StageLines

    if districts_file is not None and gazetteer is None:
        raise click.UsageError(
            "--districts-file goes with --gazetteer (the database's gazetteer has its districts)"
        )
    chosen = settings(database_url=database_url)
    options = PlanOptions(
        gazetteer=gazetteer,
        districts_file=districts_file,
        districts=list(districts),
        base=base,
        lodgings=lodgings,
        teams=teams,
        start=start.date(),
        end=end.date(),
        max_km=max_km,
        max_trip_days=max_trip_days,
        day_cost_km=day_cost_km,
        time_limit_s=time_limit,
        out=out,
    )
    stages = StageLines()
    try:
        summary = run_plan(chosen, options, stages)
    except DomainError as exc:
        stages.close()
        for line in problem_lines(exc.details):
            click.echo(f"  {line}", err=True)
        raise click.ClickException(exc.message) from exc
    stages.close()
    click.echo(summary)
