"""Where a meeting's phone was: the distance from the planned hub, the warning when it is too
far (allowing for the fix's accuracy), and when a fix may suggest where a village really is."""

from __future__ import annotations

from datetime import date
from typing import Literal, TypeVar

import msgspec

from geo.distance import SPHERE_MARGIN
from outreach.domain.gazetteer import Kato, LocationQuality, Names, Position
from outreach.domain.plausibility import distance_m, sphere_m

MAX_SUGGESTION_ACCURACY_M = 1000.0
"""A fix less precise than this (or of unknown accuracy) never suggests a village's position."""


class MeetingFix(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting record that carries the phone's position, as the server stores it; `by` is
    the login of the field user whose phone sent it first."""

    id: str
    team: str
    status: str
    date: date | None
    start: str | None
    hub: str
    plan_id: int | None
    plan_meeting: str | None
    position: Position
    accuracy_m: float | None
    by: str | None
    created_at: str


class PlannedHub(msgspec.Struct, frozen=True, kw_only=True):
    """The village the meeting was planned at: the published plan's hub when the record names
    its plan meeting (`source: "plan"`), else the record's own `hub` (`source: "record"`).
    `position` is the gazetteer's (the fallback when `quality` is not `exact`: then only
    approximate), null when unknown."""

    kato: Kato
    names: Names | None
    position: Position | None
    quality: LocationQuality | None
    source: Literal["plan", "record"]


class MeetingPosition(msgspec.Struct, frozen=True, kw_only=True):
    """A held meeting's recorded position beside its planned hub: `distance_km` between the
    two (null when the hub has no position), and `far` when the distance less the fix's
    accuracy exceeds the threshold. `hub` is where the team says it met."""

    id: str
    team: str
    date: date | None
    start: str | None
    hub: Kato
    planned_hub: PlannedHub
    position: Position
    accuracy_m: float | None
    distance_km: float | None
    far: bool


class MeetingPositionPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of meeting positions, newest first; `total` and `far` count every match,
    `threshold_km` is the warning's distance, `next_offset` is null on the last page."""

    items: list[MeetingPosition]
    total: int
    far: int
    threshold_km: float
    limit: int
    offset: int
    next_offset: int | None


_Dated = TypeVar("_Dated", "MeetingFix", "MeetingPosition")


def is_far(distance: float, accuracy_m: float | None, threshold_m: float) -> bool:
    """Whether a fix `distance` metres from the hub is beyond the threshold even if the phone
    was as close as its accuracy allows (an unknown accuracy counts as none)."""
    return distance - (accuracy_m or 0.0) > threshold_m


def far_from(position: Position, hub: Position, accuracy_m: float | None,
             threshold_m: float) -> bool:  # fmt: skip
    """is_far for a fix at `position` and its hub, with the geodesic worked out only when the
    distance on the sphere, give or take its margin, leaves it in doubt: nearly every fix is
    plainly near or plainly far, and a geodesic costs a hundred times as much."""
    rough = sphere_m(position, hub)
    if is_far(rough * (1 - SPHERE_MARGIN), accuracy_m, threshold_m):
        return True
    if not is_far(rough * (1 + SPHERE_MARGIN), accuracy_m, threshold_m):
        return False
    return is_far(distance_m(position, hub), accuracy_m, threshold_m)


def may_suggest(fix: MeetingFix, quality: LocationQuality | None) -> bool:
    """Whether a meeting's fix suggests its hub village's position: a held meeting, at a village
    whose gazetteer position is only approximate, with a fix of known, good accuracy."""
    return (
        fix.status == "held"
        and quality is not None
        and quality != "exact"
        and fix.accuracy_m is not None
        and fix.accuracy_m <= MAX_SUGGESTION_ACCURACY_M
    )


def newest_first(items: list[_Dated]) -> list[_Dated]:
    """Meetings (or their fixes) by date and start, the newest first (undated ones last)."""
    return sorted(items, key=lambda m: (m.date or date.min, m.start or "", m.id), reverse=True)
