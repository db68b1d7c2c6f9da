"""What a coordinator asks of a meeting-group preview: the scope and the grouping policy."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from outreach.domain.gazetteer import Kato


class ForcedGroup(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Settlements a coordinator wants gathered at one meeting, optionally at a chosen hub."""

    members: Annotated[list[Kato], Meta(min_length=2, max_length=100)]
    hub: Kato | None = None


class GroupingPolicyInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How settlements are gathered into meetings.

    `max_gathering_km` is a road distance (geodesic distance × the detour factor). Expected
    attendance is population × `turnout_share`; `max_expected_attendance` caps it per meeting.
    """

    max_gathering_km: Annotated[float, Meta(gt=0, le=200)] = 15.0
    allow_cross_okrug: bool = False
    max_expected_attendance: Annotated[int, Meta(ge=1)] | None = None
    turnout_share: Annotated[float, Meta(gt=0, le=1)] = 0.3
    solo: Annotated[list[Kato], Meta(max_length=10_000)] = []
    forced_groups: Annotated[list[ForcedGroup], Meta(max_length=1_000)] = []


class GroupingRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A preview of meeting groups for some districts (all districts when the list is empty)."""

    districts: Annotated[list[Kato], Meta(max_length=100)] = []
    policy: GroupingPolicyInput = msgspec.field(default_factory=GroupingPolicyInput)
