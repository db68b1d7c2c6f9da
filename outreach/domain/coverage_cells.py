"""Held meetings kept summed by cell (a day, a team, a plan) for coverage kept up to date: each
cell keeps what every village got (attendance, meetings) and, per set of districts and per
okrug its meetings touched, their meetings, referrals and interested residents. A filter's
figures then cost per cell and village, not per meeting; a changed or deleted meeting takes
its old contribution out before the new one goes in (docs/coverage.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import msgspec

from outreach.domain.coverage import Dim, MeetingFacts, Tally, VillageFacts, iso_week, shares

CellKey = tuple[date, str, int | None]  # (day, team, plan id)
K = TypeVar("K")


class Scope(msgspec.Struct, frozen=True):
    """How a filter's villages cut a meeting's: every village (`districts` and `okrug` None),
    the villages of some districts, or those of one okrug; `nothing` when none is left."""

    districts: frozenset[str] | None = None
    okrug: str | None = None
    nothing: bool = False


class Entry(msgspec.Struct, frozen=True):
    """A held meeting as the cells counted it, kept to take it out again."""

    facts: MeetingFacts
    got: dict[str, float]
    districts: frozenset[str]
    okrugs: frozenset[str]

    @property
    def key(self) -> CellKey:
        return (self.facts.date, self.facts.team, self.facts.plan_id)

    def within(self, scope: Scope) -> bool:
        """Whether the meeting reached a village of the scope."""
        if scope.nothing:
            return False
        if scope.okrug is not None:
            return scope.okrug in self.okrugs
        return scope.districts is None or not scope.districts.isdisjoint(self.districts)


class Group:
    """Meetings counted together: how many, their referrals (the sum, and how many lines
    named each programme) and their interested residents by village."""

    __slots__ = ("interested", "lines", "meetings", "referrals")

    def __init__(self) -> None:
        self.meetings = 0
        self.referrals: Counter[str] = Counter()
        self.lines: Counter[str] = Counter()
        self.interested: Counter[str] = Counter()

    def add(self, m: MeetingFacts, sign: int) -> None:
        self.meetings += sign
        for programme, n in m.referrals:
            self.referrals[programme] += sign * n
            self.lines[programme] += sign
            if not self.lines[programme]:
                del self.lines[programme], self.referrals[programme]
        for _, village, _ in m.interested:
            where = village or m.hub
            self.interested[where] += sign
            if not self.interested[where]:
                del self.interested[where]


class Cell:
    """A day's held meetings of one team under one plan (or none)."""

    __slots__ = ("attendance", "by_districts", "by_okrug", "count")

    def __init__(self) -> None:
        self.attendance: dict[str, float] = {}
        self.count: Counter[str] = Counter()
        self.by_districts: dict[frozenset[str], Group] = {}
        self.by_okrug: dict[str, Group] = {}

    def add(self, e: Entry, sign: int) -> None:
        for kato, share in e.got.items():
            self.count[kato] += sign
            if self.count[kato]:
                self.attendance[kato] = self.attendance.get(kato, 0.0) + sign * share
            else:  # exactly nothing, not what subtracting floats leaves
                del self.count[kato], self.attendance[kato]
        _grouped(self.by_districts, e.districts, e.facts, sign)
        for okrug in e.okrugs:
            _grouped(self.by_okrug, okrug, e.facts, sign)

    def groups(self, scope: Scope) -> Iterator[Group]:
        """The groups of meetings that reached the scope (each meeting in one of them)."""
        if scope.nothing:
            return
        if scope.okrug is not None:
            if scope.okrug in self.by_okrug:
                yield self.by_okrug[scope.okrug]
            return
        for districts, group in self.by_districts.items():
            if scope.districts is None or not scope.districts.isdisjoint(districts):
                yield group

    def empty(self) -> bool:
        return not self.count


def _grouped(groups: dict[K, Group], key: K, m: MeetingFacts, sign: int) -> None:
    group = groups.get(key)
    if group is None:
        group = groups[key] = Group()
    group.add(m, sign)
    if not group.meetings:
        del groups[key]


class HeldCells:
    """Every held meeting, summed by cell; `put` a meeting's new facts (None when it is no
    longer a held meeting) and its old ones come out first."""

    def __init__(self, villages: Iterable[VillageFacts]) -> None:
        self.villages = {v.kato: v for v in villages}
        self.okrug_district = {v.okrug: v.district for v in self.villages.values() if v.okrug}
        self.entries: dict[str, Entry] = {}
        self.cells: dict[CellKey, Cell] = {}
        self.listed: dict[str, Counter[str]] = {}  # per team, the villages its meetings listed
        # the same few sets of districts and okrugs for every meeting: one object each, not
        # one per meeting (a small frozenset takes 216 bytes; 100,000 meetings keep two)
        self._sets: dict[frozenset[str], frozenset[str]] = {}

    def put(self, meeting_id: str, facts: MeetingFacts | None) -> None:
        old = self.entries.pop(meeting_id, None)
        if old is not None:
            self._count(old, -1)
        if facts is not None:
            got = shares(facts, self.villages)
            if got:
                places = [self.villages[k] for k in got]
                entry = Entry(
                    facts=facts,
                    got=got,
                    districts=self._shared(frozenset(v.district for v in places)),
                    okrugs=self._shared(frozenset(v.okrug for v in places if v.okrug)),
                )
                self.entries[meeting_id] = entry
                self._count(entry, 1)

    def _shared(self, found: frozenset[str]) -> frozenset[str]:
        return self._sets.setdefault(found, found)

    def _count(self, e: Entry, sign: int) -> None:
        cell = self.cells.get(e.key)
        if cell is None:
            cell = self.cells[e.key] = Cell()
        cell.add(e, sign)
        if cell.empty():
            del self.cells[e.key]
        listed = self.listed.setdefault(e.facts.team, Counter())
        for kato in e.got:
            listed[kato] += sign
            if not listed[kato]:
                del listed[kato]


@dataclass
class Summary:
    """What a filter's held meetings add up to: the tally, and which teams, weeks and team
    days have any; `held` by day for the progress (date, attendance in scope, meetings)."""

    tally: Tally = field(default_factory=Tally)
    teams: set[str] = field(default_factory=set)
    weeks: set[str] = field(default_factory=set)
    worked: set[tuple[str, date]] = field(default_factory=set)
    held: list[tuple[date, Mapping[str, float], int]] = field(default_factory=list)


Keeps = Callable[[date, int | None, str], bool]  # whether a day, plan and team are in the filter
Campaigns = Callable[[date, int | None], list[int]]  # the campaigns a day and plan count for


def summarise(
    cells: HeldCells, keeps: Keeps, campaigns: Campaigns, scope: Scope, in_scope: Collection[str]
) -> Summary:
    """A filter's summary from the cells: those its window keeps, the meetings that reached
    its scope, the villages in it (`in_scope`, KATO codes)."""
    out = Summary()
    tally = out.tally
    for (day, team, plan_id), cell in cells.cells.items():
        groups = list(cell.groups(scope)) if keeps(day, plan_id, team) else []
        held = sum(g.meetings for g in groups)
        if not held:
            continue
        got = {k: cell.attendance[k] for k in cell.count if k in in_scope}
        dims: list[Dim] = [("all", ""), ("team", team), ("week", iso_week(day))]
        dims += [("plan", str(p)) for p in campaigns(day, plan_id)]
        for dim in dims:
            _villages(tally, dim, day, got, cell)
            _meetings(tally, dim, groups)
        for level, group in _levels(cells, cell, scope, groups):
            _meetings(tally, level, [group])
        for group in groups:
            for kato, n in group.interested.items():
                tally.interested[kato] += n
        out.teams.add(team)
        out.weeks.add(iso_week(day))
        out.worked.add((team, day))
        out.held.append((day, got, held))
    return out


def _villages(tally: Tally, dim: Dim, day: date, got: dict[str, float], cell: Cell) -> None:
    attendance, count, last = tally.attendance[dim], tally.count[dim], tally.last[dim]
    for kato, share in got.items():
        attendance[kato] += share
        count[kato] += cell.count[kato]
        if kato not in last or last[kato] < day:
            last[kato] = day


def _meetings(tally: Tally, dim: Dim, groups: list[Group]) -> None:
    referrals = tally.referrals[dim]
    for group in groups:
        tally.meetings[dim] += group.meetings
        for programme, n in group.referrals.items():
            referrals[programme] += n


def _levels(
    cells: HeldCells, cell: Cell, scope: Scope, groups: list[Group]
) -> Iterator[tuple[Dim, Group]]:
    """The district and okrug rows each group of meetings counts for: those of the villages
    in scope they reached (an okrug lies within one district)."""
    if scope.okrug is not None:
        for group in groups:  # only the okrug's group
            yield ("district", cells.okrug_district[scope.okrug]), group
            yield ("okrug", scope.okrug), group
        return
    for districts, group in cell.by_districts.items():
        for district in districts:
            if scope.districts is None or district in scope.districts:
                yield ("district", district), group
    for okrug, group in cell.by_okrug.items():
        if scope.districts is None or cells.okrug_district[okrug] in scope.districts:
            yield ("okrug", okrug), group
