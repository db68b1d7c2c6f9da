"""Positions for planning straight from an import file, by the rules the database's
village_locations view applies: surveyed, else the okrug centre's, else the district centre's;
a surveyed position the import would refuse as implausible counts as none."""

from __future__ import annotations

import msgspec

from outreach.domain.gazetteer import District, LocationQuality, Names, PlanningSite, Position
from outreach.domain.gazetteer_csv import GazetteerFile
from outreach.domain.plausibility import implausibility


class RefusedPosition(msgspec.Struct, frozen=True, kw_only=True):
    """A settlement's position from a file that the import would refuse, and why."""

    kato: str
    names: Names
    line: int
    position: Position
    reason: str


def plausible(data: GazetteerFile) -> tuple[GazetteerFile, list[RefusedPosition]]:
    """The file without the positions the import's plausibility check refuses (too far from
    the district's centre: lat and lon swapped, or another region), and those refused; a
    settlement whose position is refused is then placed as one without coordinates."""
    centres = {d.kato: d.centre for d in data.districts}
    refused = [
        RefusedPosition(kato=s.kato, names=s.names, line=s.line, position=s.position, reason=why)
        for s in data.settlements
        if s.position is not None
        and (why := implausibility(s.position, centres.get(s.district_kato)))
    ]
    if not refused:
        return data, []
    gone = {r.kato for r in refused}
    settlements = tuple(
        msgspec.structs.replace(s, position=None) if s.kato in gone else s for s in data.settlements
    )
    return msgspec.structs.replace(data, settlements=settlements), refused


def planning_sites(data: GazetteerFile) -> list[PlanningSite]:
    """Every settlement of the file with its best known position and its quality."""
    by_kato = {s.kato: s for s in data.settlements}
    centres = {d.kato: d.centre for d in data.districts}
    okrug_centres = {o.kato: o.centre_kato for o in data.okrugs}
    sites = []
    for s in data.settlements:
        centre_kato = okrug_centres.get(s.okrug_kato or "")
        okrug_centre = by_kato[centre_kato].position if centre_kato else None
        position: Position | None
        quality: LocationQuality
        if s.position is not None:
            position, quality = s.position, "exact"
        elif okrug_centre is not None:
            position, quality = okrug_centre, "okrug_centre"
        elif centres.get(s.district_kato) is not None:
            position, quality = centres[s.district_kato], "district_centre"
        else:
            position, quality = None, "unknown"
        sites.append(PlanningSite(
            kato=s.kato, names=s.names, kind=s.kind, district_kato=s.district_kato,
            okrug_kato=s.okrug_kato, position=position, location_quality=quality,
            population=s.population, is_okrug_centre=centre_kato == s.kato,
        ))  # fmt: skip
    return sites


def districts(data: GazetteerFile) -> list[District]:
    """The file's districts as the API shows them."""
    return [
        District(kato=d.kato, region_kato=data.region_kato, names=d.names,
                 centre_name=d.centre_name, centre=d.centre)
        for d in data.districts
    ]  # fmt: skip
