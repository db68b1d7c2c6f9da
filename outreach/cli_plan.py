"""`outreach plan`: a campaign plan from a gazetteer file or the database, written as JSON."""

from __future__ import annotations

import asyncio
import os
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from outreach.config import Settings
from outreach.db.database import connect
from outreach.domain.errors import InvalidInput
from outreach.domain.locate import districts as file_districts
from outreach.domain.locate import planning_sites
from outreach.domain.planning import CampaignSpec, PlanDocument
from outreach.services.gazetteer_import import parse_files
from outreach.services.grouping import GeoCache
from outreach.services.planning import Snapshot, make_plan
from outreach.services.plans import snapshot as db_snapshot


def run_plan(settings: Settings, gazetteer: Path | None, districts_file: Path | None,
             districts: list[str], teams: int, start: date, end: date, max_km: float,
             max_trip_days: int, time_limit: float, out: Path) -> str:  # fmt: skip
    """Plan and write; return a summary for people. Every option is checked, and `out` is
    known to be writable, before anything is computed."""
    writable(out)
    spec = checked(CampaignSpec, {
        "start": start, "end": end, "teams": teams, "districts": districts,
        "max_trip_days": max_trip_days, "time_limit_s": time_limit,
        "policy": {"max_gathering_km": max_km},
    })  # fmt: skip
    travel = GeoCache(settings).travel
    if gazetteer is not None:
        data = parse_files(gazetteer.read_bytes(),
                           districts_file.read_bytes() if districts_file else None,
                           source=gazetteer.name)  # fmt: skip
        found = Snapshot(sites=planning_sites(data), districts=file_districts(data))
    else:
        found = asyncio.run(_from_database(settings))
    document = make_plan(spec, found, travel)
    out.write_bytes(msgspec.json.format(msgspec.json.encode(document), indent=2))
    return summary(document, out)


# where a command-line option's value sits in what it sets, for error messages
OPTIONS = {"$.policy.max_gathering_km": "--max-km", "$.max_gathering_km": "--max-km",
           "$.time_limit_s": "--time-limit", "$.teams": "--teams",
           "$.max_trip_days": "--max-trip-days", "$.turnout_share": "--turnout",
           "$.max_expected_attendance": "--max-attendance"}  # fmt: skip
_T = TypeVar("_T")


def checked(kind: type[_T], values: dict[str, Any]) -> _T:
    """Options as the domain type they set, checked by its own rules (the API's): a value
    out of range is refused with the option's name, not met later as a crash."""
    try:
        return msgspec.convert(values, kind)
    except msgspec.ValidationError as exc:
        message, _, where = str(exc).rpartition(" - at `")
        option = OPTIONS.get(where.rstrip("`"), where.rstrip("`"))
        raise InvalidInput(f"{option}: {message or exc}") from None


def writable(out: Path) -> None:
    """Refuse, before a long computation, an output path that cannot be written."""
    folder = out.parent
    if out.is_dir():
        raise InvalidInput(f"--out: {out} is a folder; name a file")
    if not folder.is_dir():
        raise InvalidInput(f"--out: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise InvalidInput(f"--out: {out} cannot be written")


async def _from_database(settings: Settings) -> Snapshot:
    from outreach.services.gazetteer_import import load_packaged_if_empty

    db = connect(settings.database_url, connections=1)
    await db.open()
    try:
        if settings.load_gazetteer:
            await load_packaged_if_empty(db)
        return await db_snapshot(db)
    finally:
        await db.close()


def summary(document: PlanDocument, out: Path) -> str:
    """A few lines on what the plan holds."""
    t = document.totals
    teams = ", ".join(f"{team} {days}" for team, days in t.team_days.items())
    lines = [
        f"{t.meetings_placed} of {t.meetings} meetings placed ({t.villages} settlements), "
        f"{t.road_km:.0f} road km, last day {t.last_date}",
        f"team-days: {teams} (spread {t.balance_days})",
        f"solver: {document.solver['library']} {document.solver['status']} "
        f"in {document.solver['time_s']} s; plan written to {out}",
    ]
    if document.unplaced:
        reasons: dict[str, int] = {}
        for item in document.unplaced:
            reasons[item.reason] = reasons.get(item.reason, 0) + 1
        lines.append("not placed: " + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
                     + f"; {t.extra_team_days_needed} more team-days would make room")  # fmt: skip
    return "\n".join(lines)
