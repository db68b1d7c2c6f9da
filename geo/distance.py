"""Geodesic distances (WGS84): one pair (geopy, Karney), a matrix, a vectorised matrix for many
points, and a cache that keeps them."""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from geopy.distance import geodesic
from numpy.typing import NDArray

from geo.point import Point

Matrix = NDArray[np.float64]
Progress = Callable[[int, int], None]  # (done, total), e.g. rows of a matrix computed

WGS84_A_M = 6_378_137.0
WGS84_F = 1 / 298.257223563
WGS84_B_M = WGS84_A_M * (1 - WGS84_F)
MEAN_RADIUS_M = 6_371_008.8
# a great circle on the sphere of mean radius is within 0.6% of the ellipsoidal geodesic (the
# flattening is 0.34%); prefilters allow twice that and more, so they never drop a real pair
SPHERE_MARGIN = 0.015
ROWS_PER_BLOCK = 128  # rows of a matrix computed at once: bounds memory, paces progress
MAX_KEPT_POINTS = 3_000  # points whose matrix a cache keeps (3,000 points: 72 MB)


# one measure for every pair: a new one per pair set up its ellipsoid each time (28 % of a
# distance's cost)
_WGS84 = geodesic()


def geodesic_m(a: Point, b: Point) -> float:
    """Geodesic distance between two points, in metres."""
    if a == b:
        return 0.0
    return float(_WGS84.measure((a.lat_deg, a.lon_deg), (b.lat_deg, b.lon_deg))) * 1000


def great_circle_m(a: Point, b: Point) -> float:
    """Distance on the sphere of mean radius, in metres: within SPHERE_MARGIN of the geodesic
    at a hundredth of its cost, to tell the pairs that need the geodesic from those that
    plainly do not."""
    lat_a, lat_b = math.radians(a.lat_deg), math.radians(b.lat_deg)
    half = (
        math.sin((lat_b - lat_a) / 2) ** 2
        + math.cos(lat_a) * math.cos(lat_b) * math.sin(math.radians(b.lon_deg - a.lon_deg) / 2) ** 2
    )
    return 2 * MEAN_RADIUS_M * math.asin(min(1.0, math.sqrt(half)))


def distance_matrix_m(points: Sequence[Point]) -> list[list[float]]:
    """Symmetric matrix of geodesic distances in metres, each pair computed once."""
    size = len(points)
    matrix = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            matrix[i][j] = matrix[j][i] = geodesic_m(points[i], points[j])
    return matrix


def _radians(points: Sequence[Point]) -> tuple[Matrix, Matrix]:
    lat = np.radians(np.array([p.lat_deg for p in points], dtype=np.float64))
    lon = np.radians(np.array([p.lon_deg for p in points], dtype=np.float64))
    return lat, lon


def pairs_within_m(points: Sequence[Point], reach_m: float) -> list[tuple[int, int]]:
    """Index pairs (i < j, in order) of points that may be within `reach_m` geodesic metres:
    every pair that is, and a few just beyond (a grid of cells at least `reach_m` wide, then
    the great circle with a margin), so that exact distances are computed only for these."""
    if len(points) < 2:
        return []
    reach = reach_m * (1 + SPHERE_MARGIN)
    lat_cell = reach / 110_000  # a degree of latitude is at least 110.5 km
    widest = max(abs(p.lat_deg) for p in points)
    shrink = math.cos(math.radians(widest))
    # a degree of longitude shrinks with latitude; columns divide 360 degrees evenly, so the
    # neighbours of a cell wrap round the antimeridian
    columns = 1 if shrink < 0.1 else max(1, int(360 / (1.1 * reach / (111_000 * shrink))))
    lon_cell = 360 / columns
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, p in enumerate(points):
        row, col = int(p.lat_deg // lat_cell), int((p.lon_deg + 180) // lon_cell)
        cells[row, col % columns].append(index)
    first, second = [], []
    for (row, col), members in cells.items():
        near = {(row + dr, (col + dc) % columns) for dr in (-1, 0, 1) for dc in (-1, 0, 1)}
        others = [j for cell in near for j in cells.get(cell, ())]
        for i in members:
            for j in others:
                if i < j:
                    first.append(i)
                    second.append(j)
    if not first:
        return []
    lat, lon = _radians(points)
    a, b = np.array(first), np.array(second)
    h = (np.sin((lat[b] - lat[a]) / 2) ** 2
         + np.cos(lat[a]) * np.cos(lat[b]) * np.sin((lon[b] - lon[a]) / 2) ** 2)  # fmt: skip
    metres = 2 * MEAN_RADIUS_M * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    keep = np.nonzero(metres <= reach)[0]
    return sorted(zip(a[keep].tolist(), b[keep].tolist(), strict=True))


def vincenty_m(origins: Sequence[Point], destinations: Sequence[Point]) -> Matrix:
    """Geodesic distances in metres, origins x destinations, vectorised: Vincenty's inverse
    formula on WGS84, which agrees with geopy's (Karney's) to well under a millimetre at the
    scale of a country; pairs it cannot settle (nearly antipodal) are left to geopy."""
    lat1, lon1 = _radians(origins)
    lat2, lon2 = _radians(destinations)
    u1 = np.arctan((1 - WGS84_F) * np.tan(lat1))[:, None]
    u2 = np.arctan((1 - WGS84_F) * np.tan(lat2))[None, :]
    sin_u1, cos_u1, sin_u2, cos_u2 = np.sin(u1), np.cos(u1), np.sin(u2), np.cos(u2)
    big_l = (lon2[None, :] - lon1[:, None] + np.pi) % (2 * np.pi) - np.pi
    lam = big_l
    settled = np.zeros(big_l.shape, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(100):
            sin_lam, cos_lam = np.sin(lam), np.cos(lam)
            sin_sigma = np.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
            cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
            sigma = np.arctan2(sin_sigma, cos_sigma)
            sin_alpha = np.where(sin_sigma > 0, cos_u1 * cos_u2 * sin_lam / sin_sigma, 0.0)
            cos2_alpha = 1 - sin_alpha**2
            cos_2sm = np.where(cos2_alpha > 0,
                               cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha, 0.0)  # fmt: skip
            c = WGS84_F / 16 * cos2_alpha * (4 + WGS84_F * (4 - 3 * cos2_alpha))
            previous = lam
            lam = big_l + (1 - c) * WGS84_F * sin_alpha * (sigma + c * sin_sigma * (
                cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2)))  # fmt: skip
            settled = np.abs(lam - previous) <= 1e-12
            if settled.all():
                break
        u_sq = cos2_alpha * (WGS84_A_M**2 - WGS84_B_M**2) / WGS84_B_M**2
        a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
        b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
        delta_sigma = b * sin_sigma * (cos_2sm + b / 4 * (
            cos_sigma * (-1 + 2 * cos_2sm**2)
            - b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)))  # fmt: skip
        metres: Matrix = WGS84_B_M * a * (sigma - delta_sigma)
    metres[(sin_sigma == 0) & (cos_sigma > 0)] = 0.0  # the same point
    for i, j in zip(*np.nonzero(~settled | ~np.isfinite(metres)), strict=True):
        metres[i, j] = geodesic_m(origins[i], destinations[j])
    return metres


def geodesic_matrix_m(points: Sequence[Point], progress: Progress | None = None) -> Matrix:
    """Symmetric matrix of geodesic distances in metres (zero diagonal), vectorised; each pair
    computed once, `ROWS_PER_BLOCK` rows at a time, `progress(rows done, rows)` after each."""
    size = len(points)
    matrix = np.zeros((size, size), dtype=np.float64)
    for start in range(0, size, ROWS_PER_BLOCK):
        stop = min(start + ROWS_PER_BLOCK, size)
        matrix[start:stop, start:] = vincenty_m(points[start:stop], points[start:])
        if progress:
            progress(stop, size)
    upper = np.triu(matrix, 1)
    matrix = upper + upper.T
    _zero_equal_points(matrix, points)
    return matrix


def _zero_equal_points(matrix: Matrix, points: Sequence[Point]) -> None:
    """Equal points are 0 m apart exactly, as in geodesic_m."""
    seen: dict[Point, list[int]] = {}
    for index, point in enumerate(points):
        seen.setdefault(point, []).append(index)
    for same in seen.values():
        if len(same) > 1:
            matrix[np.ix_(same, same)] = 0.0


class DistanceCache:
    """Geodesic distances computed once and kept: distances between villages never change, so
    one cache serves every request of a process (warm it with the pairs planning needs). It
    also keeps the matrices it computed, as one growing matrix, so a plan over the same places,
    or a few more, computes only the new rows; it starts afresh with the places asked for when
    they would take it past `MAX_KEPT_POINTS`."""

    def __init__(self) -> None:
        self._metres: dict[tuple[Point, Point], float] = {}
        self.computed = 0
        self._kept_points: list[Point] = []
        self._kept_index: dict[Point, int] = {}
        self._kept: Matrix = np.zeros((0, 0), dtype=np.float64)
        self._lock = threading.Lock()

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

    def matrix_m(self, points: Sequence[Point], progress: Progress | None = None) -> Matrix:
        """Geodesic metres between every two of `points` (vectorised, see `vincenty_m`), from
        the kept matrix where it has them; `progress(rows done, rows to compute)` after each
        block of new rows (never when every place is kept)."""
        with self._lock:
            new = list(dict.fromkeys(p for p in points if p not in self._kept_index))
            if len(self._kept_points) + len(new) > MAX_KEPT_POINTS:
                self._kept_points, self._kept_index = [], {}
                self._kept = np.zeros((0, 0), dtype=np.float64)
                new = list(dict.fromkeys(points))
            if new:
                self._extend(new, progress)
            index = [self._kept_index[p] for p in points]
            return self._kept[np.ix_(index, index)]

    def _extend(self, new: list[Point], progress: Progress | None) -> None:
        old = len(self._kept_points)
        everyone = self._kept_points + new
        grown = np.zeros((len(everyone), len(everyone)), dtype=np.float64)
        grown[:old, :old] = self._kept
        for start in range(0, len(new), ROWS_PER_BLOCK):
            stop = min(start + ROWS_PER_BLOCK, len(new))
            # each pair once: a new row against the places before it and itself
            rows = vincenty_m(new[start:stop], everyone[: old + stop])
            grown[old + start : old + stop, : old + stop] = rows
            if progress:
                progress(stop, len(new))
        grown[:old, old:] = grown[old:, :old].T
        lower = np.tril(grown[old:, old:], -1)
        grown[old:, old:] = lower + lower.T
        self._kept_points = everyone
        self._kept_index = {p: i for i, p in enumerate(everyone)}
        self._kept = grown
