"""Types of a planning problem and of a plan. Times of day are seconds after midnight."""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from geo.planning.calendar import CalendarSpec

# a team-day is worth this many road km by default: a day of three people's work and
# allowances against fuel and wear at about 60 KZT a km (see docs/planner.md)
DAY_COST_KM = 150.0

LocationKind = Literal["base", "lodging", "meeting"]
UnplacedReason = Literal["too_far_for_a_day", "no_capacity", "pinned_day_full"]


class Location(msgspec.Struct, frozen=True):
    """A place a team can be: its base, a lodging, or a meeting's hub."""

    id: str
    kind: LocationKind


class Meeting(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting to hold at `location` (an index into the locations), taking `duration_s`;
    optionally pinned to a team and a date (hard), or kept where a previous plan put it
    (`keep_*`: it stays there unless that day can no longer hold it)."""

    id: str
    location: int
    duration_s: Annotated[int, Meta(ge=0)]
    pin_team: str | None = None
    pin_date: date | None = None
    keep_team: str | None = None
    keep_date: date | None = None


class Team(msgspec.Struct, frozen=True):
    """A field team and the location index of its base."""

    id: str
    base: int


class PreviousDay(msgspec.Struct, frozen=True, kw_only=True):
    """A team-day of the plan being revised: re-planning keeps its start and end places."""

    team_id: str
    date: date
    start: int
    end: int


class PlanningProblem(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the planner needs, precomputed: road metres and travel seconds between every
    two locations (row = from, column = to). Travel seconds are rounded up to whole seconds
    wherever a day is timed (`travel_s_whole`), so no day ends after `day_end_s`.
    `day_cost_km` is what a team-day is worth in road kilometres: the planner minimises road
    km plus `day_cost_km` per team-day, so it drives up to that much further to save a day."""

    locations: list[Location]
    road_m: list[list[float]]
    travel_s: list[list[float]]
    meetings: list[Meeting]
    teams: list[Team]
    lodgings: list[int]
    calendar: CalendarSpec
    day_start_s: int = 9 * 3600
    day_end_s: int = 18 * 3600
    max_trip_days: Annotated[int, Meta(ge=1)] = 5
    time_limit_s: Annotated[float, Meta(gt=0)] = 8.0
    previous_days: list[PreviousDay] = []
    day_cost_km: Annotated[float, Meta(ge=0)] = DAY_COST_KM


def travel_s_whole(problem: PlanningProblem, a: int, b: int) -> int:
    """Travel seconds from location `a` to `b`, rounded up: the planner's unit of time."""
    return math.ceil(problem.travel_s[a][b])


class Stop(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting in a day's route: arrival and start (seconds after midnight), the leg that
    led there."""

    meeting_id: str
    location: int
    arrive_s: int
    start_s: int
    end_s: int
    leg_road_m: float
    leg_travel_s: float


class TeamDay(msgspec.Struct, frozen=True, kw_only=True):
    """One team's working day: from where it woke to where it sleeps (base or lodging)."""

    team_id: str
    date: date
    start_location: int
    end_location: int
    stops: list[Stop]
    return_road_m: float
    return_travel_s: float
    finish_s: int
    road_m: float
    travel_s: float


class Unplaced(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting the plan could not hold, why, and the team-days that would make room;
    `shortest_day_s` is the shortest day that could hold it (from the best base or lodging to
    the best, meeting included), to set beside the working day when it is too far."""

    meeting_id: str
    reason: UnplacedReason
    extra_team_days: int
    shortest_day_s: int | None = None


class Totals(msgspec.Struct, frozen=True, kw_only=True):
    """Road kilometres, team-days per team, the spread between the busiest and the least busy
    team, the last working date used, and the team-days that hold no meeting (a drive between
    places that no neighbouring day could take)."""

    road_km: float
    meetings_placed: int
    team_days: dict[str, int]
    balance_days: int
    last_date: date | None
    travel_only_days: int = 0


class Plan(msgspec.Struct, frozen=True, kw_only=True):
    """Team-days in (team, date) order, the meetings that did not fit, totals and the
    solver's report."""

    days: list[TeamDay]
    unplaced: list[Unplaced]
    totals: Totals
    solver_status: str
    solver_time_s: float
