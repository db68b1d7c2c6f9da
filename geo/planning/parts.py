"""Splitting a large planning problem into parts the routing solver fills one after another.

A part is a set of areas (anchors) with their meetings and the trips made for them: areas
joined by a trip that moves between their lodgings, by a pin or by a kept day stay together.
A part larger than `PART_MEETINGS` is cut in halves between far-apart meetings until no piece
is larger, and its trips are dealt to the pieces by their share of the work. A
small problem is one part, so nothing is lost to the cut where the solver can see it whole.
"""

from __future__ import annotations

from collections import defaultdict

import msgspec

from geo.planning.skeleton import Slot, anchors
from geo.planning.types import Meeting, PlanningProblem

PART_MEETINGS = 160  # above this, a part is cut: the solver's time grows faster than its size


class Part(msgspec.Struct, kw_only=True):
    """Slot indices (into the whole list) and the meetings they are to hold."""

    slots: list[int]
    meetings: list[Meeting]


def split(problem: PlanningProblem, slots: list[Slot], size: int = PART_MEETINGS) -> list[Part]:
    """The parts of a problem, in a fixed order; one part when it has at most `size`
    meetings."""
    if len(problem.meetings) <= size:
        return [Part(slots=list(range(len(slots))), meetings=list(problem.meetings))]
    anchor_of = anchors(problem)
    parent: dict[int, int] = {}

    def root(a: int) -> int:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(a: int, b: int) -> None:
        parent[root(a)] = root(b)

    base = problem.teams[0].base
    for slot in slots:
        for area in slot.areas or (base,):
            join(area, (slot.areas or (base,))[0])
    at_day = {(s.team_id, s.date): s for s in slots}
    for meeting in problem.meetings:
        team, day = (meeting.pin_team, meeting.pin_date) if meeting.pin_team else (
            meeting.keep_team, meeting.keep_date)  # fmt: skip
        kept = at_day.get((team or "", day)) if day else None
        root(anchor_of[meeting.id])
        if kept is not None:
            join(anchor_of[meeting.id], (kept.areas or (base,))[0])
    groups: dict[int, Part] = defaultdict(lambda: Part(slots=[], meetings=[]))
    for meeting in problem.meetings:
        groups[root(anchor_of[meeting.id])].meetings.append(meeting)
    for index, slot in enumerate(slots):
        groups[root((slot.areas or (base,))[0])].slots.append(index)
    parts = []
    for key in sorted(groups):
        parts += _cut(problem, slots, groups[key], size, anchor_of)
    return parts


def _cut(problem: PlanningProblem, slots: list[Slot], part: Part, size: int,
         anchor_of: dict[str, int]) -> list[Part]:  # fmt: skip
    """A part cut into pieces of at most `size` meetings; a part with pinned or kept meetings
    is never separated from their days."""
    fixed = any(m.pin_team or m.keep_team for m in part.meetings)
    if len(part.meetings) <= size or fixed or not part.slots:
        return [part]
    travel = problem.travel_s
    groups = _halves(problem, part.meetings, size)
    pieces = [Part(slots=[], meetings=group) for group in groups]
    work = [sum(m.duration_s + travel[anchor_of[m.id]][m.location] * 2 for m in group)
            for group in groups]  # fmt: skip
    trips: dict[int, list[int]] = defaultdict(list)
    for index in part.slots:
        trips[slots[index].trip].append(index)
    day_s = problem.day_end_s - problem.day_start_s
    given = [0.0] * len(pieces)
    for trip in sorted(trips.values(), key=lambda t: (-len(t), t[0])):
        neediest = max(range(len(pieces)), key=lambda i: (work[i] - given[i], -i))
        pieces[neediest].slots += trip
        given[neediest] += len(trip) * day_s
    return [piece for piece in pieces if piece.meetings or piece.slots]


def _halves(problem: PlanningProblem, meetings: list[Meeting], size: int) -> list[list[Meeting]]:
    """Meetings cut in two, again and again, until no group has more than `size`: between two
    far-apart meetings, each side takes the half nearer to its end."""
    if len(meetings) <= size:
        return [meetings]
    travel = problem.travel_s
    first = meetings[0].location
    a = max(meetings, key=lambda m: (travel[first][m.location], m.id)).location
    b = max(meetings, key=lambda m: (travel[a][m.location], m.id)).location
    ordered = sorted(meetings, key=lambda m: (travel[a][m.location] - travel[b][m.location], m.id))
    middle = len(ordered) // 2
    return _halves(problem, ordered[:middle], size) + _halves(problem, ordered[middle:], size)
