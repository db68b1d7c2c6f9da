"""`outreach import-gazetteer`: a region's settlements from CSV into the database."""

from __future__ import annotations

from pathlib import Path

import click

from outreach.cli.database import with_db
from outreach.cli.options import database_option, problem_lines, settings
from outreach.db.database import Database
from outreach.domain.errors import DomainError
from outreach.domain.gazetteer import Names


@click.command("import-gazetteer")
@click.argument("settlements", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--districts-file",
    "--districts",
    "districts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Optional districts CSV (kato,name_kk,name_ru,name_en,center_name,"
    "center_lat,center_lon) giving names and centres (docs/gazetteer.md).",
)
@click.option(
    "--region-ru",
    help="The region's name in Russian (a region new to the database is called "
    "'Region <KATO>' when omitted; an existing one keeps its names).",
)
@click.option("--region-kk", help="The region's name in Kazakh (with --region-ru).")
@click.option("--region-en", help="The region's name in English (with --region-ru).")
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
    settlements.csv (kato, name_kk, name_ru, name_en, kind, district_kato, ...; every column
    is described in docs/gazetteer.md).

    The whole file is checked first: any bad line or column is reported and nothing is
    changed. Importing the same file again changes nothing; fields a coordinator corrected
    are kept.
    """
    from outreach.services import gazetteer_import as service

    if (region_kk or region_en) and not region_ru:
        raise click.UsageError(
            "give the region's Russian name with --region-ru too (every region has one; "
            "--region-kk and --region-en are kept beside it)"
        )
    chosen = settings(database_url=database_url)
    settlement_bytes = settlements.read_bytes()
    district_bytes = districts.read_bytes() if districts else None
    names = Names(ru=region_ru, kk=region_kk, en=region_en) if region_ru else None
    digest = service.file_digest(settlement_bytes, district_bytes or b"")

    async def work(db: Database) -> tuple[list[str], service.ImportSummary]:
        others = await other_regions(db, data.region_kato)
        return others, await service.import_gazetteer(db, data, sha256=digest)

    try:
        data = service.parse_files(settlement_bytes, district_bytes, names, source=settlements.name)
        others, summary = with_db(chosen, work)  # implausible positions are refused inside
    except DomainError as exc:
        for line in problem_lines(exc.details):
            click.echo(line, err=True)
        raise click.ClickException(f"nothing imported: {exc.message}") from exc
    for region in others:
        click.echo(
            f"warning: the database already holds region {region}: plans will mix both "
            "regions (import into a database of its own, --database-url, to keep them apart)",
            err=True,
        )
    click.echo(
        f"{summary.rows} settlements: {summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged; {summary.kept_corrections} corrected values kept; "
        f"gazetteer version {summary.gazetteer_version}"
    )


async def other_regions(db: Database, region_kato: str) -> list[str]:
    """The regions other than `region_kato` that hold settlements, for people:
    `430000000 Кызылординская область (298 settlements)`."""
    from outreach.services import gazetteer

    counts: dict[str, int] = {}
    for district in await gazetteer.list_districts(db):
        if district.region_kato != region_kato and district.settlement_count:
            counts[district.region_kato] = (
                counts.get(district.region_kato, 0) + district.settlement_count
            )
    names = {
        region.kato: f"{region.kato} {region.names.ru}"
        for region in await gazetteer.list_regions(db)
    }
    return [f"{names.get(kato, kato)} ({n} settlements)" for kato, n in counts.items()]
