"""`outreach groups`: meeting-group previews printed for people (or as JSON)."""

from __future__ import annotations

import click

from outreach.cli.database import with_gazetteer
from outreach.cli.options import checked, database_option, max_km_option, settings
from outreach.domain.errors import DomainError


@click.command()
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

    Works on the database's gazetteer (an empty database is refused: fill it with
    outreach import-gazetteer FILE.csv); stores nothing.
    Example: outreach groups --district Aral --max-km 15
    """
    from outreach.cli.grouping import run_groups
    from outreach.domain.grouping import GroupingPolicyInput

    chosen = settings(database_url=database_url)
    try:
        policy = checked(
            GroupingPolicyInput,
            {
                "max_gathering_km": max_km,
                "allow_cross_okrug": cross_okrug,
                "max_expected_attendance": max_attendance,
                "turnout_share": turnout,
            },
        )
        text = with_gazetteer(
            chosen, lambda db: run_groups(db, chosen, list(districts), policy, output)
        )
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(text)
