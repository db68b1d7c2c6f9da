"""Plausibility of coordinates: a settlement lies near its district's centre.

Range checks alone let a swapped latitude and longitude through (65.5 N 44.9 E is a valid
point, in the Arctic); the distance from the district's centre catches it.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from geo.distance import geodesic_m, great_circle_m
from geo.point import Point
from outreach.domain.gazetteer import Position

# Kyzylorda's farthest settlement from its district centre is 211 km away (Кекирели).
MAX_FROM_DISTRICT_CENTRE_M = 400_000.0
# ... and from its okrug's centre 73 km (Тастубек, of the 24 whose both positions are known)
MAX_FROM_OKRUG_CENTRE_M = 100_000.0
# A correction farther from the district's centre than the district's farthest other surveyed
# settlement by more than this is odd (44.0 N 70.0 E is 221 km from Zhanakorgan, whose
# settlements all lie within 90 km, and outside the region): it needs `force`.
SPREAD_MARGIN_M = 50_000.0
MIN_REACH_M = MAX_FROM_OKRUG_CENTRE_M


def distance_m(a: Position, b: Position) -> float:
    """Geodesic distance between two positions, in metres."""
    return geodesic_m(Point(a.lat, a.lon), Point(b.lat, b.lon))


def sphere_m(a: Position, b: Position) -> float:
    """Distance between two positions on the sphere (within geo.distance.SPHERE_MARGIN of the
    geodesic), in metres."""
    return great_circle_m(Point(a.lat, a.lon), Point(b.lat, b.lon))


def implausibility(position: Position | None, centre: Position | None) -> str | None:
    """Why a position cannot be right for a settlement of a district with this centre, or None."""
    if position is None or centre is None:
        return None
    metres = distance_m(position, centre)
    if metres <= MAX_FROM_DISTRICT_CENTRE_M:
        return None
    return (
        f"{position.lat}, {position.lon} is {metres / 1000:.0f} km from the district's "
        f"centre (at most {MAX_FROM_DISTRICT_CENTRE_M / 1000:.0f} km): are lat and lon swapped?"
    )


def beyond_fallback(position: Position, fallback: Position | None, quality: str) -> bool:
    """Whether a position is too far from a settlement's fallback (its okrug's or district's
    centre, which it stands in for when the settlement's own is unknown) to be the
    settlement's: a meeting logged at the base for a village 130 km away, say."""
    if fallback is None:
        return False
    limit = {"okrug_centre": MAX_FROM_OKRUG_CENTRE_M,
             "district_centre": MAX_FROM_DISTRICT_CENTRE_M}.get(quality)  # fmt: skip
    return limit is not None and distance_m(position, fallback) > limit


class PositionProblem(msgspec.Struct, frozen=True, kw_only=True):
    """Why a corrected position looks wrong: `max_m` is the limit it breaks; `forceable` is
    false past the import's own limit, which no override may pass (0, 0 is in the Gulf of
    Guinea), true past the district's spread only (a genuinely odd place may be kept)."""

    why: str
    distance_m: float
    max_m: float
    forceable: bool


def district_reach_m(centre: Position, others: Iterable[Position]) -> float:
    """How far from its district's centre a settlement may plausibly lie, in metres: the
    district's farthest surveyed settlement plus a margin, at least MIN_REACH_M, at most the
    import's limit."""
    farthest = max((distance_m(p, centre) for p in others), default=0.0)
    return min(max(farthest + SPREAD_MARGIN_M, MIN_REACH_M), MAX_FROM_DISTRICT_CENTRE_M)


def correction_problem(
    position: Position, centre: Position | None, others: Iterable[Position]
) -> PositionProblem | None:
    """Why a coordinator's position for a settlement cannot, or may not, be right, or None:
    the import's check first (never overridden), then the district's spread (`others`: the
    surveyed positions of the district's other settlements)."""
    if centre is None:
        return None
    metres = distance_m(position, centre)
    if why := implausibility(position, centre):
        return PositionProblem(why=why, distance_m=metres, max_m=MAX_FROM_DISTRICT_CENTRE_M,
                               forceable=False)  # fmt: skip
    reach = district_reach_m(centre, others)
    if metres <= reach:
        return None
    why = (f"{position.lat}, {position.lon} is {metres / 1000:.0f} km from the district's "
           f"centre, farther than its settlements lie (at most {reach / 1000:.0f} km)")  # fmt: skip
    return PositionProblem(why=why, distance_m=metres, max_m=reach, forceable=True)
