"""Plausibility of a settlement's coordinates against its district's centre."""

from __future__ import annotations

from outreach.domain.gazetteer import Position
from outreach.domain.plausibility import implausibility

KYZYLORDA = Position(lat=44.85278, lon=65.50917)


def test_nearby_position_is_plausible() -> None:
    assert implausibility(Position(lat=45.0, lon=65.0), KYZYLORDA) is None


def test_swapped_lat_lon_is_caught() -> None:
    why = implausibility(Position(lat=65.50917, lon=44.85278), KYZYLORDA)
    assert why is not None and "swapped" in why


def test_unknown_centre_or_position_is_not_judged() -> None:
    assert implausibility(None, KYZYLORDA) is None
    assert implausibility(Position(lat=0, lon=0), None) is None
