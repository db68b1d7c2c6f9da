"""Plausibility of coordinates: a settlement lies near its district's centre.

Range checks alone let a swapped latitude and longitude through (65.5 N 44.9 E is a valid
point, in the Arctic); the distance from the district's centre catches it.
"""

from __future__ import annotations

from geopy.distance import geodesic

from outreach.domain.gazetteer import Position

# Kyzylorda's farthest settlement from its district centre is 211 km away (Кекирели).
MAX_FROM_DISTRICT_CENTRE_M = 400_000.0


def distance_from_centre_m(position: Position, centre: Position) -> float:
    """Geodesic distance in metres."""
    return float(geodesic((position.lat, position.lon), (centre.lat, centre.lon)).meters)


def implausibility(position: Position | None, centre: Position | None) -> str | None:
    """Why a position cannot be right for a settlement of a district with this centre, or None."""
    if position is None or centre is None:
        return None
    distance_m = distance_from_centre_m(position, centre)
    if distance_m <= MAX_FROM_DISTRICT_CENTRE_M:
        return None
    return (
        f"{position.lat}, {position.lon} is {distance_m / 1000:.0f} km from the district's "
        f"centre (at most {MAX_FROM_DISTRICT_CENTRE_M / 1000:.0f} km): are lat and lon swapped?"
    )
