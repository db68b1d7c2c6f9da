"""Road distance and travel time: geodesic distance x a detour factor, at an average speed.

Behind the small `TravelModel` protocol, so a road-network source (an OSRM table, say) can
take its place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Protocol

import msgspec
import numpy as np
from msgspec import Meta

from geo.distance import DistanceCache, Matrix, Progress
from geo.point import Point

DetourFactor = Annotated[float, Meta(ge=1, le=5)]
SpeedKmh = Annotated[float, Meta(gt=0, le=200)]


class TravelModel(Protocol):
    """Road distance in metres and travel time in seconds between two points."""

    def road_m(self, a: Point, b: Point, district_id: str | None = None) -> float: ...

    def travel_s(self, a: Point, b: Point, district_id: str | None = None) -> float: ...


Matrices = tuple[list[list[float]], list[list[float]]]  # road metres, travel seconds [from][to]


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

    def matrices(self, points: Sequence[Point], district_ids: Sequence[str | None],
                 progress: Progress | None = None) -> tuple[Matrix, Matrix]:  # fmt: skip
        """Road metres and travel seconds between every two points, row = from (its district
        sets detour and speed), computed vectorised: the same numbers as `road_m` and
        `travel_s` to well under a millimetre. `progress(rows done, rows)` as it goes."""
        geodesic = self.distances.matrix_m(points, progress)
        settings = [self._settings(d) for d in district_ids]
        detour = np.array([d for d, _ in settings], dtype=np.float64)
        speed_ms = np.array([s * 1000 / 3600 for _, s in settings], dtype=np.float64)
        road: Matrix = geodesic * detour[:, None]
        return road, road / speed_ms[:, None]


def travel_matrices(travel: TravelModel, points: Sequence[Point],
                    district_ids: Sequence[str | None], progress: Progress | None = None
                    ) -> Matrices:  # fmt: skip
    """Road metres and travel seconds between every two points (row = from, its district's
    settings), as lists: vectorised for the detour model, pair by pair for any other model
    (or a detour model whose `road_m` or `travel_s` a subclass redefines)."""
    if isinstance(travel, DetourTravelModel) and _plain(travel):
        road, time_s = travel.matrices(points, district_ids, progress)
        return road.tolist(), time_s.tolist()
    road_rows, time_rows = [], []
    for row, (a, district) in enumerate(zip(points, district_ids, strict=True)):
        road_rows.append([travel.road_m(a, b, district) for b in points])
        time_rows.append([travel.travel_s(a, b, district) for b in points])
        if progress:
            progress(row + 1, len(points))
    return road_rows, time_rows


def geodesic_reach_m(travel: TravelModel, road_m: float) -> float | None:
    """Geodesic metres beyond which the model's road distance surely exceeds `road_m` (the
    least detour's share), for prefilters that skip pairs that cannot matter; None for a
    model that promises no such bound."""
    if isinstance(travel, DetourTravelModel) and _plain(travel):
        detours = [travel.detour_factor]
        detours += [d.detour_factor for d in travel.districts.values() if d.detour_factor]
        return road_m / min(detours)
    return None


def _plain(travel: DetourTravelModel) -> bool:
    kind = type(travel)
    return kind.road_m is DetourTravelModel.road_m and kind.travel_s is DetourTravelModel.travel_s
