"""Planning problems built from points, with a haversine x 1.3 at 60 km/h travel model."""

from __future__ import annotations

import math
from datetime import date

from geo.planning.calendar import CalendarSpec
from geo.planning.types import Location, Meeting, PlanningProblem, Team

BASE = (44.85278, 65.50917)  # Kyzylorda


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def make_problem(
    meeting_points: list[tuple[float, float]],
    *,
    lodging_points=(),
    teams: int = 3,
    start: date = date(2027, 3, 1),
    end: date = date(2027, 3, 31),
    duration_s: int = 2 * 3600,
    **options,
) -> PlanningProblem:
    points = [BASE, *lodging_points, *meeting_points]
    kinds = ["base"] + ["lodging"] * len(lodging_points) + ["meeting"] * len(meeting_points)
    locations = [Location(f"L{i}", kind) for i, kind in enumerate(kinds)]
    road = [[haversine_m(a, b) * 1.3 for b in points] for a in points]
    first = 1 + len(lodging_points)
    meetings = [
        Meeting(id=f"m{i:03d}", location=first + i, duration_s=duration_s)
        for i in range(len(meeting_points))
    ]
    return PlanningProblem(
        locations=locations,
        road_m=road,
        travel_s=[[m / (60 / 3.6) for m in row] for row in road],
        meetings=meetings,
        teams=[Team(f"team-{t + 1}", 0) for t in range(teams)],
        lodgings=list(range(1, first)),
        calendar=CalendarSpec(start=start, end=end),
        **options,
    )


def ring(count: int, radius_deg: float, centre=BASE) -> list[tuple[float, float]]:
    return [
        (
            centre[0] + radius_deg * math.sin(2 * math.pi * i / count),
            centre[1] + radius_deg * 1.4 * math.cos(2 * math.pi * i / count),
        )
        for i in range(count)
    ]
