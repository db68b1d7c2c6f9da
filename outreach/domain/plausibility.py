"""Plausibility of coordinates: a settlement lies near its district's centre.

Range checks alone let a swapped latitude and longitude through (65.5 N 44.9 E is a valid
point, in the Arctic); the distance from the district's centre catches it.
"""

from __future__ import annotations

from geo.distance import geodesic_m, great_circle_m
from geo.point import Point
from outreach.domain.gazetteer import Position

# Kyzylorda's farthest settlement from its district centre is 211 km away (Кекирели).
MAX_FROM_DISTRICT_CENTRE_M = 400_000.0
# ... and from its okrug's centre 73 km (Тастубек, of the 24 whose both positions are known)
MAX_FROM_OKRUG_CENTRE_M = 100_000.0


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
