"""Meetings over HTTP for coordinators: where the phones were when meetings were saved."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import QueryParameter

from outreach.api.auth import current_actor
from outreach.api.deps import DB
from outreach.config import Settings
from outreach.domain.gazetteer import Page
from outreach.domain.meeting_positions import MeetingPositionPage
from outreach.domain.wire import MAX_INT64
from outreach.services import meeting_positions as service

FarQuery = Annotated[
    bool, QueryParameter(description="only the meetings beyond the warning's distance")
]
TeamQuery = Annotated[str | None, QueryParameter(max_length=100, description="team name")]
LimitQuery = Annotated[int, QueryParameter(ge=1, le=1000, description="page size")]
OffsetQuery = Annotated[int, QueryParameter(ge=0, le=MAX_INT64, description="items to skip")]


class MeetingController(Controller):
    """Meetings as coordinators check them."""

    path = "/api/v1/meetings"
    tags = ["meetings"]

    @get("/positions")
    async def positions(
        self, db: DB, request: Request[Any, Any, Any], far: FarQuery = False,
        team: TeamQuery = None, limit: LimitQuery = 200, offset: OffsetQuery = 0,
    ) -> MeetingPositionPage:  # fmt: skip
        """Held meetings whose phone recorded its position when they were saved (coordinators
        and admins; never leadership), newest first: the position and its accuracy, the
        planned hub (the published plan's, or the record's own `hub`) with its gazetteer
        position and quality (not `exact`: only approximate), the distance between the two,
        and `far` when that distance less the accuracy exceeds `threshold_km`
        (OUTREACH_MEETING_DISTANCE_WARN_KM). Every read is audited."""
        settings: Settings = request.app.state.settings
        where = service.PositionFilter(far_only=far, team=team)
        return await service.positions(db, settings.meeting_distance_warn_km, where,
                                       Page(limit=limit, offset=offset),
                                       current_actor(request))  # fmt: skip
