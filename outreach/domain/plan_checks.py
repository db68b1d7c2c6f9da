"""What a coordinator checks before publishing a plan: teams booked twice on one date by
plans of different campaigns, meetings that did not fit, and hubs placed only approximately."""

from __future__ import annotations

from datetime import date

import msgspec

from outreach.domain.errors import Conflict
from outreach.domain.gazetteer import LocationQuality
from outreach.domain.planning import PlanDocument, UnplacedMeeting


class BookedDay(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting's team and date (null when it is not placed)."""

    team: str | None
    date: date | None


class PlanBookings(msgspec.Struct, frozen=True, kw_only=True):
    """The placed meetings' team-days of a published plan."""

    plan_id: int
    campaign: str
    days: list[BookedDay]


class DoubleBooking(msgspec.Struct, frozen=True, kw_only=True):
    """`team` has meetings on `date` in this plan and in published plan `plan_id` of another
    `campaign`."""

    team: str
    date: date
    campaign: str
    plan_id: int


class ApproximateHub(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting whose hub village (`hub`, a KATO code) has no surveyed position: the plan
    placed it at a fallback. `quality` is the village's location quality in the gazetteer now
    (`okrug_centre`, `district_centre`, `unknown`; `exact` when corrected since: re-plan)."""

    meeting_id: str
    hub: str
    quality: LocationQuality


class PlanChecks(msgspec.Struct, frozen=True, kw_only=True):
    """What to look at before publishing: `double_bookings` (publishing needs confirmation),
    `unplaced` meetings with the reason, and meetings at `approximate_hubs`."""

    double_bookings: list[DoubleBooking]
    unplaced: list[UnplacedMeeting]
    approximate_hubs: list[ApproximateHub]


class DoubleBooked(Conflict):
    """Publishing would book a team twice on a date (another campaign's published plan has it
    too); `details` lists each booking. Publish again with `confirm_double_booking`."""

    code = "double_booking"
    status = 409


def double_bookings(document: PlanDocument, published: list[PlanBookings]) -> list[DoubleBooking]:
    """Team-dates of this plan's meetings that published plans of other campaigns also use
    (`published` must not hold this plan's own campaign), in team, date, plan order."""
    ours = {(m.team, m.date) for m in document.meetings if m.team and m.date}
    found = {
        (day.team, day.date, other.campaign, other.plan_id)
        for other in published
        for day in other.days
        if day.team and day.date and other.campaign != document.name
        and (day.team, day.date) in ours
    }  # fmt: skip
    return [DoubleBooking(team=t, date=d, campaign=c, plan_id=p)
            for t, d, c, p in sorted(found, key=lambda b: (b[0], b[1], b[3]))]  # fmt: skip


def approximate_hubs(document: PlanDocument, quality: dict[str, LocationQuality]
                     ) -> list[ApproximateHub]:  # fmt: skip
    """Meetings whose hub village is marked approximate in the plan; `quality` maps KATO codes
    to the gazetteer's location quality (`unknown` for a village no longer there)."""
    found = []
    for meeting in document.meetings:
        hub = meeting.hub.id.removeprefix("g-")
        member = next((m for m in meeting.members if m.kato == hub), None)
        if member is not None and member.approximate:
            found.append(ApproximateHub(meeting_id=meeting.id, hub=hub,
                                        quality=quality.get(hub, "unknown")))  # fmt: skip
    return found


def plan_checks(document: PlanDocument, published: list[PlanBookings],
                quality: dict[str, LocationQuality]) -> PlanChecks:  # fmt: skip
    """Every check of a plan before it is published."""
    return PlanChecks(
        double_bookings=double_bookings(document, published),
        unplaced=list(document.unplaced),
        approximate_hubs=approximate_hubs(document, quality),
    )


def booking_details(bookings: list[DoubleBooking]) -> list[dict[str, object]]:
    """The bookings as an error's `details`."""
    return [
        {"team": b.team, "date": b.date.isoformat(), "campaign": b.campaign, "plan_id": b.plan_id}
        for b in bookings
    ]


class PublishOptions(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How to publish: `confirm_double_booking` publishes even though a team is booked on a
    date by another campaign's published plan too."""

    confirm_double_booking: bool = False
