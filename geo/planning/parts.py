"""Splitting a large planning problem into parts the routing solver fills one after another.

A part is a set of areas (anchors) with their meetings and the trips made for them: areas
joined by a trip that moves between their lodgings, by a pin or by a kept day stay together.
A part larger than `PART_MEETINGS` is cut in halves between far-apart meetings until no piece
is larger; a trip holding pinned or kept meetings goes with them (all to one piece), and the
other trips are dealt to the pieces by their share of the work. A
small problem is one part, so nothing is lost to the cut where the solver can see it whole.
"""

from __future__ import annotations

from collections import Counter, defaultdict

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
    """A part cut into pieces of about `size` meetings. A trip holding pinned or kept meetings
    goes to the piece holding most of them, and the rest of them follow it there, so that
    each stays with its day (a re-plan keeps every meeting placed before); the other trips
    are dealt to the pieces by their share of the work."""
    if len(part.meetings) <= size or not part.slots:
        return [part]
    groups = _halves(problem, part.meetings, size)
    piece_of = {m.id: n for n, group in enumerate(groups) for m in group}
    trips: dict[int, list[int]] = defaultdict(list)
    for index in part.slots:
        trips[slots[index].trip].append(index)
    owner = _owners(slots, part, piece_of)
    pieces = [Part(slots=[], meetings=[]) for _ in groups]
    for meeting in part.meetings:
        pieces[piece_of[meeting.id]].meetings.append(meeting)
    travel = problem.travel_s
    work = [sum(m.duration_s + travel[anchor_of[m.id]][m.location] * 2 for m in piece.meetings)
            for piece in pieces]  # fmt: skip
    day_s = problem.day_end_s - problem.day_start_s
    given = [0.0] * len(pieces)
    for trip, piece in sorted(owner.items()):
        pieces[piece].slots += trips[trip]
        given[piece] += len(trips[trip]) * day_s
    free = [t for t in trips.values() if slots[t[0]].trip not in owner]
    for trip_slots in sorted(free, key=lambda t: (-len(t), t[0])):
        neediest = max(range(len(pieces)), key=lambda i: (work[i] - given[i], -i))
        pieces[neediest].slots += trip_slots
        given[neediest] += len(trip_slots) * day_s
    return [piece for piece in pieces if piece.meetings or piece.slots]


def _owners(slots: list[Slot], part: Part, piece_of: dict[str, int]) -> dict[int, int]:
    """trip -> the piece holding most of its pinned or kept meetings (the lowest on a tie);
    `piece_of` is changed in place so that all of them are in that piece."""
    trip_at = {(slots[i].team_id, slots[i].date): slots[i].trip for i in part.slots}
    held: dict[int, list[str]] = defaultdict(list)
    for meeting in part.meetings:
        team, day = (meeting.pin_team, meeting.pin_date) if meeting.pin_team else (
            meeting.keep_team, meeting.keep_date)  # fmt: skip
        trip = trip_at.get((team or "", day)) if day else None
        if trip is not None:
            held[trip].append(meeting.id)
    owner: dict[int, int] = {}
    for trip, ids in sorted(held.items()):
        counts = Counter(piece_of[m] for m in ids)
        owner[trip] = min(counts, key=lambda n: (-counts[n], n))
        for meeting_id in ids:
            piece_of[meeting_id] = owner[trip]
    return owner


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
