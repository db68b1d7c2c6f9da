"""Coverage computed from its facts (pure): the filter, the facts, the reference `build` from
every meeting and resident, and `assemble`, which coverage kept up to date shares with it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import msgspec

from outreach.domain.coverage import (
    Attributed,
    Coverage,
    DayFacts,
    Dim,
    FunnelRow,
    MeetingFacts,
    PlannedFacts,
    ResidentFacts,
    Rollup,
    Tally,
    TargetRow,
    Versus,
    VillageCoverage,
    VillageFacts,
    funnel,
    iso_week,
    shares,
)
from outreach.domain.coverage_cells import Summary
from outreach.domain.planning import PlanDocument
from outreach.domain.progress import progress
from outreach.domain.targets import Target


class CoverageFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which part to count: a campaign (a published plan's id), a district and a rural okrug
    (KATO), a team, and dates (inclusive)."""

    campaign: int | None = None
    district: str | None = None
    okrug: str | None = None
    team: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class Facts(msgspec.Struct, kw_only=True):
    """Everything coverage is computed from."""

    villages: list[VillageFacts]
    meetings: list[MeetingFacts]
    residents: list[ResidentFacts]
    plans: dict[int, PlanDocument]
    campaigns: dict[int, str] = {}
    targets: list[Target] = []


def planned_facts(plans: dict[int, PlanDocument]) -> tuple[list[PlannedFacts], list[DayFacts]]:
    """The published plans' meetings and team-days, as coverage counts them."""
    planned, days = [], []
    for plan_id, doc in plans.items():
        for m in doc.meetings:
            if m.team is not None and m.date is not None:
                planned.append(
                    PlannedFacts(
                        plan_id=plan_id,
                        team=m.team,
                        date=m.date,
                        hub=m.hub.id.removeprefix("g-"),
                        villages=tuple(v.kato for v in m.members),
                        expected_attendance=m.expected_attendance,
                    )
                )
        days += [
            DayFacts(plan_id=plan_id, team=d.team, date=d.date, road_km=d.road_km) for d in doc.days
        ]
    return planned, days


class Window(msgspec.Struct, frozen=True):
    first: date | None
    last: date | None
    plan: int | None
    team: str | None

    def keeps(self, day: date, plan_id: int | None, team: str) -> bool:
        if (self.first and day < self.first) or (self.last and day > self.last):
            return False
        if self.team and team != self.team:
            return False
        return self.plan is None or plan_id in (self.plan, None)


def window_of(where: CoverageFilter, plans: dict[int, PlanDocument]) -> Window:
    """The dates, campaign and team a filter keeps (a campaign narrows the dates to its season)."""
    first, last = where.date_from, where.date_to
    spec = plans[where.campaign].spec if where.campaign in plans else None
    if spec is not None:
        first = max(filter(None, (first, spec.start)), default=None)
        last = min(filter(None, (last, spec.end)), default=None)
    return Window(first, last, where.campaign, where.team)


def build(f: Facts, where: CoverageFilter) -> Coverage:
    """Coverage of the facts under the filter (pure: the tests' hand-computed figures, and
    the reference coverage kept up to date is checked against)."""
    planned_all, days_all = planned_facts(f.plans)
    window = window_of(where, f.plans)
    listed = {k for m in f.meetings for k in (m.villages or (m.hub,))} if where.team else ()
    scope = scope_of(f, where, planned_all, listed)
    by_kato = {v.kato: v for v in scope}
    everywhere = {v.kato: v for v in f.villages}
    held = [m for m in f.meetings if window.keeps(m.date, m.plan_id, m.team)]
    # shared among every village the meeting reached, then kept in scope: a village gets the
    # same whatever the filter, so a filtered okrug or district adds up as its row does
    attributed = [(m, got) for m in held if (got := _kept(shares(m, everywhere), by_kato))]
    summary = Summary(
        tally=_tally(attributed, by_kato, f.plans),
        teams={m.team for m, _ in attributed},
        weeks={iso_week(m.date) for m, _ in attributed},
        worked={(m.team, m.date) for m, _ in attributed},
        held=[(m.date, got, 1) for m, got in attributed],
    )
    people = _people(f.residents, {m.id for m, _ in attributed}, where)
    funnels = Funnels(
        all=funnel("all", people),
        by_district=_funnel(people, "district"),
        by_programme=_funnel(people, "programme"),
    )
    return assemble(f, where, scope, (planned_all, days_all), summary, funnels)


class Funnels(msgspec.Struct, frozen=True):
    """A filter's follow-up funnel: everyone, by district, by programme."""

    all: FunnelRow
    by_district: list[FunnelRow]
    by_programme: list[FunnelRow]


def assemble(
    f: Facts,
    where: CoverageFilter,
    scope: list[VillageFacts],
    plan: tuple[list[PlannedFacts], list[DayFacts]],
    summary: Summary,
    funnels: Funnels,
) -> Coverage:
    """Coverage from a filter's summary of held meetings, its funnel and the plans (`f`'s
    meetings and residents are not read)."""
    planned_all, days_all = plan
    window = window_of(where, f.plans)
    by_kato = {v.kato: v for v in scope}
    planned = [
        p
        for p in planned_all
        if window.keeps(p.date, p.plan_id, p.team)
        and any(k in by_kato for k in (p.hub, *p.villages))
    ]
    days = [d for d in days_all if window.keeps(d.date, d.plan_id, d.team)]
    travelled = [d for d in days if (d.team, d.date) in summary.worked]
    tally = summary.tally
    villages = tally.villages(ALL, scope)
    districts = _levels(tally, villages, planned, "district")
    return Coverage(
        headline=tally.rollup(
            "all", ALL, villages, len(planned), sum(d.road_km for d in travelled)
        ),
        districts=districts,
        okrugs=_levels(tally, villages, planned, "okrug"),
        teams=_teams(tally, scope, summary.teams, planned, travelled),
        campaigns=_campaigns(tally, scope, planned, travelled, f.plans),
        weeks=_weeks(tally, scope, summary.weeks, planned, travelled),
        progress=progress(summary.held, planned, by_kato),
        funnel=funnels.all,
        funnel_by_district=funnels.by_district,
        funnel_by_programme=funnels.by_programme,
        targets=_targets(f, where, districts, funnels.by_district),
        villages=villages,
    )


ALL: Dim = ("all", "")


def _kept(got: dict[str, float], scope: dict[str, VillageFacts]) -> dict[str, float]:
    return {kato: share for kato, share in got.items() if kato in scope}


def _in_campaign(m: MeetingFacts, plan_id: int, doc: PlanDocument) -> bool:
    return m.plan_id == plan_id or (m.plan_id is None and doc.spec.start <= m.date <= doc.spec.end)


def _tally(
    attributed: Attributed, villages: dict[str, VillageFacts], plans: dict[int, PlanDocument]
) -> Tally:
    tally = Tally()
    for m, got in attributed:
        dims: list[Dim] = [ALL, ("team", m.team), ("week", iso_week(m.date))]
        dims += [("plan", str(p)) for p, doc in plans.items() if _in_campaign(m, p, doc)]
        places = [villages[k] for k in got]
        levels = [("district", d) for d in {v.district for v in places}]
        levels += [("okrug", o) for o in {v.okrug for v in places if v.okrug}]
        tally.add(m, got, dims, levels)
    return tally


def scope_of(
    f: Facts, where: CoverageFilter, planned: list[PlannedFacts], listed: Iterable[str]
) -> list[VillageFacts]:
    """The villages a filter counts; `listed`, those its team's held meetings listed."""
    scope = f.villages
    if where.district:
        scope = [v for v in scope if v.district == where.district]
    if where.okrug:
        scope = [v for v in scope if v.okrug == where.okrug]
    if where.campaign in f.plans and f.plans[where.campaign].spec.districts:
        districts = set(f.plans[where.campaign].spec.districts)
        scope = [v for v in scope if v.district in districts]
    if where.team:
        invited = {k for p in planned if p.team == where.team for k in (p.hub, *p.villages)}
        invited |= set(listed)
        scope = [v for v in scope if v.kato in invited]
    return scope


def _levels(
    tally: Tally, villages: list[VillageCoverage], planned: list[PlannedFacts], kind: str
) -> list[Rollup]:
    groups: dict[str, list[VillageCoverage]] = defaultdict(list)
    for v in villages:
        key = v.district if kind == "district" else v.okrug
        if key is not None:
            groups[key].append(v)
    where = {v.kato: key for key, group in groups.items() for v in group}
    plans_in: dict[str, int] = defaultdict(int)
    for p in planned:
        if p.hub in where:
            plans_in[where[p.hub]] += 1
    return [
        tally.rollup(key, ALL, group, plans_in[key], None, level=(kind, key))
        for key, group in sorted(groups.items())
    ]


def _teams(
    tally: Tally,
    scope: list[VillageFacts],
    teams: set[str],
    planned: list[PlannedFacts],
    travelled: list[DayFacts],
) -> list[Rollup]:
    out = []
    for team in sorted(teams | {p.team for p in planned}):
        theirs = [p for p in planned if p.team == team]
        invited = {k for p in theirs for k in (p.hub, *p.villages)}
        invited |= set(tally.count[("team", team)])
        mine = [v for v in scope if v.kato in invited]
        km = sum(d.road_km for d in travelled if d.team == team)
        dim = ("team", team)
        out.append(tally.rollup(team, dim, tally.villages(dim, mine), len(theirs), km))
    return out


def _campaigns(
    tally: Tally,
    scope: list[VillageFacts],
    planned: list[PlannedFacts],
    travelled: list[DayFacts],
    plans: dict[int, PlanDocument],
) -> list[Rollup]:
    out = []
    for plan_id, doc in sorted(plans.items()):
        districts = set(doc.spec.districts)
        mine = [v for v in scope if not districts or v.district in districts]
        theirs = sum(1 for p in planned if p.plan_id == plan_id)
        km = sum(d.road_km for d in travelled if d.plan_id == plan_id)
        dim = ("plan", str(plan_id))
        out.append(
            tally.rollup(f"{plan_id}: {doc.name}", dim, tally.villages(dim, mine), theirs, km)
        )
    return out


def _weeks(
    tally: Tally,
    scope: list[VillageFacts],
    held_weeks: set[str],
    planned: list[PlannedFacts],
    travelled: list[DayFacts],
) -> list[Rollup]:
    planned_in: dict[str, int] = defaultdict(int)
    for p in planned:
        planned_in[iso_week(p.date)] += 1
    km: dict[str, float] = defaultdict(float)
    for d in travelled:
        km[iso_week(d.date)] += d.road_km
    weeks = sorted(held_weeks | set(planned_in))
    return [
        tally.rollup(
            week, ("week", week), tally.villages(("week", week), scope), planned_in[week], km[week]
        )
        for week in weeks
    ]


def _people(
    residents: list[ResidentFacts], met: set[str], where: CoverageFilter
) -> list[ResidentFacts]:
    """The residents a filter counts: those listed at its held meetings; with no team,
    campaign, okrug or dates chosen, also those only a programme list brought in (in its
    district): such a list says no village, so no okrug."""
    return [r for r in residents if met.intersection(r.meetings) or listed_alone(r, where)]


def listed_alone(r: ResidentFacts, where: CoverageFilter) -> bool:
    """Whether the filter counts a resident only a programme list brought in (no meeting):
    with nothing but a district chosen, in that district."""
    unfiltered = not (where.team or where.campaign or where.okrug or where.date_from
                      or where.date_to)  # fmt: skip
    return unfiltered and not r.meetings and where.district in (None, r.district)


def _funnel(people: list[ResidentFacts], by: str) -> list[FunnelRow]:
    groups: dict[str, list[ResidentFacts]] = defaultdict(list)
    for r in people:
        key = r.district if by == "district" else r.programme
        groups[key or ("unknown" if by == "district" else "unspecified")].append(r)
    return [funnel(key, rows) for key, rows in sorted(groups.items())]


def _targets(
    f: Facts, where: CoverageFilter, districts: list[Rollup], by_district: list[FunnelRow]
) -> list[TargetRow]:
    """The chosen campaign's targets beside the actual figures, per district."""
    name = f.campaigns.get(where.campaign) if where.campaign is not None else None
    aims = {t.district: t for t in f.targets if t.campaign == name}
    if not aims:
        return []
    reached = {r.key: r for r in districts}
    people = {r.key: r for r in by_district}
    out = []
    for district in sorted(aims.keys() | reached.keys()):
        aim, got, row = aims.get(district), reached.get(district), people.get(district)
        actual = {
            "villages": got.villages_reached if got else 0,
            "residents": round(got.residents_reached) if got else 0,
            "trained": row.trained if row else 0,
            "financed": row.financed if row else 0,
            "financed_tenge": row.financed_tenge if row else 0,
        }
        versus = {k: Versus(target=getattr(aim, k) if aim else None, actual=v)
                  for k, v in actual.items()}  # fmt: skip
        out.append(TargetRow(district=district, **versus))
    return out
