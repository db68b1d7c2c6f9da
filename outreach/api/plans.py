"""Campaign plans over HTTP: create a draft, list versions, publish, compare, export."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from outreach.api.auth import current_actor
from outreach.api.deps import DB, Geo
from outreach.domain import geojson
from outreach.domain.plan_exports import Lang, day_sheet_html, itinerary_csv, routes_geojson
from outreach.domain.planning import CampaignSpec, PlanDiff, PlanEdits, PlanSummary
from outreach.domain.wire import MAX_INT64
from outreach.services import plans as service

PlanId = Annotated[int, PathParameter(ge=1, le=MAX_INT64, description="plan version id")]
TeamQuery = Annotated[str | None, QueryParameter(max_length=100, description="only this team")]


_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def attachment(filename: str) -> str:
    """A Content-Disposition for a download named after user-given text (a team's name in
    Kazakh, say): an ASCII fallback name, and the real name percent-encoded (RFC 6266), so no
    value can break the header."""
    fallback = _UNSAFE_IN_FILENAME.sub("_", filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class PlanController(Controller):
    """Campaign plans and their versions (draft, published, superseded)."""

    path = "/api/v1/plans"
    tags = ["plans"]

    @post("/", status_code=HTTP_201_CREATED,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def create(self, db: DB, geo: Geo, data: JSONBody[CampaignSpec]) -> service.StoredPlan:
        """Plan a campaign (coordinators) and keep it as a draft: settlements are grouped into
        meetings, and every meeting gets a team, a working day (no weekends or public
        holidays), a start time and a place in that day's route, within working hours, with
        as little road as possible. Meetings that cannot be placed are listed with the reason.
        The document's format is described in docs/plan-format.md."""
        return await service.create_draft(db, geo, data)

    @get("/")
    async def list_plans(
        self, db: DB,
        campaign: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> list[PlanSummary]:  # fmt: skip
        """Plan versions, newest first, of one campaign or of all."""
        return await service.list_plans(db, campaign)

    @get("/{plan_id:int}")
    async def get_plan(self, db: DB, plan_id: PlanId) -> service.StoredPlan:
        """One plan version with its whole document."""
        return await service.get_plan(db, plan_id)

    @post("/{plan_id:int}/publish", status_code=HTTP_200_OK)
    async def publish(self, db: DB, request: Request[Any, Any, Any], plan_id: PlanId
                      ) -> PlanSummary:  # fmt: skip
        """Publish a draft (coordinators): it becomes what field phones receive, and the
        campaign's previously published plan becomes superseded."""
        return await service.publish(db, plan_id, current_actor(request))

    @post("/{plan_id:int}/replan", status_code=HTTP_201_CREATED,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def replan(self, db: DB, geo: Geo, plan_id: PlanId, data: JSONBody[PlanEdits]
                     ) -> service.StoredPlan:  # fmt: skip
        """Re-plan a version with a coordinator's edits (coordinators): pin meetings to a team
        and date, exclude villages, mark meetings held or cancelled. The new draft keeps the
        version's trips, held meetings and pins, and moves as few of its meetings as it can;
        compare the two with `diff`."""
        return await service.replan(db, geo, plan_id, data)

    @get("/{plan_id:int}/diff")
    async def diff(
        self, db: DB, plan_id: PlanId,
        against: Annotated[int, QueryParameter(ge=1, le=MAX_INT64,
                                                description="the earlier plan version")],
    ) -> PlanDiff:  # fmt: skip
        """What changed from plan `against` to this one: meetings added, removed, and moved
        to another team, date or start time."""
        return await service.diff(db, against, plan_id)

    @get("/{plan_id:int}/routes.geojson", media_type=geojson.GEOJSON_MEDIA_TYPE)
    async def routes(self, db: DB, request: Request[Any, Any, Any], plan_id: PlanId
                     ) -> geojson.FeatureCollection:  # fmt: skip
        """The plan as GeoJSON: each meeting's hub as a point, each team-day's route as a line
        from where the team wakes, through its meetings, to where it sleeps ([lon, lat])."""
        return routes_geojson(await service.export(db, plan_id, "geojson", current_actor(request)))

    @get("/{plan_id:int}/itinerary.csv", media_type="text/csv; charset=utf-8")
    async def itinerary(self, db: DB, request: Request[Any, Any, Any], plan_id: PlanId,
                        team: TeamQuery = None) -> Response[str]:  # fmt: skip
        """The itinerary as CSV, one row per meeting in team, date and route order."""
        document = await service.export(db, plan_id, "csv", current_actor(request))
        disposition = attachment(f"plan-{plan_id}-{team or 'all'}.csv")
        return Response(itinerary_csv(document, team), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": disposition})  # fmt: skip

    @get("/{plan_id:int}/day-sheet", media_type=MediaType.HTML)
    async def day_sheet(
        self, db: DB, request: Request[Any, Any, Any], plan_id: PlanId,
        team: Annotated[str, QueryParameter(max_length=100, description="the team")],
        day: Annotated[date, QueryParameter(name="date", description="the working day")],
        lang: Annotated[Lang, QueryParameter(description="kk (default), ru or en")] = "kk",
    ) -> str:  # fmt: skip
        """A printable page for one team's day: where it leaves from, each meeting with its
        times and villages, where it spends the night."""
        document = await service.export(db, plan_id, "day_sheet", current_actor(request))
        return day_sheet_html(document, team, day, lang)
