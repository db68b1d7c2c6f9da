"""Trips: days cost as well as road, idle days are cut, drives fold into working days, trips
move between lodgings, and the checker holds every night's rule."""

from __future__ import annotations

from datetime import date

import msgspec

from geo.planning.check import violations
from geo.planning.planner import plan_campaign
from geo.planning.schedule import team_day, tighten, totals
from geo.planning.skeleton import Slot
from geo.planning.types import Plan, PlanningProblem, TeamDay
from tests.geo.planning.factories import BASE, make_problem, ring

NEAR = (BASE[0] + 0.5, BASE[1] + 0.6)  # a lodging about 90 road km from the base
ARAL = (46.80174, 61.66312)
KAZALY = (45.76278, 62.1075)


def day(problem: PlanningProblem, on: date, start: int, end: int) -> TeamDay:
    slot = Slot(team_id="team-1", date=on, start=start, end=end, trip=1)
    return team_day(problem, slot, [])


def plan_of(problem: PlanningProblem, days: list[TeamDay]) -> Plan:
    return Plan(days=days, unplaced=[], totals=totals(problem, days), solver_status="test",
                solver_time_s=0.0)  # fmt: skip


def test_a_dearer_day_never_gives_more_days() -> None:
    cheap, dear = (make_problem(ring(14, 0.35), day_cost_km=cost) for cost in (0.0, 1000.0))
    cheap_plan, dear_plan = plan_campaign(cheap), plan_campaign(dear)
    assert violations(cheap, cheap_plan) == violations(dear, dear_plan) == []
    assert sum(dear_plan.totals.team_days.values()) <= sum(cheap_plan.totals.team_days.values())


def test_idle_days_are_cut_and_empty_drives_fold_into_working_days() -> None:
    problem = make_problem(ring(2, 0.05, NEAR), lodging_points=[NEAR], duration_s=3600)
    meetings = {m.id: m for m in problem.meetings}
    days = [(1, 0, 1, []), (2, 1, 1, ["m000"]), (3, 1, 1, []), (4, 1, 1, ["m001"]),
            (5, 1, 0, [])]  # fmt: skip
    trip = [(Slot(team_id="team-1", date=date(2027, 3, d), start=s, end=e, trip=7), visits)
            for d, s, e, visits in days]  # fmt: skip
    tight = tighten(problem, trip, meetings)
    assert [(s.date.day, s.start, s.end, v) for s, v in tight] == [
        (1, 0, 1, ["m000"]),
        (2, 1, 0, ["m001"]),
    ]


def test_trips_move_between_lodgings_without_travel_only_days_where_avoidable() -> None:
    problem = make_problem(ring(4, 0.25, ARAL) + ring(4, 0.25, KAZALY),
                           lodging_points=[ARAL, KAZALY], duration_s=3 * 3600)  # fmt: skip
    plan = plan_campaign(problem)
    assert violations(problem, plan) == []
    assert plan.totals.meetings_placed == 8
    lodgings = set(problem.lodgings)
    assert any(d.start_location in lodgings and d.end_location in lodgings
               and d.start_location != d.end_location for d in plan.days)  # fmt: skip
    assert plan.totals.travel_only_days == sum(1 for d in plan.days if not d.stops)


def test_checker_refuses_a_trip_over_the_weekend() -> None:
    problem = make_problem([], lodging_points=[NEAR])
    friday, tuesday = date(2027, 3, 5), date(2027, 3, 9)  # Monday the 8th is a holiday
    found = violations(problem, plan_of(problem, [day(problem, friday, 0, 1),
                                                  day(problem, tuesday, 1, 0)]))  # fmt: skip
    assert any("without having slept there" in v for v in found)


def test_checker_refuses_a_night_away_from_base_and_lodgings() -> None:
    problem = make_problem([NEAR])
    found = violations(problem, plan_of(problem, [day(problem, date(2027, 3, 2), 0, 1),
                                                  day(problem, date(2027, 3, 3), 1, 0)]))  # fmt: skip
    assert any("no lodging there" in v for v in found)


def test_checker_refuses_a_trip_longer_than_allowed() -> None:
    problem = make_problem([], lodging_points=[NEAR], max_trip_days=2)
    days = [day(problem, date(2027, 3, 2), 0, 1), day(problem, date(2027, 3, 3), 1, 1),
            day(problem, date(2027, 3, 4), 1, 0)]  # fmt: skip
    assert any("is away 3 days" in v for v in violations(problem, plan_of(problem, days)))
    allowed = msgspec.structs.replace(problem, max_trip_days=3)
    assert violations(allowed, plan_of(allowed, days)) == []


def test_checker_refuses_a_trip_that_never_comes_home() -> None:
    problem = make_problem([], lodging_points=[NEAR])
    found = violations(problem, plan_of(problem, [day(problem, date(2027, 3, 2), 0, 1)]))
    assert any("never returns to base" in v for v in found)
