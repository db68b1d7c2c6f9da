"""Benchmark: the planner (OR-Tools) beside VROOM (pyvroom) as the routing core, on the same
instances, skeleton and time budget, both plans checked by geo/planning/check.py.

Instances: the Kyzylorda gazetteer (three teams, spring 2027) and synthetic regions of 1,500
and 6,000 villages. Run: .venv/bin/python bench/bench_planner.py  (needs `pip install pyvroom`)
"""

from __future__ import annotations

import math
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import vroom

from geo.planning.check import violations
from geo.planning.planner import plan_campaign
from geo.planning.skeleton import Slot
from geo.planning.types import Plan, PlanningProblem
from geo.point import Point
from geo.travel import DetourTravelModel
from outreach.domain.gazetteer import District, Names, PlanningSite, Position
from outreach.domain.locate import districts, planning_sites
from outreach.domain.planning import CampaignSpec
from outreach.services.gazetteer_import import packaged_kyzylorda
from outreach.services.planning import Snapshot, solve

sys.path.insert(0, str(Path(__file__).parent))
from bench_grouping import synthetic_sites


class HaversineTravel(DetourTravelModel):
    """Great-circle distance x 1.3 at 60 km/h: the synthetic regions are too large for
    geodesic matrices in a benchmark, and both solvers see the same numbers anyway."""

    def road_m(self, a: Point, b: Point, district_id: str | None = None) -> float:
        la1, lo1, la2, lo2 = map(math.radians, (a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg))
        h = (
            math.sin((la2 - la1) / 2) ** 2
            + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
        )
        return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, h))) * self.detour_factor


def vroom_router(problem: PlanningProblem, slots: list[Slot], held: set[str]
                 ) -> tuple[dict[int, list[str]], str]:  # fmt: skip
    """The same team-days as vehicles, the same matrices, solved by VROOM."""
    depots = sorted({s.start for s in slots} | {s.end for s in slots})
    nodes = depots + [m.location for m in problem.meetings]
    solver = vroom.Input()
    solver.set_durations_matrix("car", [[round(problem.travel_s[a][b]) for b in nodes]
                                        for a in nodes])  # fmt: skip
    solver.set_costs_matrix("car", [[round(problem.road_m[a][b]) for b in nodes] for a in nodes])
    day_s = problem.day_end_s - problem.day_start_s
    solver.add_vehicle([
        vroom.Vehicle(id=v + 1, start=depots.index(s.start), end=depots.index(s.end),
                      time_window=vroom.TimeWindow(0, day_s))
        for v, s in enumerate(slots)
    ])  # fmt: skip
    solver.add_job([vroom.Job(id=j + 1, location=len(depots) + j, default_service=m.duration_s)
                    for j, m in enumerate(problem.meetings)])  # fmt: skip
    solution = solver.solve(exploration_level=5, nb_threads=2,
                            timeout=timedelta(seconds=problem.time_limit_s))  # fmt: skip
    routes: dict[int, list[str]] = {v: [] for v in range(len(slots))}
    for row in solution.routes.itertuples():
        if row.type == "job":
            routes[int(row.vehicle_id) - 1].append(problem.meetings[int(row.id) - 1].id)
    return routes, "solved"


def report(name: str, problem: PlanningProblem, plan: Plan, seconds: float) -> float:
    t = plan.totals
    found = violations(problem, plan)
    feasible = "yes" if not found else f"NO ({len(found)})"
    print(f"  {name:<8} {t.road_km:>10.1f} km  {t.meetings_placed:>5} placed  "
          f"{sum(t.team_days.values()):>5} team-days  spread {t.balance_days:>3}  "
          f"{seconds:7.2f} s  feasible: {feasible}")  # fmt: skip
    return t.road_km


def run(title: str, spec: CampaignSpec, snapshot: Snapshot, travel: DetourTravelModel) -> None:
    started = time.perf_counter()
    solved = solve(spec, snapshot, travel)
    ours_s = time.perf_counter() - started
    problem = solved.problem
    print(f"{title}: {len(problem.meetings)} meetings, {spec.teams} teams, "
          f"{spec.start}..{spec.end}, time limit {spec.time_limit_s} s")  # fmt: skip
    ours = report("OR-Tools", problem, solved.plan, ours_s)
    started = time.perf_counter()
    theirs_plan = plan_campaign(problem, router=vroom_router)
    theirs = report("VROOM", problem, theirs_plan, time.perf_counter() - started)
    same = solved.plan.totals.meetings_placed == theirs_plan.totals.meetings_placed
    print(f"  road km ratio OR-Tools / VROOM = {ours / theirs:.3f}"
          + ("" if same else "  (not comparable: different meetings placed)"))  # fmt: skip


def synthetic(villages: int, okrugs: int) -> Snapshot:
    """Synthetic villages as the service stores them, a town per district as its centre."""
    sites = synthetic_sites(villages, okrugs)
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


if __name__ == "__main__":
    data, _ = packaged_kyzylorda()
    spring = CampaignSpec(start=date(2027, 3, 1), end=date(2027, 5, 28))
    kyzylorda = Snapshot(sites=planning_sites(data), districts=districts(data))
    run("Kyzylorda gazetteer", spring, kyzylorda, DetourTravelModel())
    year = CampaignSpec(start=date(2027, 1, 4), end=date(2027, 12, 24), teams=6, time_limit_s=20)
    for villages, okrugs in ((1_500, 375),) + (((6_000, 1_500),) if "--large" in sys.argv else ()):
        run(f"synthetic {villages} villages", year, synthetic(villages, okrugs), HaversineTravel())
