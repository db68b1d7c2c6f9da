"""Benchmark: the planner (OR-Tools) beside VROOM (pyvroom) as the routing core, on the same
instances, rules, skeleton, parts and costs (road metres plus the cost of a team-day, as
VROOM's vehicle fixed cost), both plans tightened alike and checked by geo/planning/check.py.

Instances: synthetic regions of 73, 300, 1,500 and 6,000 villages and the Kyzylorda gazetteer.
Ours is timed end to end (grouping, distances, routing); VROOM's time is the same grouping and
distances plus its own routing, given the routing time ours had left.
Run: .venv/bin/python bench/bench_planner.py [73 300 1500 6000 0] [--search S]  (0: Kyzylorda;
needs `pip install -e '.[bench]'` for pyvroom)

--search S: also how far the skeleton allows, on instances routed in one part: the same problem
routed by OR-Tools with guided local search, S seconds from each first solution, and by VROOM
given 4 S, each plan through the same steps after routing, beside 0.97x VROOM's road km.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import msgspec
import vroom
from ortools.constraint_solver import routing_enums_pb2

from geo.planning import routing
from geo.planning.check import violations
from geo.planning.parts import PART_MEETINGS
from geo.planning.planner import plan_campaign
from geo.planning.skeleton import Slot
from geo.planning.types import Plan, PlanningProblem
from geo.travel import DetourTravelModel
from outreach.domain.gazetteer import District, Names, PlanningSite, Position
from outreach.domain.locate import districts, planning_sites
from outreach.domain.planning import CampaignSpec
from outreach.services.gazetteer_import import packaged_kyzylorda
from outreach.services.planning import Snapshot, solve

sys.path.insert(0, str(Path(__file__).parent))
from bench_grouping import synthetic_sites


def vroom_router(problem: PlanningProblem, slots: list[Slot], held: set[str]
                 ) -> tuple[dict[int, list[str]], str]:  # fmt: skip
    """The same team-days as vehicles, the same matrices (travel rounded up), the same cost of
    a team-day as each vehicle's fixed cost, solved by VROOM."""
    depots = sorted({s.start for s in slots} | {s.end for s in slots})
    nodes = depots + [m.location for m in problem.meetings]
    solver = vroom.Input()
    solver.set_durations_matrix("car", [[math.ceil(problem.travel_s[a][b]) for b in nodes]
                                        for a in nodes])  # fmt: skip
    solver.set_costs_matrix("car", [[round(problem.road_m[a][b]) for b in nodes] for a in nodes])
    day_s = problem.day_end_s - problem.day_start_s
    fixed = vroom.VehicleCosts(fixed=round(problem.day_cost_km * 1000))
    solver.add_vehicle([
        vroom.Vehicle(id=v + 1, start=depots.index(s.start), end=depots.index(s.end),
                      time_window=vroom.TimeWindow(0, day_s), costs=fixed, skills={v + 1})
        for v, s in enumerate(slots)
    ])  # fmt: skip
    solver.add_job([vroom.Job(id=j + 1, location=len(depots) + j, default_service=m.duration_s)
                    for j, m in enumerate(problem.meetings)])  # fmt: skip
    # a day that moves between places drives whether it holds a meeting or not, as ours is
    # charged: a job of no duration at its start that only it can do keeps it in use
    drives = [v for v, s in enumerate(slots) if s.start != s.end]
    first_drive = len(problem.meetings) + 1
    solver.add_job([vroom.Job(id=first_drive + i, location=depots.index(slots[v].start),
                              skills={v + 1}) for i, v in enumerate(drives)])  # fmt: skip
    solution = solver.solve(exploration_level=5, nb_threads=2,
                            timeout=timedelta(seconds=problem.time_limit_s))  # fmt: skip
    routes: dict[int, list[str]] = {v: [] for v in range(len(slots))}
    for row in solution.routes.itertuples():
        if row.type == "job" and int(row.id) < first_drive:
            routes[int(row.vehicle_id) - 1].append(problem.meetings[int(row.id) - 1].id)
    return routes, "solved"


class Result(msgspec.Struct, frozen=True):
    """One solver's figures on one instance."""

    road_km: float
    team_days: int
    travel_only: int
    placed: int
    meetings: int
    wall_s: float
    feasible: str


def result(problem: PlanningProblem, plan: Plan, wall_s: float) -> Result:
    found = violations(problem, plan)
    t = plan.totals
    verdict = "yes" if not found else f"NO ({len(found)})"
    return Result(t.road_km, sum(t.team_days.values()), t.travel_only_days, t.meetings_placed,
                  len(problem.meetings), wall_s, verdict)  # fmt: skip


def run(title: str, spec: CampaignSpec, snapshot: Snapshot, travel: DetourTravelModel,
        search_s: float | None = None) -> tuple[str, Result, Result]:  # fmt: skip
    """Ours end to end (grouping, distances, routing within the time limit); then VROOM on the
    same problem, parts and skeleton, given the routing time ours had left."""
    started = time.perf_counter()
    solved = solve(spec, snapshot, travel)
    ours_s = time.perf_counter() - started
    problem = solved.problem
    front_s = ours_s - solved.plan.solver_time_s
    started = time.perf_counter()
    budget = max(1.0, spec.time_limit_s - front_s)
    theirs_plan = plan_campaign(problem, router=vroom_router, deadline=time.monotonic() + budget)
    theirs_s = time.perf_counter() - started + front_s
    ours, theirs = result(problem, solved.plan, ours_s), result(problem, theirs_plan, theirs_s)
    for name, r in (("ours", ours), ("VROOM", theirs)):
        print(f"  {title}: {name:<5} {r.road_km:>10.1f} km {r.team_days:>5} team-days "
              f"{r.travel_only:>3} travel-only {r.placed:>5}/{r.meetings} placed "
              f"{r.wall_s:7.1f} s feasible {r.feasible}", flush=True)  # fmt: skip
    if search_s and len(problem.meetings) <= PART_MEETINGS:
        long_search(problem, search_s, theirs.road_km)
    return title, ours, theirs


def long_search(problem: PlanningProblem, seconds: float, vroom_km: float) -> None:
    """The same skeleton routed by longer searches than the limit allows (see --search)."""

    def guided(problem: PlanningProblem, slots: list[Slot], held: set[str]
               ) -> tuple[dict[int, list[str]], str]:  # fmt: skip
        model = routing._Model(problem, slots, held)
        best: tuple[int, dict[int, list[int]]] | None = None
        for strategy in routing.STARTS:
            params = routing._parameters(time.monotonic() + seconds, strategy)
            params.local_search_metaheuristic = (
                routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
            )
            found = model.routing.SolveWithParameters(params)
            if found is not None and (best is None or found.ObjectiveValue() < best[0]):
                best = (found.ObjectiveValue(), model.read(found))
        assert best is not None
        return {v: [problem.meetings[m].id for m in best[1][v]] for v in best[1]}, "solved"

    longer = msgspec.structs.replace(problem, time_limit_s=4 * seconds + 10)
    for name, router in ((f"OR-Tools GLS {seconds:.0f} s a start", guided),
                         (f"VROOM {4 * seconds:.0f} s", vroom_router)):  # fmt: skip
        started = time.perf_counter()
        plan = plan_campaign(longer, router=router,
                             deadline=time.monotonic() + longer.time_limit_s)  # fmt: skip
        r = result(problem, plan, time.perf_counter() - started)
        print(
            f"    longer search, {name}: {r.road_km:.1f} km {r.team_days} team-days "
            f"(0.97x VROOM: {0.97 * vroom_km:.1f} km) feasible {r.feasible}",
            flush=True,
        )


def table(rows: list[tuple[str, Result, Result]]) -> None:
    """The figures side by side as a Markdown table, with the ratios ours / VROOM."""
    print("| instance | solver | road km | team-days | travel-only | placed | wall s | checker |"
          " km ratio | days ratio |")  # fmt: skip
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for title, ours, theirs in rows:
        km = ours.road_km / theirs.road_km if theirs.road_km else float("nan")
        days = ours.team_days / theirs.team_days if theirs.team_days else float("nan")
        for name, r, ratios in (("ours", ours, f"{km:.3f} | {days:.3f}"),
                                ("VROOM", theirs, " | ")):  # fmt: skip
            print(f"| {title if name == 'ours' else ''} | {name} | {r.road_km:,.1f} | "
                  f"{r.team_days} | {r.travel_only} | {r.placed}/{r.meetings} | "
                  f"{r.wall_s:.1f} | {r.feasible} | {ratios} |")  # fmt: skip


def synthetic(villages: int, okrugs: int) -> Snapshot:
    """The first `villages` synthetic villages (4 to an okrug) as the service stores them, a
    town per district as its centre."""
    sites = synthetic_sites(okrugs * -(-villages // okrugs), okrugs)[:villages]
    stored = [
        PlanningSite(kato=s.id, names=Names(ru=s.id), kind="village", district_kato=s.district_id,
                     okrug_kato=s.okrug_id,
                     position=Position(lat=s.position.lat_deg, lon=s.position.lon_deg)
                     if s.position else None,
                     location_quality=s.location_quality, population=s.population,
                     is_okrug_centre=s.is_okrug_centre)
        for s in sites
    ]  # fmt: skip
    by_district: dict[str, list[PlanningSite]] = {}
    for site in stored:
        if site.location_quality == "exact":
            by_district.setdefault(site.district_kato, []).append(site)
    centres: list[PlanningSite] = []
    middle = sorted(by_district)[len(by_district) // 2]  # the base, like Kyzylorda, mid-region
    for kato, members in sorted(by_district.items()):
        lat = sum(s.position.lat for s in members if s.position) / len(members)
        lon = sum(s.position.lon for s in members if s.position) / len(members)
        centre = PlanningSite(kato=kato[:4] + "99999", names=Names(ru=f"centre {kato}"),
                              kind="city" if kato == middle else "town", district_kato=kato,
                              okrug_kato=None, position=Position(lat=lat, lon=lon),
                              location_quality="exact", population=50_000 - len(centres),
                              is_okrug_centre=False)  # fmt: skip
        centres.append(centre)
    return Snapshot(sites=stored + centres, districts=[
        District(kato=c.district_kato, region_kato="990000000", names=Names(ru=c.names.ru),
                 centre_name=c.names.ru, centre=c.position) for c in centres])  # fmt: skip


INSTANCES = (  # villages, okrugs, teams, season, time limit (s)
    (73, 19, 3, (date(2027, 3, 1), date(2027, 5, 28)), 10.0),
    (300, 75, 3, (date(2027, 3, 1), date(2027, 5, 28)), 10.0),
    (1_500, 375, 3, (date(2027, 1, 4), date(2027, 12, 24)), 20.0),
    (6_000, 1_500, 8, (date(2027, 1, 4), date(2027, 12, 24)), 30.0),
)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", type=int, help="instances (villages; 0: Kyzylorda)")
    parser.add_argument("--search", type=float, metavar="S", help="see above")
    args = parser.parse_args()
    only = set(args.only)
    rows = []
    for villages, okrugs, teams, (first, last), limit in INSTANCES:
        if only and villages not in only:
            continue
        spec = CampaignSpec(start=first, end=last, teams=teams, time_limit_s=limit)
        rows.append(run(f"synthetic {villages:,} villages, {teams} teams, limit {limit:.0f} s",
                        spec, synthetic(villages, okrugs), DetourTravelModel(),
                        args.search))  # fmt: skip
    if not only or 0 in only:
        data, _ = packaged_kyzylorda()
        spring = CampaignSpec(start=date(2027, 3, 1), end=date(2027, 5, 28), time_limit_s=10)
        kyzylorda = Snapshot(sites=planning_sites(data), districts=districts(data))
        rows.append(run("Kyzylorda gazetteer, 3 teams, limit 10 s", spring, kyzylorda,
                        DetourTravelModel(), args.search))  # fmt: skip
    table(rows)
