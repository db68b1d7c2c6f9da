"""`outreach groups`: meeting-group previews printed for people (or as JSON)."""

from __future__ import annotations

import msgspec

from outreach.cli_plan import checked
from outreach.config import Settings
from outreach.db.database import Database
from outreach.domain.errors import InvalidInput
from outreach.domain.gazetteer import District
from outreach.domain.grouping import GroupingPolicyInput, GroupingRequest
from outreach.domain.names import fold
from outreach.services import gazetteer
from outreach.services.gazetteer_import import load_packaged_if_empty
from outreach.services.grouping import GeoCache, GroupingPreview, preview


async def run_groups(db: Database, settings: Settings, districts: list[str], max_km: float,
                     cross_okrug: bool, max_attendance: int | None, turnout: float, output: str
                     ) -> str:  # fmt: skip
    """Group the named districts and render the result."""
    if settings.load_gazetteer:
        await load_packaged_if_empty(db)
    known = await gazetteer.list_districts(db)
    request = GroupingRequest(
        districts=[_district_kato(name, known) for name in districts],
        policy=checked(GroupingPolicyInput, {
            "max_gathering_km": max_km, "allow_cross_okrug": cross_okrug,
            "max_expected_attendance": max_attendance, "turnout_share": turnout,
        }),
    )  # fmt: skip
    result = await preview(db, GeoCache(settings), request)
    if output == "json":
        return msgspec.json.format(msgspec.json.encode(result), indent=2).decode()
    if output == "districts":
        return district_table(result, {d.kato: d.names.en or d.names.ru for d in known})
    return meeting_lines(result)


def _district_kato(name: str, known: list[District]) -> str:
    if name.isdigit():
        return name
    wanted = fold(name)
    matches: list[str] = [
        d.kato for d in known
        if any(fold(n).startswith(wanted) for n in (d.names.kk, d.names.ru, d.names.en) if n)
    ]  # fmt: skip
    if len(matches) != 1:
        raise InvalidInput(f"{name!r} names {len(matches)} districts; use a KATO code")
    return matches[0]


def meeting_lines(result: GroupingPreview) -> str:
    """One line per meeting: hub, villages gathered, farthest road distance, flags."""
    lines = []
    for group in result.groups:
        flags = [f for f in (group.reason, "approximate" if group.approximate else None,
                             None if group.proven_optimal else "heuristic") if f]  # fmt: skip
        others = [m.names.ru for m in group.members if m.kato != group.hub_kato]
        lines.append(f"{group.hub_names.ru:<24} {len(group.members):>2} villages "
                     f"{group.max_road_m / 1000:5.1f} km  {', '.join(others)}"
                     + (f"  [{'; '.join(flags)}]" if flags else ""))  # fmt: skip
    summary = result.summary
    lines.append(f"{summary.meetings} meetings for {summary.villages} settlements; largest "
                 f"gathering {summary.largest_gathering_m / 1000:.1f} km; "
                 f"{summary.groups_proven_optimal} groups proven optimal; "
                 f"{summary.approximate_villages} settlements placed approximately")  # fmt: skip
    return "\n".join(lines)


def district_table(result: GroupingPreview, names: dict[str, str]) -> str:
    """A Markdown table: per district, settlements, meetings, largest distance, proven."""
    rows = ["| district | settlements | meetings | largest gathering (km) | proven optimal |",
            "| --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for kato in sorted({g.district_kato for g in result.groups}):
        own = [g for g in result.groups if g.district_kato == kato]
        rows.append(f"| {names.get(kato, kato)} | {sum(len(g.members) for g in own)} | "
                    f"{len(own)} | {max(g.max_road_m for g in own) / 1000:.1f} | "
                    f"{sum(g.proven_optimal for g in own)} |")  # fmt: skip
    s = result.summary
    rows.append(f"| **all** | {s.villages} | {s.meetings} | {s.largest_gathering_m / 1000:.1f} | "
                f"{s.groups_proven_optimal} |")  # fmt: skip
    return "\n".join(rows)
