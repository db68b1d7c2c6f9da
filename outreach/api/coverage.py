"""Coverage over HTTP: figures at every level, exports (audited), the campaigns to filter by,
a village's meetings for coordinators, and follow-up statuses."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK

from outreach.api.auth import current_actor
from outreach.api.deps import DB, CoverageCacheDep
from outreach.domain import coverage_exports as exports
from outreach.domain.coverage import Coverage
from outreach.domain.coverage_campaigns import Campaigns
from outreach.domain.errors import InvalidInput
from outreach.domain.geojson import FeatureCollection
from outreach.domain.records import FollowupFields
from outreach.domain.sync import RecordOut
from outreach.domain.wire import MAX_INT64
from outreach.services import coverage as service
from outreach.services import coverage_campaigns, followups, sync_records

Campaign = Annotated[
    int | None, QueryParameter(ge=1, le=MAX_INT64, description="a published plan's id")
]
District = Annotated[str | None, QueryParameter(pattern=r"^\d{9}$", description="district KATO")]
Okrug = Annotated[str | None, QueryParameter(pattern=r"^\d{9}$", description="rural okrug KATO")]
Team = Annotated[str | None, QueryParameter(max_length=100, description="team name")]
From = Annotated[date | None, QueryParameter(name="from", description="first day, inclusive")]
To = Annotated[date | None, QueryParameter(name="to", description="last day, inclusive")]
LevelParam = Annotated[str, QueryParameter(description="one of " + ", ".join(exports.LEVELS))]
DelimiterParam = Annotated[
    exports.Delimiter, QueryParameter(description="comma (default) or semicolon")
]


def provide_filter(
    campaign: Campaign = None,
    district: District = None,
    okrug: Okrug = None,
    team: Team = None,
    first: From = None,
    last: To = None,
) -> service.CoverageFilter:
    """The coverage filter every coverage operation takes from its query string."""
    if first and last and first > last:
        raise InvalidInput("`from` is after `to`")
    return service.CoverageFilter(
        campaign=campaign,
        district=district,
        okrug=okrug,
        team=team,
        date_from=first,
        date_to=last,
    )


Where = NamedDependency[service.CoverageFilter]


class Version(msgspec.Struct, frozen=True):
    """Changes whenever coverage may change (new records, a published plan, a gazetteer
    correction): poll it, and fetch coverage again when it moves."""

    version: str


class CoverageController(Controller):
    """How far the outreach has gone, for leadership (counts only) and coordinators."""

    path = "/api/v1"
    tags = ["coverage"]
    dependencies = {"where": Provide(provide_filter, sync_to_thread=False)}

    @get("/coverage")
    async def coverage(
        self,
        db: DB,
        where: Where,
        cache: CoverageCacheDep,
    ) -> Coverage:
        """Villages reached of villages in scope, residents reached of known population
        (unknown population is reported as unknown, never zero), meetings held against
        planned, road km, referrals by programme: overall and per district, okrug, team,
        campaign and ISO week; the progress week by week (cumulative); the follow-up funnel
        per district and per programme; and every village in scope. No names or phone
        numbers."""
        return await service.coverage(db, where, cache)

    @get("/coverage/campaigns")
    async def campaigns(self, db: DB) -> Campaigns:
        """The published plans (the `campaign` filter's values) by start date, and `current`:
        the one under way today in Kazakhstan (of several, the latest started), else the one
        that ends last; null when none is published."""
        return await coverage_campaigns.periods(db)

    @get("/coverage/version")
    async def version(self, db: DB) -> Version:
        """A number that moves when new records arrive (for dashboards that refresh)."""
        return Version(await service.version(db))

    @get("/coverage.csv")
    async def csv(
        self,
        db: DB,
        request: Request[Any, Any, Any],
        where: Where,
        cache: CoverageCacheDep,
        level: LevelParam = "villages",
        delimiter: DelimiterParam = "comma",
    ) -> Response[str]:
        """One level of coverage as CSV (audited), UTF-8 with a byte-order mark, dates as
        YYYY-MM-DD; names in Kazakh, Russian and English beside every village's, okrug's,
        district's and programme's code. `delimiter=semicolon` for Excel in Russian or Kazakh
        locales."""
        if level not in exports.LEVELS:
            raise InvalidInput(f"level must be one of {', '.join(exports.LEVELS)}")
        found = await service.coverage(db, where, cache)
        villages, areas = await service.gazetteer_villages(db), await service.gazetteer_areas(db)
        text = exports.to_csv(found, level, villages, areas, delimiter)
        await service.audited_export(db, "csv", current_actor(request))
        return Response(
            text,
            media_type="text/csv",
            headers={"content-disposition": f'attachment; filename="coverage-{level}.csv"'},
        )

    @get("/coverage.xlsx")
    async def xlsx(
        self,
        db: DB,
        request: Request[Any, Any, Any],
        where: Where,
        cache: CoverageCacheDep,
    ) -> Response[bytes]:
        """Coverage as an Excel workbook, one sheet per level (audited): numbers and dates
        typed, the header row bold and frozen."""
        found = await service.coverage(db, where, cache)
        villages, areas = await service.gazetteer_villages(db), await service.gazetteer_areas(db)
        data = exports.to_xlsx(found, villages, areas)
        await service.audited_export(db, "xlsx", current_actor(request))
        return Response(
            data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"content-disposition": 'attachment; filename="coverage.xlsx"'},
        )

    @get("/coverage.geojson")
    async def geojson(
        self,
        db: DB,
        request: Request[Any, Any, Any],
        where: Where,
        cache: CoverageCacheDep,
    ) -> FeatureCollection:
        """Villages with their coverage as GeoJSON; approximate positions carry
        `approximate: true` (audited)."""
        found = await service.coverage(db, where, cache)
        collection = exports.to_geojson(found, await service.gazetteer_villages(db))
        await service.audited_export(db, "geojson", current_actor(request))
        return collection

    @get("/coverage/villages/{kato:str}")
    async def village(
        self,
        db: DB,
        request: Request[Any, Any, Any],
        kato: Annotated[str, PathParameter(pattern=r"^\d{9}$")],
    ) -> sync_records.VillageRecords:
        """A village's meetings with their interested residents and the follow-ups
        (coordinators: it holds names and phone numbers; every read is audited)."""
        return await sync_records.village_meetings(db, kato, current_actor(request))

    @post(
        "/followups/{person_id:str}/status",
        status_code=HTTP_200_OK,
        opt={"body_media_type": "application/json"},
    )
    async def followup(
        self,
        db: DB,
        request: Request[Any, Any, Any],
        person_id: Annotated[str, PathParameter(max_length=64)],
        data: JSONBody[FollowupFields],
    ) -> RecordOut:
        """Move an interested resident to a status (contacted, referred, trained, defended,
        financed, dropped) with its date; the funnel counts the furthest stage reached."""
        return await followups.set_status(db, person_id, data, current_actor(request))
