"""Positions for planning straight from an import file, by the rules the database's
village_locations view applies: surveyed, else the okrug centre's, else the district centre's."""

from __future__ import annotations

from outreach.domain.gazetteer import District, LocationQuality, PlanningSite, Position
from outreach.domain.gazetteer_csv import GazetteerFile


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
