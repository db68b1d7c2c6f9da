"""Plausibility of a settlement's coordinates against its district's centre."""

from __future__ import annotations

from outreach.domain.gazetteer import Position
from outreach.domain.plausibility import (
    MAX_FROM_DISTRICT_CENTRE_M,
    MIN_REACH_M,
    SPREAD_MARGIN_M,
    correction_problem,
    distance_m,
    district_reach_m,
    implausibility,
)

KYZYLORDA = Position(lat=44.85278, lon=65.50917)


def test_nearby_position_is_plausible() -> None:
    assert implausibility(Position(lat=45.0, lon=65.0), KYZYLORDA) is None


def test_swapped_lat_lon_is_caught() -> None:
    why = implausibility(Position(lat=65.50917, lon=44.85278), KYZYLORDA)
    assert why is not None and "swapped" in why


def test_unknown_centre_or_position_is_not_judged() -> None:
    assert implausibility(None, KYZYLORDA) is None
    assert implausibility(Position(lat=0, lon=0), None) is None


ZHANAKORGAN = Position(lat=43.90652, lon=67.24637)
NEARBY = [Position(lat=43.5, lon=67.9), Position(lat=44.3, lon=66.8)]


def test_a_correction_within_the_districts_spread_is_fine() -> None:
    assert correction_problem(Position(lat=43.8, lon=67.5), ZHANAKORGAN, NEARBY) is None
    assert correction_problem(Position(lat=0, lon=0), None, NEARBY) is None


def test_a_correction_past_the_imports_limit_cannot_be_forced() -> None:
    problem = correction_problem(Position(lat=0, lon=0), ZHANAKORGAN, NEARBY)
    assert problem is not None and not problem.forceable
    assert problem.max_m == MAX_FROM_DISTRICT_CENTRE_M < problem.distance_m


def test_a_correction_past_the_districts_spread_may_be_forced() -> None:
    problem = correction_problem(Position(lat=44.0, lon=70.0), ZHANAKORGAN, NEARBY)
    assert problem is not None and problem.forceable
    assert problem.max_m == district_reach_m(ZHANAKORGAN, NEARBY) < problem.distance_m
    assert problem.distance_m < MAX_FROM_DISTRICT_CENTRE_M


def test_a_districts_reach_is_its_farthest_settlement_and_a_margin_within_bounds() -> None:
    far = Position(lat=45.0, lon=67.24637)  # 121 km north
    assert district_reach_m(ZHANAKORGAN, []) == MIN_REACH_M
    reach = district_reach_m(ZHANAKORGAN, [far])
    assert reach == distance_m(far, ZHANAKORGAN) + SPREAD_MARGIN_M
    assert district_reach_m(ZHANAKORGAN, [Position(lat=47.5, lon=67.2)]) == (
        MAX_FROM_DISTRICT_CENTRE_M)  # fmt: skip
