"""A campaign as a coordinator describes it, and the plan document the service returns
(its format is described in docs/plan-format.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from outreach.domain.gazetteer import Kato, Kind, Names, Position
from outreach.domain.grouping import GroupingPolicyInput

PlanStatus = Literal["draft", "published", "superseded"]
Clock = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"])]


class CampaignSpec(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A season of meetings. `districts` empty = the whole region. Meetings last setup plus
    meeting minutes, plus `minutes_per_10_attendees` per ten expected attendees. Teams start
    from `base` (a settlement; the region's largest city when omitted) and may sleep at
    `lodgings` (settlements; the district centres when omitted) for up to `max_trip_days`
    consecutive working days. Kazakhstan's public holidays are always days off."""

    name: Annotated[str, Meta(min_length=1, max_length=200)] = "Campaign"
    districts: Annotated[list[Kato], Meta(max_length=100)] = []
    kinds: Annotated[list[Kind], Meta(min_length=1)] = msgspec.field(
        default_factory=lambda: ["town", "village", "station"]
    )
    start: date
    end: date
    weekdays: Annotated[
        list[Annotated[int, Meta(ge=0, le=6)]], Meta(min_length=1, max_length=7)
    ] = msgspec.field(default_factory=lambda: [0, 1, 2, 3, 4])
    days_off: Annotated[list[date], Meta(max_length=366)] = []
    teams: Annotated[int, Meta(ge=1, le=50)] = 3
    base: Kato | None = None
    lodgings: Annotated[list[Kato], Meta(max_length=500)] | None = None
    day_start: Clock = "09:00"
    day_end: Clock = "18:00"
    setup_min: Annotated[int, Meta(ge=0, le=600)] = 30
    meeting_min: Annotated[int, Meta(ge=1, le=600)] = 90
    minutes_per_10_attendees: Annotated[float, Meta(ge=0, le=60)] = 0.0
    max_trip_days: Annotated[int, Meta(ge=1, le=14)] = 5
    time_limit_s: Annotated[float, Meta(gt=0, le=120)] = 8.0
    seed: int = 0
    policy: GroupingPolicyInput = msgspec.field(default_factory=GroupingPolicyInput)


class Place(msgspec.Struct, frozen=True, kw_only=True):
    """A base, lodging or hub: its id (a KATO code), names and position."""

    id: str
    kind: Literal["base", "lodging", "meeting"]
    names: Names
    position: Position


class PlanMember(msgspec.Struct, frozen=True, kw_only=True):
    """A village invited to a meeting; `approximate` when its position is a fallback."""

    kato: str
    names: Names
    population: int | None
    approximate: bool


class PlannedMeeting(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting with its team, date, times (local, HH:MM) and place in the day's route;
    team, date and times are null for a meeting the plan could not place."""

    id: str
    hub: Place
    members: list[PlanMember]
    expected_attendance: float
    team: str | None
    date: date | None
    start: Clock | None
    end: Clock | None
    order: int | None


class PlanStop(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting in a day's route, and the leg that led to it."""

    meeting_id: str
    place: str
    arrive: Clock
    start: Clock
    end: Clock
    road_km: float
    travel_min: float


class PlanDay(msgspec.Struct, frozen=True, kw_only=True):
    """A team's working day: where it wakes, its stops in order, where it sleeps."""

    team: str
    date: date
    start_place: str
    end_place: str
    stops: list[PlanStop]
    return_road_km: float
    return_travel_min: float
    finish: Clock
    road_km: float
    travel_min: float


class UnplacedMeeting(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting that did not fit: `too_far_for_a_day`, `no_capacity` or `pinned_day_full`,
    and how many more team-days would make room for it."""

    meeting_id: str
    reason: str
    extra_team_days: int


class PlanTotals(msgspec.Struct, frozen=True, kw_only=True):
    """Totals: road km, meetings, team-days per team and their spread, the last date."""

    road_km: float
    meetings: int
    meetings_placed: int
    villages: int
    team_days: dict[str, int]
    balance_days: int
    last_date: date | None
    extra_team_days_needed: int


class PlanDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A campaign plan, format version 1 (docs/plan-format.md)."""

    format_version: int = 1
    name: str
    spec: CampaignSpec
    gazetteer_version: int | None
    places: list[Place]
    meetings: list[PlannedMeeting]
    days: list[PlanDay]
    unplaced: list[UnplacedMeeting]
    totals: PlanTotals
    solver: dict[str, str | float]
