"""What `outreach groups` does: group the named districts and render the groups for people."""

from __future__ import annotations

import msgspec

from outreach.cli.places import district_kato
from outreach.config import Settings
from outreach.db.database import Database
from outreach.domain.grouping import GroupingPolicyInput, GroupingRequest
from outreach.services import gazetteer
from outreach.services.grouping import GeoCache, GroupingPreview, preview


async def run_groups(
    db: Database, settings: Settings, districts: list[str], policy: GroupingPolicyInput, output: str
) -> str:
    """Group the named districts (KATO codes or names) and render the result."""
    known = await gazetteer.list_districts(db)
    request = GroupingRequest(
        districts=[district_kato(name, known) for name in districts], policy=policy
    )
    result = await preview(db, GeoCache(settings), request)
    if output == "json":
        return msgspec.json.format(msgspec.json.encode(result), indent=2).decode()
    if output == "districts":
        return district_table(result, {d.kato: d.names.en or d.names.ru for d in known})
    return meeting_lines(result)


def meeting_lines(result: GroupingPreview) -> str:
    """One line per meeting: hub, villages gathered, farthest road distance, flags."""
    lines = []
    for group in result.groups:
        flags = [
            f
            for f in (
                group.reason,
                "approximate" if group.approximate else None,
                None if group.proven_optimal else "heuristic",
            )
            if f
        ]
        others = [m.names.ru for m in group.members if m.kato != group.hub_kato]
        lines.append(
            f"{group.hub_names.ru:<24} {len(group.members):>2} villages "
            f"{group.max_road_m / 1000:5.1f} km  {', '.join(others)}"
            + (f"  [{'; '.join(flags)}]" if flags else "")
        )
    summary = result.summary
    lines.append(
        f"{summary.meetings} meetings for {summary.villages} settlements; largest "
        f"gathering {summary.largest_gathering_m / 1000:.1f} km; "
        f"{summary.groups_proven_optimal} groups proven optimal; "
        f"{summary.approximate_villages} settlements placed approximately"
    )
    return "\n".join(lines)


def district_table(result: GroupingPreview, names: dict[str, str]) -> str:
    """A Markdown table: per district, settlements, meetings, largest distance, proven."""
    rows = [
        "| district | settlements | meetings | largest gathering (km) | proven optimal |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for kato in sorted({g.district_kato for g in result.groups}):
        own = [g for g in result.groups if g.district_kato == kato]
        rows.append(
            f"| {names.get(kato, kato)} | {sum(len(g.members) for g in own)} | "
            f"{len(own)} | {max(g.max_road_m for g in own) / 1000:.1f} | "
            f"{sum(g.proven_optimal for g in own)} |"
        )
    s = result.summary
    rows.append(
        f"| **all** | {s.villages} | {s.meetings} | {s.largest_gathering_m / 1000:.1f} | "
        f"{s.groups_proven_optimal} |"
    )
    return "\n".join(rows)
