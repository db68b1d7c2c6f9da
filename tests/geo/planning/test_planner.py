"""The planner, checked by the independent plan checker."""

from __future__ import annotations

import time
from datetime import date

import msgspec
import pytest

from geo.planning.calendar import CalendarSpec, public_holidays, working_days
from geo.planning.check import violations
from geo.planning.planner import plan_campaign
from geo.planning.routing import solve
from tests.geo.planning.factories import make_problem, ring

ARAL = (46.80174, 61.66312)
SHIELI = (44.16667, 66.75)


def test_working_days_skip_weekends_and_kazakh_holidays() -> None:
    spec = CalendarSpec(start=date(2027, 3, 1), end=date(2027, 5, 31))
    days = working_days(spec)
    holidays = public_holidays(spec)
    assert date(2027, 3, 8) in holidays  # International Women's Day
    assert date(2027, 3, 22) in holidays  # Nauryz
    assert not set(days) & set(holidays)
    assert all(day.weekday() < 5 for day in days)


def test_nearby_meetings_are_day_trips_and_feasible() -> None:
    problem = make_problem(ring(12, 0.3))
    plan = plan_campaign(problem)
    assert violations(problem, plan) == []
    assert plan.totals.meetings_placed == 12
    assert not plan.unplaced
    assert all(d.start_location == d.end_location == 0 for d in plan.days)


def test_far_meetings_use_lodging_and_trips_stay_short() -> None:
    problem = make_problem(ring(10, 0.3, ARAL) + ring(6, 0.2), lodging_points=[ARAL],
                           max_trip_days=4)  # fmt: skip
    plan = plan_campaign(problem)
    assert violations(problem, plan) == []
    assert plan.totals.meetings_placed == 16
    assert any(d.end_location == 1 for d in plan.days)


def test_meeting_too_far_for_any_day_is_unplaced_with_reason() -> None:
    problem = make_problem([(46.8, 61.6), (44.9, 65.6)])  # Aral, no lodging there
    plan = plan_campaign(problem)
    assert violations(problem, plan) == []
    assert [(u.meeting_id, u.reason) for u in plan.unplaced] == [("m000", "too_far_for_a_day")]


def test_overfull_season_lists_unplaced_with_extra_days() -> None:
    problem = make_problem(ring(30, 0.4), teams=1, start=date(2027, 3, 1), end=date(2027, 3, 3),
                           duration_s=3 * 3600)  # fmt: skip
    plan = plan_campaign(problem)
    assert violations(problem, plan) == []
    assert plan.unplaced
    assert all(u.reason == "no_capacity" and u.extra_team_days >= 1 for u in plan.unplaced)
    assert plan.totals.meetings_placed + len(plan.unplaced) == 30


def test_no_meeting_on_holidays_or_weekends() -> None:
    problem = make_problem(ring(40, 0.5), teams=1, start=date(2027, 3, 4), end=date(2027, 3, 26))
    plan = plan_campaign(problem)
    holidays = public_holidays(problem.calendar)
    assert not {d.date for d in plan.days} & set(holidays)
    assert violations(problem, plan) == []


def test_pins_are_respected() -> None:
    base = make_problem(ring(8, 0.3))
    pinned = [msgspec.structs.replace(m, pin_team="team-2", pin_date=date(2027, 3, 17))
              if m.id in ("m001", "m005") else m for m in base.meetings]  # fmt: skip
    problem = msgspec.structs.replace(base, meetings=pinned)
    plan = plan_campaign(problem)
    assert violations(problem, plan) == []
    where = {s.meeting_id: (d.team_id, d.date) for d in plan.days for s in d.stops}
    assert where["m001"] == where["m005"] == ("team-2", date(2027, 3, 17))


def test_same_problem_gives_same_plan() -> None:
    problem = make_problem(ring(10, 0.3, ARAL) + ring(14, 0.4), lodging_points=[ARAL])
    assert plan_campaign(problem).days == plan_campaign(problem).days


@pytest.mark.parametrize("teams", [1, 3, 4])
def test_teams_share_the_work(teams: int) -> None:
    problem = make_problem(ring(24, 0.4), teams=teams)
    plan = plan_campaign(problem)
    assert violations(problem, plan) == []
    assert plan.totals.balance_days <= 1


def test_lodging_beyond_a_days_drive_is_not_used_and_its_meetings_are_explained() -> None:
    far = (46.0, 56.0)  # about 800 road km west of the base
    problem = make_problem(ring(4, 0.2, far) + ring(4, 0.3), lodging_points=[far])
    plan = plan_campaign(problem)
    assert violations(problem, plan) == []
    assert plan.totals.meetings_placed == 4
    assert {u.reason for u in plan.unplaced} == {"too_far_for_a_day"}
    assert all(d.end_location == 0 for d in plan.days)


@pytest.mark.parametrize(("cut", "pinned"), [("time_up", False), ("next_round_worse", False),
                                             ("time_up", True)])  # fmt: skip
def test_a_meeting_left_out_when_the_limit_cut_the_rounds_short_is_still_placed(
    cut: str, pinned: bool
) -> None:
    """The whole oblast's plan once left a reachable meeting as `no_capacity` with spare
    team-days: the first round left it out, and the limit stopped the round with days added
    for it (or that round, cut short, placed less and was dropped). Here a router leaves one
    meeting out of its first answer, then either uses up the plan's time or, asked again,
    places nothing: the meeting must still be placed (a pinned one on its day), and the plan
    still pass the checker."""
    problem = make_problem(ring(12, 0.3))
    pin = ("team-2", date(2027, 3, 17))
    if pinned:
        meetings = [msgspec.structs.replace(m, pin_team=pin[0], pin_date=pin[1])
                    if m.id == "m005" else m for m in problem.meetings]  # fmt: skip
        problem = msgspec.structs.replace(problem, meetings=meetings)
    calls: list[int] = []

    def router(budget, slots, held):
        calls.append(len(budget.meetings))
        if len(calls) > 1:
            return {}, "solved"
        found, status = solve(budget, slots, held)
        found = {v: [m for m in visits if m != "m005"] for v, visits in found.items()}
        if cut == "time_up":
            time.sleep(max(0.0, due - time.monotonic()))
        return found, status

    due = time.monotonic() + 1.0
    plan = plan_campaign(problem, router, deadline=due)
    assert len(calls) == (1 if cut == "time_up" else 2)
    assert violations(problem, plan) == []
    assert plan.unplaced == []
    assert plan.totals.meetings_placed == 12
    where = {s.meeting_id: (d.team_id, d.date) for d in plan.days for s in d.stops}
    assert where["m005"] == pin or not pinned


def test_tight_time_limit_still_gives_a_feasible_plan() -> None:
    problem = make_problem(ring(30, 0.3, ARAL) + ring(40, 0.5), lodging_points=[ARAL, SHIELI],
                           teams=2, duration_s=4 * 3600, time_limit_s=0.6)  # fmt: skip
    plan = plan_campaign(problem)
    assert violations(problem, plan) == []
    assert plan.solver_time_s < 10


def test_pin_to_unknown_team_or_day_off_leaves_meeting_unplaced() -> None:
    base = make_problem(ring(4, 0.3))
    meetings = [msgspec.structs.replace(base.meetings[0], pin_team="team-9", pin_date=date(2027, 3, 2)),
                msgspec.structs.replace(base.meetings[1], pin_team="team-1", pin_date=date(2027, 3, 8)),
                *base.meetings[2:]]  # fmt: skip
    problem = msgspec.structs.replace(base, meetings=meetings)
    plan = plan_campaign(problem)
    assert violations(problem, plan) == []
    assert {(u.meeting_id, u.reason) for u in plan.unplaced} == {
        ("m000", "pinned_day_full"),
        ("m001", "pinned_day_full"),
    }
