"""The skeleton of a plan: which team works where on which date, before any meeting is placed.

Each meeting belongs to the area of its nearest anchor (a base or a lodging). Areas are handed,
largest first, to the team with the fewest days so far, as trips of consecutive working days
inside one run of working days (never across a day off) and at most `max_trip_days` long: out
from the base on the first day, nights at lodgings, back to the base on the last day. A trip
may move on from one lodging to the next (`chain`) when that saves most of the drive home and
out again: what is left of a far area after its full trips joins the nearest such remainders.
A trip to an area most of a day's drive away sleeps its first and last nights at a lodging on
the way (`_via`), so those days hold meetings rather than only driving. Areas around a base
are worked as day trips. A meeting that no single place can reach and
leave within a day gets a trip of its own that wakes at one lodging and sleeps at another.
The routing solver then fills these team-days.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

import msgspec

from geo.planning.calendar import blocks, working_days
from geo.planning.types import PlanningProblem, PreviousDay, travel_s_whole

# a working day's share that an area's meetings, each with the drive from its anchor and
# back, are expected to fill (the routes chain meetings, so it may exceed 1)
DAY_FILL = 0.8
# a trip moves on to the next lodging only if that drive is at most this share of going
# home and out again
CHAIN_SAVING = 0.75
# a trip to an area this share of a working day's drive from the base, or farther, sleeps its
# first and last nights at a lodging on the way, at most VIA_DETOUR times the direct drive
FAR_SHARE = 0.8
VIA_DETOUR = 1.2


class Slot(msgspec.Struct, frozen=True, kw_only=True):
    """A team-day to fill: where the team wakes and where it must sleep; `trip` groups the
    days of one trip, `areas` are the anchors whose meetings the trip was made for."""

    team_id: str
    date: date
    start: int
    end: int
    trip: int
    areas: tuple[int, ...] = ()


class TripPlan(msgspec.Struct, frozen=True):
    """A trip to hand to a team: the lodgings of its nights in order (none: a day trip), how
    many such trips, and the anchors it serves."""

    nights: list[int]
    count: int
    areas: tuple[int, ...]


def reachable_places(problem: PlanningProblem) -> list[int]:
    """The bases, and the lodgings every team can drive to from its base and back within one
    working day: a trip never needs a night on the road."""
    day_s = problem.day_end_s - problem.day_start_s
    bases = {team.base for team in problem.teams}
    lodgings = {
        lodging for lodging in problem.lodgings
        if all(travel_s_whole(problem, b, lodging) <= day_s
               and travel_s_whole(problem, lodging, b) <= day_s for b in bases)
    }  # fmt: skip
    return sorted(bases | lodgings)


def anchors(problem: PlanningProblem) -> dict[str, int]:
    """Meeting id -> the base or lodging it is quickest to reach from."""
    places = reachable_places(problem)
    return {m.id: min(places, key=lambda p: (problem.travel_s[p][m.location], p))
            for m in problem.meetings}  # fmt: skip


def shortest_day(problem: PlanningProblem, location: int, duration_s: int
                 ) -> tuple[int, int, int]:  # fmt: skip
    """(seconds, wake, sleep): the shortest day that holds a meeting of `duration_s` at
    `location`, waking and sleeping where a trip allows (one base for a one-day trip, a base
    at one end for two days, any reachable places from three)."""
    places = reachable_places(problem)
    bases = sorted({team.base for team in problem.teams})
    into = {p: travel_s_whole(problem, p, location) for p in places}
    out = {p: travel_s_whole(problem, location, p) for p in places}
    if problem.max_trip_days == 1:
        pairs = [(b, b) for b in bases]
    else:
        wake = min(places, key=lambda p: (into[p], p))
        sleep = min(places, key=lambda p: (out[p], p))
        if problem.max_trip_days >= 3 or wake in bases or sleep in bases:
            pairs = [(wake, sleep)]
        else:
            pairs = [(b, sleep) for b in bases] + [(wake, b) for b in bases]
    a, b = min(pairs, key=lambda ab: (into[ab[0]] + out[ab[1]], ab))
    return into[a] + duration_s + out[b], a, b


def build_slots(problem: PlanningProblem, existing: list[Slot] | None = None,
                extra_for: set[str] | None = None) -> list[Slot]:  # fmt: skip
    """Team-days for every area's estimated workload, with pinned team-dates always present;
    or, given `existing` slots, those plus days for the meetings `extra_for` that did not fit
    them."""
    free = {team.id: [list(run) for run in blocks(working_days(problem.calendar))]
            for team in problem.teams}  # fmt: skip
    bases = {team.id: team.base for team in problem.teams}
    if existing is not None:
        slots = list(existing)
        for slot in slots:
            _take(free[slot.team_id], slot.date)
        skip = {m.id for m in problem.meetings} - (extra_for or set())
    else:
        slots = _previous_slots(problem, free)
        for team_id, day in sorted({(m.pin_team, m.pin_date) for m in problem.meetings
                                    if m.pin_team and m.pin_date}):  # fmt: skip
            if team_id in free and _take(free[team_id], day):  # unknown teams: left unplaced
                slots.append(Slot(team_id=team_id, date=day, start=bases[team_id],
                                  end=bases[team_id], trip=len(slots),
                                  areas=(bases[team_id],)))  # fmt: skip
        revising = bool(problem.previous_days)
        skip = {m.id for m in problem.meetings if revising and (m.keep_team or m.pin_team)}
    used: dict[str, int] = defaultdict(int)
    for slot in slots:
        used[slot.team_id] += 1
    next_trip = max((slot.trip for slot in slots), default=0) + 1
    for plan in trip_plans(problem, skip):
        for _ in range(plan.count):
            trip: list[Slot] = []
            for team_id in sorted(bases, key=lambda t: (used[t], t)):
                trip = _trip(problem, free[team_id], team_id, bases[team_id], plan, next_trip)
                if trip:
                    used[team_id] += len(trip)
                    next_trip += 1
                    break
            if not trip:
                break  # the season is full; the solver reports what does not fit
            slots += trip
    return sorted(slots, key=lambda s: (s.team_id, s.date))


def trip_plans(problem: PlanningProblem, skip: set[str]) -> list[TripPlan]:
    """The trips the meetings not skipped need, largest areas first: day trips around a base,
    full trips to far areas, their remainders chained, and a trip for each meeting that only
    a day between two places can hold. Meetings no day can hold get none."""
    bases = {team.base for team in problem.teams}
    day_s = problem.day_end_s - problem.day_start_s
    skip = skip | {m.id for m in problem.meetings
                   if shortest_day(problem, m.location, m.duration_s)[0] > day_s}  # fmt: skip
    plans: list[TripPlan] = []
    hard = _between_places(problem, skip)
    skip = skip | {meeting_id for meeting_id, _ in hard}
    rests: list[tuple[int, int]] = []
    longest = problem.max_trip_days
    areas = _areas(problem, skip, DAY_FILL)
    season = len(problem.teams) * len(working_days(problem.calendar))
    wanted = sum(days for _, days in areas)
    if 0 < season < wanted:  # a full season: every area its share, not the first ones all
        areas = _areas(problem, skip, DAY_FILL * wanted / season)
    for anchor, days in areas:
        if anchor in bases or longest == 1:
            plans.append(TripPlan([], days, (anchor,)))
            continue
        if days >= longest:
            nights = [anchor] * (longest - 1)
            via = _via(problem, anchor)
            if via is not None and longest >= 3:  # out and back by way of a nearer lodging
                nights[0] = via
                nights[-1] = via if longest >= 4 else anchor
            plans.append(TripPlan(nights, days // longest, tuple(dict.fromkeys(nights))))
        if days % longest:
            rests.append((anchor, days % longest))
    return plans + _chains(problem, rests) + [plan for _, plan in hard]


def _via(problem: PlanningProblem, anchor: int) -> int | None:
    """For an anchor more than `FAR_SHARE` of a working day's drive from the base, the lodging
    on the way (at most `VIA_DETOUR` longer) that splits the drive most evenly: the first and
    last nights there make days with meetings of what would be days of driving alone."""
    day_s = problem.day_end_s - problem.day_start_s
    base = problem.teams[0].base
    travel = problem.travel_s
    direct = travel[base][anchor]
    if direct <= FAR_SHARE * day_s:
        return None
    on_the_way = [
        p for p in reachable_places(problem)
        if p not in (base, anchor) and travel[base][p] < direct and travel[p][anchor] < direct
        and travel[base][p] + travel[p][anchor] <= VIA_DETOUR * direct
    ]  # fmt: skip
    return min(on_the_way, key=lambda p: (max(travel[base][p], travel[p][anchor]), p),
               default=None)  # fmt: skip


def _between_places(problem: PlanningProblem, skip: set[str]) -> list[tuple[str, TripPlan]]:
    """Meetings that no place can reach and leave within a day, but a day from one place to
    another can hold: each with its trip."""
    day_s = problem.day_end_s - problem.day_start_s
    bases = {team.base for team in problem.teams}
    places = reachable_places(problem)
    anchor_of = anchors(problem)
    found = []
    for meeting in problem.meetings:
        if meeting.id in skip:
            continue
        seconds, wake, sleep = shortest_day(problem, meeting.location, meeting.duration_s)
        if seconds > day_s or wake == sleep:
            continue
        round_s = min(travel_s_whole(problem, p, meeting.location)
                      + travel_s_whole(problem, meeting.location, p) for p in places)  # fmt: skip
        if round_s + meeting.duration_s > day_s:
            nights = [p for p in (wake, sleep) if p not in bases]
            areas = tuple(dict.fromkeys([anchor_of[meeting.id], *nights]))
            found.append((meeting.id, TripPlan(nights, 1, areas)))
    return found


def _chains(problem: PlanningProblem, rests: list[tuple[int, int]]) -> list[TripPlan]:
    """Trips over the areas' remainders: from the farthest, on to the nearest next while the
    trip stays within max_trip_days and moving on beats going home. A trip of n days has n - 1
    nights: the area with the most loses one, unless that would leave a day trip to an area
    more than half a day's drive there and back."""
    day_s = problem.day_end_s - problem.day_start_s
    base = problem.teams[0].base
    left = sorted(rests, key=lambda r: (-problem.travel_s[base][r[0]], r[0]))
    plans = []
    while left:
        chain = [left.pop(0)]
        while True:
            here, total = chain[-1][0], sum(d for _, d in chain)
            home = problem.travel_s[here][base]
            fits = [
                r for r in left
                if total + r[1] <= problem.max_trip_days
                and travel_s_whole(problem, here, r[0]) <= day_s
                and problem.travel_s[here][r[0]]
                <= CHAIN_SAVING * (home + problem.travel_s[base][r[0]])
            ]  # fmt: skip
            if not fits:
                break
            step = min(fits, key=lambda r: (problem.travel_s[here][r[0]], r[0]))
            left.remove(step)
            chain.append(step)
        nights = [anchor for anchor, days in chain for _ in range(days)]
        most = max(chain, key=lambda r: r[1])[0]
        far = problem.travel_s[base][most] + problem.travel_s[most][base] > day_s / 2
        if len(nights) > 1 or not far:  # a far area is never a day trip from the base
            nights.reverse()
            nights.remove(most)  # its last night
            nights.reverse()
        plans.append(TripPlan(nights, 1, tuple(a for a, _ in chain)))
    return plans


def _previous_slots(problem: PlanningProblem, free: dict[str, list[list[date]]]) -> list[Slot]:
    """The revised plan's trips, as they were; a trip with a day no longer available (a team
    gone, a date no longer worked) is left out whole, and its meetings are placed anew."""
    bases = {team.id: team.base for team in problem.teams}
    trips: list[list[PreviousDay]] = []
    for day in sorted(problem.previous_days, key=lambda d: (d.team_id, d.date)):
        if not trips or day.start == bases.get(day.team_id) or trips[-1][-1].team_id != day.team_id:
            trips.append([])
        trips[-1].append(day)
    slots: list[Slot] = []
    for number, trip in enumerate(trips, start=1):
        team_id = trip[0].team_id
        runs = free.get(team_id)
        if runs is None or not all(any(d.date in run for run in runs) for d in trip):
            continue
        areas = tuple(sorted({d.end for d in trip[:-1]} or {bases[team_id]}))
        for day in trip:
            _take(runs, day.date)
            slots.append(Slot(team_id=team_id, date=day.date, start=day.start, end=day.end,
                              trip=-number, areas=areas))  # fmt: skip
    return slots


def _areas(problem: PlanningProblem, skip: set[str], fill: float) -> list[tuple[int, int]]:
    """(anchor, days of work) for every area of the meetings not skipped, largest first, the
    days filled to `fill` of the working day."""
    work: dict[int, float] = defaultdict(float)
    anchor_of = anchors(problem)
    for meeting in problem.meetings:
        if meeting.id in skip:
            continue
        anchor = anchor_of[meeting.id]
        work[anchor] += meeting.duration_s + 2 * problem.travel_s[anchor][meeting.location]
    day_s = (problem.day_end_s - problem.day_start_s) * fill
    base = problem.teams[0].base
    areas = []
    for anchor, seconds in work.items():
        transfer = problem.travel_s[base][anchor] + problem.travel_s[anchor][base]
        areas.append((anchor, max(1, math.ceil((seconds + transfer) / day_s))))
    return sorted(areas, key=lambda a: (-a[1], a[0]))


def _take(runs: list[list[date]], day: date) -> bool:
    for index, run in enumerate(runs):
        if day in run:
            at = run.index(day)
            runs[index : index + 1] = [r for r in (run[:at], run[at + 1 :]) if r]
            return True
    return False


def _trip(problem: PlanningProblem, runs: list[list[date]], team_id: str, base: int,
          plan: TripPlan, trip: int) -> list[Slot]:  # fmt: skip
    """The trip's days from the earliest run of free days long enough (else the longest run,
    the trip cut short and ending at the base)."""
    if not runs:
        return []
    length = min(len(plan.nights) + 1, problem.max_trip_days)
    run = next((r for r in runs if len(r) >= length), max(runs, key=len))
    days = run[:length]
    runs[runs.index(run)] = run[length:]
    runs[:] = [r for r in runs if r]
    places = [base, *plan.nights[: len(days) - 1], base]
    return [Slot(team_id=team_id, date=day, start=places[i], end=places[i + 1], trip=trip,
                 areas=plan.areas) for i, day in enumerate(days)]  # fmt: skip
