"""The rules of meeting positions: far only beyond the threshold once the fix's accuracy is
allowed for; a suggestion only from a held meeting's precise fix at an approximate village."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.domain.gazetteer import Position
from outreach.domain.meeting_positions import (
    MAX_SUGGESTION_ACCURACY_M,
    MeetingFix,
    MeetingPosition,
    PlannedHub,
    far_from,
    is_far,
    may_suggest,
    newest_first,
)
from outreach.domain.plausibility import distance_m


def make_fix(**changes: object) -> MeetingFix:
    fix = MeetingFix(id="m", team="team-1", status="held", date=date(2027, 5, 2), start="10:00",
                     hub="431033103", plan_id=None, plan_meeting=None,
                     position=Position(lat=44.91, lon=65.42), accuracy_m=12.0, by="field-a",
                     created_at="2027-05-02T10:00:00+00:00")  # fmt: skip
    return msgspec.structs.replace(fix, **changes)


@pytest.mark.parametrize(("distance", "accuracy", "far"), [
    (5001.0, None, True), (5000.0, None, False), (6000.0, 999.0, True), (6000.0, 1000.0, False),
    (100_000.0, 2000.0, True), (0.0, 0.0, False),
])  # fmt: skip
def test_is_far_allows_for_the_accuracy(distance: float, accuracy: float | None, far: bool):
    assert is_far(distance, accuracy, 5000.0) is far


@pytest.mark.parametrize(("changes", "quality", "suggests"), [
    ({}, "okrug_centre", True),
    ({}, "district_centre", True),
    ({}, "unknown", True),
    ({}, "exact", False),
    ({}, None, False),
    ({"status": "cancelled"}, "okrug_centre", False),
    ({"accuracy_m": None}, "okrug_centre", False),
    ({"accuracy_m": MAX_SUGGESTION_ACCURACY_M}, "okrug_centre", True),
    ({"accuracy_m": MAX_SUGGESTION_ACCURACY_M + 1}, "okrug_centre", False),
])  # fmt: skip
def test_may_suggest_only_a_held_precise_fix_at_an_approximate_village(changes, quality,
                                                                      suggests):  # fmt: skip
    assert may_suggest(make_fix(**changes), quality) is suggests


def test_distance_is_geodesic_in_metres():
    north = distance_m(Position(lat=44.85306, lon=65.34917), Position(lat=44.95, lon=65.34917))
    assert 10_700 < north < 10_800
    assert distance_m(Position(lat=1.0, lon=2.0), Position(lat=1.0, lon=2.0)) == 0.0


def test_newest_first_puts_undated_meetings_last():
    hub = PlannedHub(kato="431033100", names=None, position=None, quality=None, source="record")

    def item(record_id: str, day: date | None, start: str | None) -> MeetingPosition:
        return MeetingPosition(id=record_id, team="team-1", date=day, start=start,
                               hub="431033100", planned_hub=hub,
                               position=Position(lat=44.9, lon=65.4), accuracy_m=None,
                               distance_km=None, far=False)  # fmt: skip

    found = newest_first([item("a", date(2027, 5, 1), "09:00"), item("b", None, None),
                          item("c", date(2027, 5, 1), "14:00"), item("d", date(2027, 5, 3), None)])  # fmt: skip
    assert [m.id for m in found] == ["d", "c", "a", "b"]


@given(st.floats(-0.2, 0.2), st.floats(-0.2, 0.2), st.one_of(st.none(), st.floats(0, 3000)),
       st.floats(100, 20_000))  # fmt: skip
def test_far_from_is_is_far_of_the_geodesic(north, east, accuracy, threshold) -> None:
    """The shortcut through the sphere decides as the geodesic would, near the threshold too."""
    hub = Position(lat=44.85, lon=65.5)
    position = Position(lat=hub.lat + north, lon=hub.lon + east)
    exact = is_far(distance_m(position, hub), accuracy, threshold)
    assert far_from(position, hub, accuracy, threshold) == exact


def test_far_from_at_the_edge_of_the_threshold() -> None:
    hub, position = Position(lat=44.85, lon=65.5), Position(lat=44.9, lon=65.5)
    metres = distance_m(position, hub)  # about 5.6 km
    assert far_from(position, hub, 0.0, metres - 0.01)
    assert not far_from(position, hub, 0.0, metres + 0.01)
    assert not far_from(position, hub, 1.0, metres - 0.01)  # the accuracy tips it
