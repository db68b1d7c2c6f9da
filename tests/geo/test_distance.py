"""Geodesic distances, the matrix, the cache and the travel model."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.distance import (
    SPHERE_MARGIN,
    DistanceCache,
    distance_matrix_m,
    geodesic_m,
    great_circle_m,
)
from geo.point import Point
from geo.travel import DetourTravelModel, DistrictTravel

KYZYLORDA = Point(44.85278, 65.50917)
ARAL = Point(46.80174, 61.66312)


def test_geodesic_kyzylorda_to_aral_is_369_km() -> None:
    assert geodesic_m(KYZYLORDA, ARAL) == pytest.approx(369_033, abs=1)
    assert geodesic_m(KYZYLORDA, KYZYLORDA) == 0.0


@given(st.floats(-80, 80), st.floats(-180, 180), st.floats(-5, 5), st.floats(-5, 5))
def test_the_great_circle_is_within_its_margin_of_the_geodesic(lat, lon, north, east) -> None:
    """What lets a fix plainly near or far skip the geodesic (and prefilters drop no pair)."""
    a, b = Point(lat, lon), Point(max(-89.9, min(89.9, lat + north)), lon + east)
    geodesic, sphere = geodesic_m(a, b), great_circle_m(a, b)
    assert abs(sphere - geodesic) <= SPHERE_MARGIN * geodesic + 1e-6


def test_matrix_is_symmetric_with_zero_diagonal() -> None:
    points = [KYZYLORDA, ARAL, Point(45.0, 64.0)]
    matrix = distance_matrix_m(points)
    for i in range(3):
        assert matrix[i][i] == 0.0
        for j in range(3):
            assert matrix[i][j] == matrix[j][i]
    assert matrix[0][1] == geodesic_m(KYZYLORDA, ARAL)


def test_cache_computes_each_pair_once_either_way_round() -> None:
    cache = DistanceCache()
    cache.warm([(KYZYLORDA, ARAL), (ARAL, KYZYLORDA)])
    assert cache.computed == 1
    assert len(cache) == 1
    assert cache.geodesic_m(ARAL, KYZYLORDA) == geodesic_m(KYZYLORDA, ARAL)


def test_travel_model_defaults_detour_and_speed() -> None:
    model = DetourTravelModel()
    road = model.road_m(KYZYLORDA, ARAL)
    assert road == pytest.approx(geodesic_m(KYZYLORDA, ARAL) * 1.3)
    assert model.travel_s(KYZYLORDA, ARAL) == pytest.approx(road / (60 / 3.6))


def test_travel_model_district_override_applies_only_there() -> None:
    model = DetourTravelModel(
        districts={"433200000": DistrictTravel(detour_factor=1.5, speed_kmh=45)}
    )
    base = geodesic_m(KYZYLORDA, ARAL)
    assert model.road_m(KYZYLORDA, ARAL, "433200000") == pytest.approx(base * 1.5)
    assert model.travel_s(KYZYLORDA, ARAL, "433200000") == pytest.approx(base * 1.5 / 12.5)
    assert model.road_m(KYZYLORDA, ARAL, "434800000") == pytest.approx(base * 1.3)
    partial = DetourTravelModel(districts={"x": DistrictTravel(speed_kmh=30)})
    assert partial.road_m(KYZYLORDA, ARAL, "x") == pytest.approx(base * 1.3)
