"""Vectorised geodesic matrices, the pairs prefilter, and the travel model's matrices."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import distance
from geo.distance import (
    DistanceCache,
    geodesic_m,
    geodesic_matrix_m,
    pairs_within_m,
    vincenty_m,
)
from geo.point import Point
from geo.travel import DetourTravelModel, DistrictTravel, geodesic_reach_m, travel_matrices


def make_points(count: int, seed: int = 1, lat: tuple[float, float] = (40.5, 55.5),
                lon: tuple[float, float] = (46.5, 87.3)) -> list[Point]:  # fmt: skip
    rng = random.Random(seed)
    return [Point(rng.uniform(*lat), rng.uniform(*lon)) for _ in range(count)]


def test_vincenty_agrees_with_geopy_across_kazakhstan() -> None:
    points = make_points(60)
    matrix = vincenty_m(points, points)
    for i, a in enumerate(points):
        for j, b in enumerate(points):
            assert matrix[i, j] == pytest.approx(geodesic_m(a, b), abs=1e-4)


def test_vincenty_leaves_nearly_antipodal_pairs_to_geopy() -> None:
    a, b = Point(0.0, 0.0), Point(0.5, 179.7)
    assert vincenty_m([a], [b])[0, 0] == pytest.approx(geodesic_m(a, b), abs=1e-6)


def test_matrix_is_symmetric_with_zero_diagonal_and_equal_points_apart_by_zero() -> None:
    points = make_points(300, seed=2)
    points.append(points[7])
    done: list[tuple[int, int]] = []
    matrix = geodesic_matrix_m(points, lambda rows, total: done.append((rows, total)))
    assert (matrix == matrix.T).all()
    assert (matrix.diagonal() == 0).all()
    assert matrix[7, 300] == 0.0
    assert done[-1] == (301, 301)
    assert [rows for rows, _ in done] == sorted(rows for rows, _ in done)
    assert matrix[3, 250] == pytest.approx(geodesic_m(points[3], points[250]), abs=1e-4)


def test_cache_keeps_the_matrix_and_computes_only_new_rows() -> None:
    points = make_points(50, seed=3)
    cache = DistanceCache()
    first = cache.matrix_m(points[:40])
    told: list[tuple[int, int]] = []
    again = cache.matrix_m(points[30:][::-1], lambda rows, total: told.append((rows, total)))
    assert told[-1] == (10, 10)  # only the ten new places were computed
    expected = geodesic_matrix_m(points[30:][::-1])
    assert again == pytest.approx(expected, abs=1e-6)
    assert (again == again.T).all()
    assert cache.matrix_m(points[:40]) == pytest.approx(first, abs=0)


def test_cache_starts_afresh_beyond_its_size(monkeypatch) -> None:
    monkeypatch.setattr(distance, "MAX_KEPT_POINTS", 20)
    points = make_points(30, seed=4)
    cache = DistanceCache()
    cache.matrix_m(points[:15])
    told: list[tuple[int, int]] = []
    matrix = cache.matrix_m(points[10:], lambda rows, total: told.append((rows, total)))
    assert told[-1] == (20, 20)
    assert matrix == pytest.approx(geodesic_matrix_m(points[10:]), abs=1e-6)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.floats(-89.9, 89.9), st.floats(-180, 180)), min_size=0,
                max_size=40), st.sampled_from([2_000.0, 15_000.0, 300_000.0]))  # fmt: skip
def test_pairs_within_reach_are_never_missed(coordinates, reach_m) -> None:
    points = [Point(lat, lon) for lat, lon in coordinates]
    found = set(pairs_within_m(points, reach_m))
    for i in range(len(points)):
        for j in range(i + 1, len(points)):
            if geodesic_m(points[i], points[j]) <= reach_m:
                assert (i, j) in found


def test_pairs_within_reach_across_the_antimeridian_and_near_a_pole() -> None:
    points = [Point(60.0, 179.99), Point(60.0, -179.99), Point(89.95, 0.0), Point(89.95, 120.0),
              Point(45.0, 65.0)]  # fmt: skip
    assert pairs_within_m(points, 15_000) == [(0, 1), (2, 3)]


def test_pairs_within_reach_leave_out_distant_pairs() -> None:
    # half the points on half the area: as dense, and a quarter of the geodesics to check
    points = make_points(200, seed=5, lat=(43.5, 45.4), lon=(60.0, 66.2))
    found = pairs_within_m(points, 12_000)
    near = sum(geodesic_m(points[i], points[j]) <= 12_000
               for i in range(200) for j in range(i + 1, 200))  # fmt: skip
    assert near >= 20  # dense enough to mean something
    assert near <= len(found) <= near * 1.2 + 5


def test_reach_divides_by_the_least_detour() -> None:
    model = DetourTravelModel(districts={"d": DistrictTravel(detour_factor=1.1)})
    assert geodesic_reach_m(model, 15_000) == pytest.approx(15_000 / 1.1)
    assert geodesic_reach_m(DetourTravelModel(), 13_000) == pytest.approx(10_000)
    assert geodesic_reach_m(Redefined(), 13_000) is None


class Redefined(DetourTravelModel):
    """A detour model whose road distance a subclass redefines: no vectorised shortcut."""

    def road_m(self, a: Point, b: Point, district_id: str | None = None) -> float:
        return math.floor(super().road_m(a, b, district_id))


def test_travel_matrices_follow_the_model_row_by_row() -> None:
    model = DetourTravelModel(districts={"slow": DistrictTravel(detour_factor=1.5, speed_kmh=40)})
    points = make_points(12, seed=6)
    districts: list[str | None] = ["slow" if i % 3 == 0 else None for i in range(12)]
    told: list[tuple[int, int]] = []
    road, time_s = travel_matrices(model, points, districts,
                                   lambda rows, total: told.append((rows, total)))  # fmt: skip
    assert told[-1] == (12, 12)
    for r, a in enumerate(points):
        for c, b in enumerate(points):
            assert isinstance(road[r][c], float)
            assert road[r][c] == pytest.approx(model.road_m(a, b, districts[r]), abs=1e-4)
            assert time_s[r][c] == pytest.approx(model.travel_s(a, b, districts[r]), abs=1e-4)


def test_travel_matrices_of_a_redefined_model_go_pair_by_pair() -> None:
    model = Redefined()
    points = make_points(5, seed=7)
    road, time_s = travel_matrices(model, points, [None] * 5)
    assert road == [[model.road_m(a, b) for b in points] for a in points]
    assert time_s == [[model.travel_s(a, b) for b in points] for a in points]
