"""Planning the whole Kyzylorda gazetteer: a feasible, deterministic plan in seconds."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from geo.planning.calendar import public_holidays
from geo.planning.check import violations
from geo.travel import DetourTravelModel
from outreach.domain.errors import InvalidInput
from outreach.services.planning import solve
from tests.services.conftest import SPRING  # the spring plan: tests/services/conftest.py


def test_whole_oblast_plan_is_feasible(spring_plan) -> None:
    assert violations(spring_plan.problem, spring_plan.plan) == []


def test_every_meeting_is_placed_or_explained(spring_plan) -> None:
    doc = spring_plan.document
    assert doc.totals.meetings == len(spring_plan.grouping.groups)
    placed = [m for m in doc.meetings if m.team is not None]
    assert len(placed) == doc.totals.meetings_placed
    assert {m.id for m in doc.meetings if m.team is None} == {u.meeting_id for u in doc.unplaced}
    assert all(u.reason == "too_far_for_a_day" for u in doc.unplaced)
    assert doc.totals.meetings_placed >= doc.totals.meetings - 2


def test_lodgings_are_district_centres_and_used(spring_plan) -> None:
    lodgings = {p.names.ru for p in spring_plan.document.places if p.kind == "lodging"}
    assert {"Аральск", "Жосалы", "Шиели"} <= lodgings
    slept = {d.end_place for d in spring_plan.document.days}
    assert slept - {"431010000"}


def test_no_day_on_a_holiday(spring_plan) -> None:
    holidays = public_holidays(spring_plan.problem.calendar)
    assert not {d.date for d in spring_plan.document.days} & set(holidays)


def test_same_spec_gives_same_plan(kyzylorda) -> None:
    """The same input gives the same plan whenever the search converges inside the time limit
    (docs/planner.md): three districts (47 meetings) converge in a fraction of a second of
    their 8 s. The whole oblast does not, so its plan depends on how busy the machine is."""
    spec = msgspec.structs.replace(SPRING, districts=["434600000", "433600000", "434800000"])
    first = solve(spec, kyzylorda, DetourTravelModel())
    again = solve(spec, kyzylorda, DetourTravelModel())
    assert first.document.totals.meetings_placed >= 40
    assert msgspec.json.encode(again.document.days) == msgspec.json.encode(first.document.days)


def test_the_day_cost_trades_road_for_team_days(kyzylorda) -> None:
    """What a team-day is worth is the coordinator's: at 0 km the plan spends a day more to
    drive less; at the default 150 km it drives further to save that day."""
    spec = msgspec.structs.replace(SPRING, districts=["431000000", "431900000", "433200000"])
    free = solve(msgspec.structs.replace(spec, day_cost_km=0), kyzylorda, DetourTravelModel())
    dear = solve(spec, kyzylorda, DetourTravelModel())
    assert (free.problem.day_cost_km, dear.problem.day_cost_km) == (0, 150)
    assert free.document.totals.meetings_placed == dear.document.totals.meetings_placed
    days = [sum(s.document.totals.team_days.values()) for s in (free, dear)]
    assert days[0] > days[1]
    assert free.document.totals.road_km < dear.document.totals.road_km
    assert violations(free.problem, free.plan) == violations(dear.problem, dear.plan) == []


def test_one_district_with_two_teams(kyzylorda) -> None:
    spec = msgspec.structs.replace(SPRING, districts=["434600000"], teams=2)
    solved = solve(spec, kyzylorda, DetourTravelModel())
    assert violations(solved.problem, solved.plan) == []
    assert set(solved.document.totals.team_days) == {"team-1", "team-2"}
    members = {m.kato[:4] for meeting in solved.document.meetings for m in meeting.members}
    assert members == {"4346"}


@pytest.mark.parametrize(("change", "field"), [
    ({"end": date(2027, 2, 1)}, "end"),
    ({"base": "433232100"}, "base"),  # no surveyed position
    ({"lodgings": ["999999999"]}, "lodgings"),
    ({"day_start": "18:00", "day_end": "09:00"}, "day_end"),
])  # fmt: skip
def test_bad_specs_are_refused(kyzylorda, change: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        solve(msgspec.structs.replace(SPRING, **change), kyzylorda, DetourTravelModel())
    assert caught.value.details[0]["field"] == field
