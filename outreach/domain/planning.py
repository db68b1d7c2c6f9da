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


class PlanSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A stored plan version: `draft` until published; publishing one supersedes the
    campaign's previously published plan. Field phones receive the published plan."""

    id: int
    campaign: str
    status: PlanStatus
    based_on: int | None
    gazetteer_version: int | None
    road_km: float
    meetings: int
    meetings_placed: int
    created_at: str
    published_at: str | None


class MeetingMove(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting whose team, date or start changed between two plans (null: not placed)."""

    meeting_id: str
    before: str | None
    after: str | None


class PlanDiff(msgspec.Struct, frozen=True, kw_only=True):
    """What changed from plan `from_id` to plan `to_id`: meetings added and removed (by id,
    i.e. by hub), and meetings moved to another team, date or time."""

    from_id: int
    to_id: int
    added: list[str]
    removed: list[str]
    moved: list[MeetingMove]
    unchanged: int


def plan_diff(from_id: int, before: PlanDocument, to_id: int, after: PlanDocument) -> PlanDiff:
    """The difference between two plan documents."""

    def slots(document: PlanDocument) -> dict[str, str | None]:
        return {m.id: (f"{m.team} {m.date} {m.start}" if m.team else None)
                for m in document.meetings}  # fmt: skip

    old, new = slots(before), slots(after)
    moved = [MeetingMove(meeting_id=i, before=old[i], after=new[i])
             for i in sorted(old.keys() & new.keys()) if old[i] != new[i]]  # fmt: skip
    return PlanDiff(
        from_id=from_id, to_id=to_id, added=sorted(new.keys() - old.keys()),
        removed=sorted(old.keys() - new.keys()), moved=moved,
        unchanged=len(old.keys() & new.keys()) - len(moved),
    )  # fmt: skip
