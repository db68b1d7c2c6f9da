"""Coverage: who was reached, where, and what came of it, computed from held meetings.

Rules (docs/coverage.md): a meeting reaches the villages it represented (its hub when it lists
none); its attendance is shared among them in proportion to population when every one of them
has a known population, else equally. Unknown population stays unknown, never zero.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import msgspec

from outreach.domain.residents import FUNNEL

STAGES = FUNNEL  # the stages counted as "reached this stage or a later one"


class MeetingFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What coverage needs of a held meeting."""

    id: str
    team: str
    date: date
    hub: str
    villages: tuple[str, ...]
    attendance: int
    referrals: tuple[tuple[str, int], ...] = ()
    interested: tuple[tuple[str, str | None, str | None], ...] = ()  # (id, village, programme)
    plan_id: int | None = None


class VillageFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What coverage needs of a village."""

    kato: str
    district: str
    okrug: str | None
    population: int | None


class PlannedFacts(msgspec.Struct, frozen=True, kw_only=True):
    """A placed meeting of a published plan, and how many people the plan expects at it."""

    plan_id: int
    team: str
    date: date
    hub: str
    villages: tuple[str, ...]
    expected_attendance: float = 0.0


class DayFacts(msgspec.Struct, frozen=True, kw_only=True):
    """A team's planned day: its date and road km."""

    plan_id: int
    team: str
    date: date
    road_km: float


class ResidentFacts(msgspec.Struct, frozen=True, kw_only=True):
    """Where a resident got to (counts and tenge only, never who)."""

    id: int
    district: str | None
    programme: str | None
    stage: int  # 0 for none yet, 1 (contacted) to 5 (financed): the furthest reached
    dropped: bool
    requested_tenge: int | None = None
    financed_tenge: int | None = None
    meetings: tuple[str, ...] = ()  # the meetings that listed them


class VillageCoverage(msgspec.Struct, frozen=True, kw_only=True):
    """One village: reached or not, when last, meetings, attendance attributed to it, residents
    reached as a share of its population (null where the population is unknown)."""

    kato: str
    district: str
    okrug: str | None
    population: int | None
    reached: bool
    last_met: date | None
    meetings: int
    attendance: float
    share: float | None
    interested: int


class Rollup(msgspec.Struct, frozen=True, kw_only=True):
    """Totals of a set of villages and meetings (a district, an okrug, a team, a campaign, a
    week, or everything in the filter). `population_known` adds up only villages whose
    population is known (`villages_population_known` of them); `villages_population_unknown`
    says how many are not. `residents_reached_known` is the attendance attributed to the
    villages of known population: `residents_reached_share` is it over `population_known`."""

    key: str
    villages_in_scope: int
    villages_reached: int
    population_known: int
    villages_population_unknown: int
    villages_population_known: int
    residents_reached_known: float
    residents_reached: float
    residents_reached_share: float | None
    meetings_held: int
    meetings_planned: int
    road_km: float | None
    referrals: dict[str, int]


class FunnelRow(msgspec.Struct, frozen=True, kw_only=True):
    """Residents, and how many reached each stage or a later one, as the Chamber reports it
    (trained, then defended, then financed); `dropped` apart. Tenge requested by the projects
    defended and financed; each stage's conversion from the one before (the first from
    `interested`), null where nobody reached the one before."""

    key: str
    interested: int
    contacted: int
    referred: int
    trained: int
    defended: int
    financed: int
    dropped: int
    requested_tenge: int
    financed_tenge: int
    conversion: dict[str, float | None]


class ProgressRow(msgspec.Struct, frozen=True, kw_only=True):
    """Where the filter stood at the end of an ISO week (`starts` is its Monday), every figure
    counted from the first week on: villages reached by held meetings and villages invited
    by the planned ones dated so far; residents met (attendance) and expected (the plan's
    expected attendance of those planned meetings); meetings held and planned."""

    week: str
    starts: date
    villages_reached: int
    villages_planned: int
    residents_met: float
    residents_expected: float
    meetings_held: int
    meetings_planned: int


class Versus(msgspec.Struct, frozen=True, kw_only=True):
    """An actual figure beside its target (null when none is set)."""

    target: int | None
    actual: int


class TargetRow(msgspec.Struct, frozen=True, kw_only=True):
    """A district's actual figures against the campaign's targets."""

    district: str
    villages: Versus
    residents: Versus
    trained: Versus
    financed: Versus
    financed_tenge: Versus


class Coverage(msgspec.Struct, frozen=True, kw_only=True):
    """Coverage for one filter: the headline, each level, the progress week by week, the
    funnel, and every village."""

    headline: Rollup
    districts: list[Rollup]
    okrugs: list[Rollup]
    teams: list[Rollup]
    campaigns: list[Rollup]
    weeks: list[Rollup]
    progress: list[ProgressRow]
    funnel: FunnelRow
    funnel_by_district: list[FunnelRow]
    funnel_by_programme: list[FunnelRow]
    targets: list[TargetRow]
    villages: list[VillageCoverage]


def shares(meeting: MeetingFacts, villages: dict[str, VillageFacts]) -> dict[str, float]:
    """The meeting's attendance attributed to each village it represented."""
    reached = [k for k in dict.fromkeys(meeting.villages or (meeting.hub,)) if k in villages]
    if not reached:
        return {}
    populations = [villages[k].population for k in reached]
    if all(p is not None for p in populations) and sum(p or 0 for p in populations) > 0:
        whole = sum(p or 0 for p in populations)
        return {
            k: meeting.attendance * (p or 0) / whole
            for k, p in zip(reached, populations, strict=True)
        }
    return {k: meeting.attendance / len(reached) for k in reached}


Attributed = list[tuple[MeetingFacts, dict[str, float]]]
Dim = tuple[str, str]  # ("all", ""), ("team", name), ("week", "2027-W09"), ("plan", "3")


class Tally:
    """One pass over the meetings: per dimension (everything, a team, a week, a campaign),
    what each village got; per level, how many meetings touched it and their referrals."""

    def __init__(self) -> None:
        self.attendance: dict[Dim, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.count: dict[Dim, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.last: dict[Dim, dict[str, date]] = defaultdict(dict)
        self.meetings: dict[Dim, int] = defaultdict(int)
        self.referrals: dict[Dim, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.interested: dict[str, int] = defaultdict(int)

    def add(
        self, meeting: MeetingFacts, got: dict[str, float], dims: list[Dim], levels: list[Dim]
    ) -> None:
        """Count a meeting under the dimensions it belongs to (village figures) and the
        levels it touched (meeting and referral counts only)."""
        for dim in dims:
            attendance, count, last = self.attendance[dim], self.count[dim], self.last[dim]
            for kato, share in got.items():
                attendance[kato] += share
                count[kato] += 1
                if kato not in last or last[kato] < meeting.date:
                    last[kato] = meeting.date
        for dim in (*dims, *levels):
            self.meetings[dim] += 1
            referrals = self.referrals[dim]
            for programme, n in meeting.referrals:
                referrals[programme] += n
        for _, village, _ in meeting.interested:
            self.interested[village or meeting.hub] += 1

    def villages(self, dim: Dim, scope: Iterable[VillageFacts]) -> list[VillageCoverage]:
        """The villages in scope with what the meetings of one dimension gave them."""
        attendance, count, last = self.attendance[dim], self.count[dim], self.last[dim]
        mine = self.interested if dim == ("all", "") else {}
        return [
            VillageCoverage(
                kato=v.kato,
                district=v.district,
                okrug=v.okrug,
                population=v.population,
                reached=count.get(v.kato, 0) > 0,
                last_met=last.get(v.kato),
                meetings=count.get(v.kato, 0),
                attendance=round(attendance.get(v.kato, 0.0), 6),
                share=round(attendance.get(v.kato, 0.0) / v.population, 4)
                if v.population
                else None,
                interested=mine.get(v.kato, 0),
            )
            for v in scope
        ]

    def rollup(
        self,
        key: str,
        dim: Dim,
        scope: list[VillageCoverage],
        planned: int,
        road_km: float | None,
        level: Dim | None = None,
    ) -> Rollup:
        """Totals of villages in scope; meetings and referrals of `level` (else of `dim`)."""
        counted = level or dim
        return rollup(
            key,
            scope,
            self.meetings.get(counted, 0),
            planned,
            road_km,
            dict(self.referrals.get(counted, {})),
        )


def rollup(
    key: str,
    scope: list[VillageCoverage],
    meetings_held: int,
    planned: int,
    road_km: float | None,
    referrals: dict[str, int],
) -> Rollup:
    """Totals of the villages in scope and of the meetings counted for them."""
    known = [v for v in scope if v.population is not None]
    population = sum(v.population or 0 for v in known)
    reached_known = sum(v.attendance for v in known)
    return Rollup(
        key=key,
        villages_in_scope=len(scope),
        villages_reached=sum(v.reached for v in scope),
        population_known=population,
        villages_population_unknown=len(scope) - len(known),
        villages_population_known=len(known),
        residents_reached_known=round(reached_known, 2),
        residents_reached=round(sum(v.attendance for v in scope), 2),
        residents_reached_share=round(reached_known / population, 4) if population else None,
        meetings_held=meetings_held,
        meetings_planned=planned,
        road_km=None if road_km is None else round(road_km, 1),
        referrals=dict(sorted(referrals.items())),
    )


class FunnelCounts:
    """A funnel's counts that residents can be added to and taken out of again (coverage
    kept up to date)."""

    __slots__ = ("at", "dropped", "financed_tenge", "people", "requested_tenge")

    def __init__(self) -> None:
        self.people = self.dropped = self.requested_tenge = self.financed_tenge = 0
        self.at = [0] * len(STAGES)

    def add(self, r: ResidentFacts, sign: int = 1) -> None:
        """Count a resident (`sign` -1: no longer)."""
        self.people += sign
        for i in range(min(r.stage, len(STAGES))):
            self.at[i] += sign
        self.dropped += sign if r.dropped else 0
        self.requested_tenge += sign * (r.requested_tenge or 0) if r.stage >= 4 else 0
        self.financed_tenge += sign * (r.financed_tenge or 0) if r.stage >= 5 else 0

    def row(self, key: str) -> FunnelRow:
        """The counts as a row of the funnel."""
        conversion: dict[str, float | None] = {}
        before = self.people
        for stage, reached in zip(STAGES, self.at, strict=True):
            conversion[stage] = round(reached / before, 4) if before else None
            before = reached
        contacted, referred, trained, defended, financed = self.at
        return FunnelRow(
            key=key,
            interested=self.people,
            contacted=contacted,
            referred=referred,
            trained=trained,
            defended=defended,
            financed=financed,
            dropped=self.dropped,
            requested_tenge=self.requested_tenge,
            financed_tenge=self.financed_tenge,
            conversion=conversion,
        )


def funnel(key: str, residents: Iterable[ResidentFacts]) -> FunnelRow:
    """How many residents reached each stage or a later one, and for how many tenge."""
    counts = FunnelCounts()
    for r in residents:
        counts.add(r)
    return counts.row(key)


@functools.lru_cache(maxsize=4096)
def iso_week(day: date) -> str:
    """The ISO week of a date, as 2027-W09."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
