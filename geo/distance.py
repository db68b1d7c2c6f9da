"""Geodesic distances (geopy, WGS84), one pair, a matrix, and a cache that keeps them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from geopy.distance import geodesic

from geo.point import Point


def geodesic_m(a: Point, b: Point) -> float:
    """Geodesic distance between two points, in metres."""
    if a == b:
        return 0.0
    return float(geodesic((a.lat_deg, a.lon_deg), (b.lat_deg, b.lon_deg)).meters)


def distance_matrix_m(points: Sequence[Point]) -> list[list[float]]:
    """Symmetric matrix of geodesic distances in metres, each pair computed once."""
    size = len(points)
    matrix = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            matrix[i][j] = matrix[j][i] = geodesic_m(points[i], points[j])
    return matrix


class DistanceCache:
    """Geodesic distances computed once and kept: distances between villages never change, so
    one cache serves every request of a process (warm it with the pairs planning needs)."""

    def __init__(self) -> None:
        self._metres: dict[tuple[Point, Point], float] = {}
        self.computed = 0

    def __len__(self) -> int:
        return len(self._metres)

    def geodesic_m(self, a: Point, b: Point) -> float:
        """Geodesic distance in metres, from the cache when it is there."""
        key = (a, b) if a <= b else (b, a)
        found = self._metres.get(key)
        if found is None:
            found = self._metres[key] = geodesic_m(a, b)
            self.computed += 1
        return found

    def warm(self, pairs: Iterable[tuple[Point, Point]]) -> None:
        """Compute the given pairs now."""
        for a, b in pairs:
            self.geodesic_m(a, b)
