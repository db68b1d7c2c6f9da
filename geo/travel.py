"""Road distance and travel time: geodesic distance x a detour factor, at an average speed.

Behind the small `TravelModel` protocol, so a road-network source (an OSRM table, say) can
take its place.
"""

from __future__ import annotations

from typing import Annotated, Protocol

import msgspec
from msgspec import Meta

from geo.distance import DistanceCache
from geo.point import Point

DetourFactor = Annotated[float, Meta(ge=1, le=5)]
SpeedKmh = Annotated[float, Meta(gt=0, le=200)]


class TravelModel(Protocol):
    """Road distance in metres and travel time in seconds between two points."""

    def road_m(self, a: Point, b: Point, district_id: str | None = None) -> float: ...

    def travel_s(self, a: Point, b: Point, district_id: str | None = None) -> float: ...


class DistrictTravel(msgspec.Struct, frozen=True):
    """A district's own detour factor and speed; None keeps the model's default."""

    detour_factor: DetourFactor | None = None
    speed_kmh: SpeedKmh | None = None


class DetourTravelModel:
    """Road metres = geodesic metres x detour factor; seconds = road metres / speed."""

    def __init__(
        self,
        detour_factor: float = 1.3,
        speed_kmh: float = 60.0,
        districts: dict[str, DistrictTravel] | None = None,
        distances: DistanceCache | None = None,
    ) -> None:
        self.detour_factor = detour_factor
        self.speed_kmh = speed_kmh
        self.districts = districts or {}
        self.distances = distances or DistanceCache()

    def _settings(self, district_id: str | None) -> tuple[float, float]:
        own = self.districts.get(district_id or "")
        if own is None:
            return self.detour_factor, self.speed_kmh
        return own.detour_factor or self.detour_factor, own.speed_kmh or self.speed_kmh

    def road_m(self, a: Point, b: Point, district_id: str | None = None) -> float:
        """Estimated road distance in metres."""
        detour, _ = self._settings(district_id)
        return self.distances.geodesic_m(a, b) * detour

    def travel_s(self, a: Point, b: Point, district_id: str | None = None) -> float:
        """Estimated travel time in seconds."""
        _, speed_kmh = self._settings(district_id)
        return self.road_m(a, b, district_id) / (speed_kmh * 1000 / 3600)
