"""A campaign as a coordinator describes it, and the plan document the service returns
(its format is described in docs/plan-format.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from geo.planning.types import DAY_COST_KM
from outreach.domain.gazetteer import Kato, Kind, Names, Position
from outreach.domain.grouping import GroupingPolicyInput

PlanStatus = Literal["draft", "published", "superseded"]
Stage = Literal["loading", "grouping", "distances", "routing", "saving"]
MeetingStatus = Literal["planned", "held", "unplaced", "cancelled"]
Clock = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"])]


MeetingId = Annotated[str, Meta(pattern=r"^g-[0-9]{9}$", description="g-<hub KATO>")]


class Pin(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A coordinator fixes a meeting to a team and a date."""

    meeting_id: MeetingId
    team: Annotated[str, Meta(pattern=r"^team-[0-9]{1,2}$")]
    date: date


class PlanEdits(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A coordinator's changes for a re-plan, added to those the plan already had: meetings
    pinned to a team and date, villages excluded, meetings held (kept where they were) or
    cancelled (dropped from the plan)."""

    pins: Annotated[list[Pin], Meta(max_length=1000)] = []
    exclude: Annotated[list[Kato], Meta(max_length=10_000)] = []
    held: Annotated[list[MeetingId], Meta(max_length=10_000)] = []
    cancelled: Annotated[list[MeetingId], Meta(max_length=10_000)] = []


class CampaignSpec(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A season of meetings. `districts` empty = the whole region. Meetings last setup plus
    meeting minutes, plus `minutes_per_10_attendees` per ten expected attendees. Teams start
    from `base` (a settlement; the region's largest city when omitted) and may sleep at
    `lodgings` (settlements; the district centres when omitted) for up to `max_trip_days`
    consecutive working days. A team-day is worth `day_cost_km` road km: the planner minimises
    road km plus that for each team-day, so it drives up to that much further to save a day
    (0: road km alone). Kazakhstan's public holidays are always days off. Coordinators'
    edits: `pins` (meeting to team and date), `exclude` (villages left out), `held` (meetings
    that took place: kept where the revised plan had them) and `cancelled` meetings."""

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
    day_cost_km: Annotated[float, Meta(ge=0, le=5000)] = DAY_COST_KM
    time_limit_s: Annotated[float, Meta(gt=0, le=120)] = 8.0
    policy: GroupingPolicyInput = msgspec.field(default_factory=GroupingPolicyInput)
    pins: Annotated[list[Pin], Meta(max_length=1000)] = []
    exclude: Annotated[list[Kato], Meta(max_length=10_000)] = []
    held: Annotated[list[MeetingId], Meta(max_length=10_000)] = []
    cancelled: Annotated[list[MeetingId], Meta(max_length=10_000)] = []

    def with_edits(self, edits: PlanEdits) -> CampaignSpec:
        """This campaign with a coordinator's further edits (a new pin of a meeting wins)."""
        pinned = {pin.meeting_id for pin in edits.pins}
        return msgspec.structs.replace(
            self,
            pins=[p for p in self.pins if p.meeting_id not in pinned] + list(edits.pins),
            exclude=sorted(set(self.exclude) | set(edits.exclude)),
            held=sorted(set(self.held) | set(edits.held)),
            cancelled=sorted(set(self.cancelled) | set(edits.cancelled)),
        )


class Place(msgspec.Struct, frozen=True, kw_only=True):
    """A base, lodging or hub: its id (a KATO code), names and position. `approximate` when
    the position is a fallback (the okrug's or the district's centre): distances to and from
    it are estimates. `position` is null only for a hub no position is known for at all (its
    meeting is then unplaced, `no_position`)."""

    id: str
    kind: Literal["base", "lodging", "meeting"]
    names: Names
    position: Position | None
    approximate: bool = False


class PlanMember(msgspec.Struct, frozen=True, kw_only=True):
    """A village invited to a meeting; `approximate` when its position is a fallback."""

    kato: str
    names: Names
    population: int | None
    approximate: bool


class PlannedMeeting(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting with its team, date, times (local, HH:MM) and place in the day's route;
    `status` is `planned`, `held` (kept as it took place), `unplaced` or `cancelled` (team,
    date and times null for the last two)."""

    id: str
    status: MeetingStatus
    hub: Place
    members: list[PlanMember]
    expected_attendance: float
    team: str | None
    date: date | None
    start: Clock | None
    end: Clock | None
    order: int | None


class PlanStop(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting in a day's route, and the leg that led to it; `approximate` when either end of
    the leg is an approximate position (its road km and minutes are estimates)."""

    meeting_id: str
    place: str
    arrive: Clock
    start: Clock
    end: Clock
    road_km: float
    travel_min: float
    approximate: bool = False


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
    return_approximate: bool = False


class UnplacedMeeting(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting that was not placed: `too_far_for_a_day`, `no_capacity`, `pinned_day_full`
    or `no_position` (neither its villages nor their okrug's or district's centre have a
    known position), how many more team-days would make room for it, and `detail`: why, in
    words and figures. Too far for a day: `shortest_day_min`, the shortest day that could
    hold it (from the best base or lodging, the meeting included), beside `working_day_min`."""

    meeting_id: str
    reason: str
    extra_team_days: int
    detail: str | None = None
    shortest_day_min: int | None = None
    working_day_min: int | None = None


class PlanTotals(msgspec.Struct, frozen=True, kw_only=True):
    """Totals: road km, meetings, team-days per team and their spread, the last date, the
    team-days more that would place what did not fit, and the team-days with no meeting (a
    drive between base and lodgings only)."""

    road_km: float
    meetings: int
    meetings_placed: int
    villages: int
    team_days: dict[str, int]
    balance_days: int
    last_date: date | None
    extra_team_days_needed: int
    travel_only_days: int = 0


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
    campaign's previously published plan. Field phones receive the published plan.
    `created_by` is the login of the coordinator who made the version (null for older ones)."""

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
    created_by: str | None = None


class PlanningStep(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A stage of planning as it begins: `loading` the gazetteer, `grouping` `villages` into
    meetings, `distances` between `meetings`, `routing` them within `time_limit_s`, `saving`;
    then, for a long stage, how far it is: `done` of `total` (pools of villages grouped, rows
    of distances computed, meetings routed: a large region is routed in parts)."""

    stage: Stage
    villages: int | None = None
    meetings: int | None = None
    time_limit_s: float | None = None
    done: int | None = None
    total: int | None = None


Progress = Callable[[PlanningStep], None]


class MeetingMove(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting whose team, date or start changed between two plans (null: not placed)."""

    meeting_id: str
    before: str | None
    after: str | None


class PlanDiff(msgspec.Struct, frozen=True, kw_only=True):
    """What changed from plan `from_id` to plan `to_id`: meetings added and removed (by id,
    i.e. by hub), `moved` to another team or date (or placed / no longer placed), and
    `retimed` on the same team and date."""

    from_id: int
    to_id: int
    added: list[str]
    removed: list[str]
    moved: list[MeetingMove]
    retimed: list[MeetingMove]
    unchanged: int


def plan_diff(from_id: int, before: PlanDocument, to_id: int, after: PlanDocument) -> PlanDiff:
    """The difference between two plan documents."""

    def slots(document: PlanDocument) -> dict[str, str | None]:
        return {m.id: (f"{m.team} {m.date} {m.start}" if m.team else None)
                for m in document.meetings}  # fmt: skip

    def day(slot: str | None) -> str | None:
        return None if slot is None else slot.rsplit(" ", 1)[0]

    old, new = slots(before), slots(after)
    changed = [MeetingMove(meeting_id=i, before=old[i], after=new[i])
               for i in sorted(old.keys() & new.keys()) if old[i] != new[i]]  # fmt: skip
    moved = [c for c in changed if day(c.before) != day(c.after)]
    return PlanDiff(
        from_id=from_id, to_id=to_id, added=sorted(new.keys() - old.keys()),
        removed=sorted(old.keys() - new.keys()), moved=moved,
        retimed=[c for c in changed if day(c.before) == day(c.after)],
        unchanged=len(old.keys() & new.keys()) - len(changed),
    )  # fmt: skip
