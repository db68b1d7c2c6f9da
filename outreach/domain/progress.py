"""Coverage's progress, week by week: where a filter stood at the end of each ISO week, every
figure cumulative, so that the last week gives the headline's own counts (docs/coverage.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import date, timedelta

from outreach.domain.coverage import PlannedFacts, ProgressRow, iso_week

WEEK = timedelta(days=7)


def monday(day: date) -> date:
    """The Monday of the ISO week a date falls in."""
    return day - timedelta(days=day.weekday())


Held = Iterable[tuple[date, Mapping[str, float], int]]
"""Held meetings by day: (date, attendance each village in scope got, how many meetings)."""


def progress(
    held: Held, planned: Iterable[PlannedFacts], scope: Collection[str]
) -> list[ProgressRow]:
    """Cumulative figures of each week, with no gap, from the first week with a held or a
    planned meeting to the last; `held` are the held meetings, one by one or already summed
    (by day, team or any group: coverage kept up to date gives its cells), with the
    attendance each village in scope got, `planned` the placed meetings the headline counts,
    `scope` the villages' KATO codes. Empty when there is neither."""
    held_in: dict[date, list[tuple[Mapping[str, float], int]]] = defaultdict(list)
    for day, got, count in held:
        held_in[monday(day)].append((got, count))
    planned_in: dict[date, list[PlannedFacts]] = defaultdict(list)
    for p in planned:
        planned_in[monday(p.date)].append(p)
    weeks = held_in.keys() | planned_in.keys()
    if not weeks:
        return []
    reached: set[str] = set()
    invited: set[str] = set()
    met = expected = 0.0
    held_n = placed = 0
    rows = []
    week, last = min(weeks), max(weeks)
    while week <= last:
        for got, count in held_in.get(week, ()):
            reached.update(got)
            met += sum(got.values())
            held_n += count
        for p in planned_in.get(week, ()):
            invited.update(k for k in (p.hub, *p.villages) if k in scope)
            expected += p.expected_attendance
            placed += 1
        rows.append(
            ProgressRow(
                week=iso_week(week),
                starts=week,
                villages_reached=len(reached),
                villages_planned=len(invited),
                residents_met=round(met, 1),
                residents_expected=round(expected, 1),
                meetings_held=held_n,
                meetings_planned=placed,
            )
        )
        week += WEEK
    return rows
