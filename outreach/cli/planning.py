"""What `outreach plan` does once its options are parsed: check them all, load the gazetteer
(a file, checked as the import checks it, or the database), plan, and write the plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
import msgspec

from outreach.cli import places
from outreach.cli.database import with_gazetteer
from outreach.cli.options import checked, writable
from outreach.config import Settings
from outreach.db.database import Database
from outreach.domain.errors import InvalidInput
from outreach.domain.locate import RefusedPosition, planning_sites, plausible
from outreach.domain.locate import districts as file_districts
from outreach.domain.planning import CampaignSpec, PlanDocument, PlanningStep, Progress
from outreach.services.gazetteer_import import parse_files
from outreach.services.grouping import GeoCache
from outreach.services.planning import Snapshot, make_plan


class PlanOptions(msgspec.Struct, frozen=True, kw_only=True):
    """`outreach plan`'s options as given (names not yet resolved to KATO codes)."""

    gazetteer: Path | None
    districts_file: Path | None
    districts: list[str]
    base: str | None
    lodgings: Path | None
    teams: int
    start: date
    end: date
    max_km: float
    max_trip_days: int
    day_cost_km: float
    time_limit_s: float
    out: Path


def run_plan(settings: Settings, options: PlanOptions, progress: Progress) -> str:
    """Plan and write; return a summary for people. Every option is checked, and `out` is
    known to be writable, before anything is computed; `progress` hears each stage begin."""
    writable(options.out)
    spec = checked(
        CampaignSpec,
        {
            "start": options.start,
            "end": options.end,
            "teams": options.teams,
            "max_trip_days": options.max_trip_days,
            "day_cost_km": options.day_cost_km,
            "time_limit_s": options.time_limit_s,
            "policy": {"max_gathering_km": options.max_km},
        },
    )
    lodging_lines = places.lodging_lines(options.lodgings) if options.lodgings else None
    progress(PlanningStep(stage="loading"))
    if options.gazetteer is not None:
        found = _from_file(options.gazetteer, options.districts_file)
    else:
        found = with_gazetteer(
            settings, _from_database, instead=", or plan from a file with --gazetteer FILE.csv"
        )
    spec = _places(spec, options, found, lodging_lines)
    document = make_plan(spec, found, GeoCache(settings).travel, None, progress)
    progress(PlanningStep(stage="saving"))
    options.out.write_bytes(msgspec.json.format(msgspec.json.encode(document), indent=2))
    return summary(document, options.out)


def _places(
    spec: CampaignSpec,
    options: PlanOptions,
    found: Snapshot,
    lodging_lines: list[tuple[int, str]] | None,
) -> CampaignSpec:
    """The spec with the districts, base and lodgings the options name, as KATO codes."""
    districts = [places.district_kato(d, found.districts) for d in options.districts]
    base = None
    if options.base is not None:
        try:
            base = places.located(places.settlement(options.base, found.sites, found.districts))
        except InvalidInput as exc:
            raise InvalidInput(f"--base: {exc.message}") from None
    lodgings = None
    if options.lodgings is not None and lodging_lines is not None:
        lodgings = places.lodgings(options.lodgings, lodging_lines, found.sites, found.districts)
    return msgspec.structs.replace(spec, districts=districts, base=base, lodgings=lodgings)


def _from_file(gazetteer: Path, districts_file: Path | None) -> Snapshot:
    data = parse_files(
        gazetteer.read_bytes(),
        districts_file.read_bytes() if districts_file else None,
        source=gazetteer.name,
    )
    data, refused = plausible(data)
    if refused:
        click.echo(refusals(refused, gazetteer.name), err=True)
    return Snapshot(sites=planning_sites(data), districts=file_districts(data))


def refusals(refused: list[RefusedPosition], source: str) -> str:
    """The positions refused as the import refuses them, one line each."""
    count = f"{len(refused)} position{'s' if len(refused) > 1 else ''}"
    lines = [
        f"{count} refused by the import's plausibility check (planned approximately, as "
        "settlements without coordinates):"
    ]
    lines += [f"  {r.kato} {r.names.ru} ({source} line {r.line}): {r.reason}" for r in refused]
    return "\n".join(lines)


async def _from_database(db: Database) -> Snapshot:
    from outreach.services.plans import snapshot

    return await snapshot(db)


def summary(document: PlanDocument, out: Path) -> str:
    """A few lines on what the plan holds."""
    t = document.totals
    teams = ", ".join(f"{team} {days}" for team, days in t.team_days.items())
    base = [p.names.ru for p in document.places if p.kind == "base"]
    lodgings = [p.names.ru for p in document.places if p.kind == "lodging"]
    lines = [
        f"{t.meetings_placed} of {t.meetings} meetings placed ({t.villages} settlements), "
        f"{t.road_km:.0f} road km, last day {t.last_date}",
        f"base {', '.join(base)}; lodgings {', '.join(lodgings) or 'none'}",
        f"team-days: {teams} (spread {t.balance_days})",
        f"solver: {document.solver['library']} {document.solver['status']} "
        f"in {document.solver['time_s']} s; plan written to {out}",
    ]
    if document.unplaced:
        reasons: dict[str, int] = {}
        for item in document.unplaced:
            reasons[item.reason] = reasons.get(item.reason, 0) + 1
        lines.append(
            "not placed: "
            + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
            + f"; {t.extra_team_days_needed} more team-days would make room"
        )
    return "\n".join(lines)
