"""Factories of villages for geo tests."""

from __future__ import annotations

from geo.grouping_types import Site
from geo.point import Point

ORIGIN = Point(44.8, 65.5)


def make_site(index: int, *, okrug: str | None = "431000100", north_km: float = 0.0,
              east_km: float = 0.0, population: int | None = None, quality: str = "exact",
              centre: bool = False, district: str = "431000000") -> Site:  # fmt: skip
    """A village `north_km`/`east_km` from a fixed origin in Kyzylorda oblast."""
    position = Point(ORIGIN.lat_deg + north_km / 111.2, ORIGIN.lon_deg + east_km / 78.9)
    return Site(
        id=f"{index:09d}", district_id=district, okrug_id=okrug,
        position=None if quality == "unknown" else position,
        location_quality=quality,  # type: ignore[arg-type]
        population=population, is_okrug_centre=centre,
    )  # fmt: skip
