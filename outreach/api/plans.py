"""Campaign plans over HTTP: create a draft (at once or streaming its progress), list versions,
check and publish, compare, export, announce."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from outreach.api.auth import current_actor
from outreach.api.deps import DB, Geo
from outreach.api.progress import NDJSON, ndjson_stream
from outreach.domain import geojson
from outreach.domain.announcements import Announcement, announcements, notice_html
from outreach.domain.plan_checks import PlanChecks, PublishOptions
from outreach.domain.plan_exports import Lang, day_sheet_html, itinerary_csv, routes_geojson
from outreach.domain.planning import CampaignSpec, PlanDiff, PlanEdits, PlanSummary
from outreach.domain.spreadsheet import BOM
from outreach.domain.wire import MAX_INT64
from outreach.services import plans as service

PlanId = Annotated[int, PathParameter(ge=1, le=MAX_INT64, description="plan version id")]
LangQuery = Annotated[Lang, QueryParameter(description="kk (default), ru or en")]
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
    async def create(self, db: DB, geo: Geo, request: Request[Any, Any, Any],
                     data: JSONBody[CampaignSpec]) -> service.StoredPlan:  # fmt: skip
        """Plan a campaign (coordinators) and keep it as a draft: settlements are grouped into
        meetings, and every meeting gets a team, a working day (no weekends or public
        holidays), a start time and a place in that day's route, within working hours, with
        as little road as possible. Meetings that cannot be placed are listed with the reason.
        The document's format is described in docs/plan-format.md."""
        return await service.create_draft(db, geo, data, created_by=current_actor(request).login)

    @post("/stream", status_code=HTTP_200_OK, media_type=NDJSON,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def create_streamed(self, db: DB, geo: Geo, request: Request[Any, Any, Any],
                              data: JSONBody[CampaignSpec]) -> Stream:  # fmt: skip
        """Plan a campaign as `POST /api/v1/plans` does, answering at once with one JSON line
        per stage as it begins (NDJSON): `loading`, `grouping` (`villages`), `distances`
        (`meetings`), `routing` (`meetings`, `time_limit_s`), `saving`; the current stage again
        with only `at_s` every second while it lasts; last `done` with the stored `plan`
        (a PlanSummary), or `error` with the usual error body. A body that does not decode is
        refused with 400 before any line."""
        lines = service.stream_draft(db, geo, data, current_actor(request).login)
        return ndjson_stream(request, lines)

    @post("/{plan_id:int}/replan/stream", status_code=HTTP_200_OK, media_type=NDJSON,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def replan_streamed(self, db: DB, geo: Geo, request: Request[Any, Any, Any],
                              plan_id: PlanId, data: JSONBody[PlanEdits]) -> Stream:  # fmt: skip
        """Re-plan as `replan` does, answering with the lines of `POST /api/v1/plans/stream`;
        an unknown plan is refused with 404 before any line."""
        lines = await service.stream_replan(db, geo, plan_id, data, current_actor(request).login)
        return ndjson_stream(request, lines)

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
    async def publish(self, db: DB, request: Request[Any, Any, Any], plan_id: PlanId,
                      data: JSONBody[PublishOptions | None] = None) -> PlanSummary:  # fmt: skip
        """Publish a draft (coordinators): it becomes what field phones receive, and the
        campaign's previously published plan becomes superseded. The body is optional. If a
        team would have meetings on a date that another campaign's published plan also gives
        it, publishing is refused (409 `double_booking`, each booking in `details`) unless
        the body says `{"confirm_double_booking": true}`; that publication is audited."""
        confirm = data is not None and data.confirm_double_booking
        return await service.publish(db, plan_id, current_actor(request), confirm)

    @get("/{plan_id:int}/checks")
    async def checks(self, db: DB, plan_id: PlanId) -> PlanChecks:
        """What to look at before publishing: `double_bookings` (a team's date that a
        published plan of another campaign also uses), `unplaced` meetings with the reason,
        and meetings at `approximate_hubs` (hub villages without a surveyed position)."""
        return await service.checks(db, plan_id)

    @post("/{plan_id:int}/replan", status_code=HTTP_201_CREATED,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def replan(self, db: DB, geo: Geo, request: Request[Any, Any, Any], plan_id: PlanId,
                     data: JSONBody[PlanEdits]) -> service.StoredPlan:  # fmt: skip
        """Re-plan a version with a coordinator's edits (coordinators): pin meetings to a team
        and date, exclude villages, mark meetings held or cancelled. The new draft keeps the
        version's trips, held meetings and pins, and moves as few of its meetings as it can;
        compare the two with `diff`."""
        return await service.replan(db, geo, plan_id, data, current_actor(request).login)

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

    @get("/{plan_id:int}/itinerary.csv", media_type="text/csv")
    async def itinerary(self, db: DB, request: Request[Any, Any, Any], plan_id: PlanId,
                        team: TeamQuery = None) -> Response[str]:  # fmt: skip
        """The itinerary as CSV, one row per meeting in team, date and route order."""
        document = await service.export(db, plan_id, "csv", current_actor(request))
        disposition = attachment(f"plan-{plan_id}-{team or 'all'}.csv")
        return Response(BOM + itinerary_csv(document, team), media_type="text/csv",
                        headers={"content-disposition": disposition})  # fmt: skip

    @get("/{plan_id:int}/day-sheet", media_type=MediaType.HTML)
    async def day_sheet(
        self, db: DB, request: Request[Any, Any, Any], plan_id: PlanId,
        team: Annotated[str, QueryParameter(max_length=100, description="the team")],
        day: Annotated[date, QueryParameter(name="date", description="the working day")],
        lang: LangQuery = "kk",
        days: Annotated[int, QueryParameter(ge=1, le=14, description="consecutive calendar "
                                            "days from `date` (1 to 14)")] = 1,
    ) -> str:  # fmt: skip
        """A printable sheet of one team's day, or of `days` calendar days from `date` (days
        without meetings left out), a page each: where the team leaves from, each meeting with
        its times and villages, where it spends the night."""
        document = await service.export(db, plan_id, "day_sheet", current_actor(request))
        return day_sheet_html(document, team, day, lang, days)

    @get("/{plan_id:int}/announcements")
    async def announcements(self, db: DB, request: Request[Any, Any, Any], plan_id: PlanId,
                            lang: LangQuery = "kk") -> list[Announcement]:  # fmt: skip
        """Every planned meeting with a short message (at most 500 characters, for SMS or
        WhatsApp) to its akimat in the language: date, time, hub village, the villages
        gathered, what the meeting is about, and a request to invite residents and
        entrepreneurs."""
        document = await service.export(db, plan_id, "announcements", current_actor(request))
        return announcements(document, lang)

    @get("/{plan_id:int}/notice", media_type=MediaType.HTML)
    async def notice(
        self, db: DB, request: Request[Any, Any, Any], plan_id: PlanId,
        meeting: Annotated[str, QueryParameter(max_length=100, description="the meeting id")],
        lang: LangQuery = "kk",
    ) -> str:  # fmt: skip
        """A printable A4 poster of one meeting for the village notice board, self-contained
        (no external file): the content of its announcement."""
        document = await service.export(db, plan_id, "notice", current_actor(request))
        return notice_html(document, meeting, lang)
