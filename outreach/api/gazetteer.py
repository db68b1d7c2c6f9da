"""The gazetteer over HTTP: districts, rural okrugs and settlements, as JSON and GeoJSON."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from outreach.api.auth import current_actor
from outreach.api.deps import DB
from outreach.domain import geojson
from outreach.domain.gazetteer import (
    District,
    Kind,
    LocationQuality,
    Names,
    Okrug,
    Page,
    Region,
    SuggestionDecision,
    SuggestionPage,
    Village,
    VillageFilter,
    VillagePatch,
)
from outreach.domain.populations_csv import PopulationImport
from outreach.domain.wire import MAX_INT64
from outreach.services import gazetteer as service
from outreach.services import gazetteer_import

KATO_PATTERN = r"^[0-9]{9}$"
SuggestionId = Annotated[
    str, PathParameter(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="the suggestion's record id")
]
KatoPath = Annotated[str, PathParameter(pattern=KATO_PATTERN, description="9-digit KATO code")]
DistrictQuery = Annotated[
    str | None,
    QueryParameter(pattern=KATO_PATTERN, description="only settlements of this district (KATO)"),
]
OkrugQuery = Annotated[
    str | None,
    QueryParameter(pattern=KATO_PATTERN, description="only settlements of this okrug (KATO)"),
]
KindQuery = Annotated[Kind | None, QueryParameter(description="only this kind of settlement")]
QualityQuery = Annotated[
    LocationQuality | None,
    QueryParameter(name="location_quality", description="only this location quality"),
]
SearchQuery = Annotated[
    str | None,
    QueryParameter(
        name="q",
        min_length=1,
        max_length=100,
        description="part of a name in Kazakh, Russian or Latin letters, any case: "
        "`жосалы`, `ЖОСАЛЫ` and `Zhosaly` all find Жосалы",
    ),
]
LimitQuery = Annotated[int, QueryParameter(ge=1, le=1000, description="page size")]
OffsetQuery = Annotated[int, QueryParameter(ge=0, le=MAX_INT64, description="items to skip")]
RegionNameQuery = Annotated[str | None, QueryParameter(max_length=200)]


def _filter(
    district: str | None,
    okrug: str | None,
    kind: Kind | None,
    quality: LocationQuality | None,
    q: str | None,
) -> VillageFilter:
    return VillageFilter(
        district=district, okrug=okrug, kind=kind, location_quality=quality, query=q
    )


class GazetteerController(Controller):
    """Regions, districts, rural okrugs and settlements of the gazetteer."""

    path = "/api/v1"
    tags = ["gazetteer"]

    @get("/regions")
    async def list_regions(self, db: DB) -> list[Region]:
        """Every region (oblast) in the gazetteer."""
        return await service.list_regions(db)

    @get("/districts")
    async def list_districts(self, db: DB) -> list[District]:
        """Every district and city administration, with its centre and its counts of okrugs
        and settlements."""
        return await service.list_districts(db)

    @get("/districts.geojson", media_type=geojson.GEOJSON_MEDIA_TYPE)
    async def districts_geojson(self, db: DB) -> geojson.FeatureCollection:
        """Districts as GeoJSON points at their administrative centres ([lon, lat])."""
        districts = await service.list_districts(db)
        return geojson.collection([geojson.district_feature(d) for d in districts])

    @get("/districts/{kato:str}")
    async def get_district(self, db: DB, kato: KatoPath) -> District:
        """One district by KATO code."""
        return await service.get_district(db, kato)

    @get("/okrugs")
    async def list_okrugs(self, db: DB, district: DistrictQuery = None) -> list[Okrug]:
        """Rural okrugs (and settlement administrations), all or of one district."""
        return await service.list_okrugs(db, district)

    @get("/okrugs.geojson", media_type=geojson.GEOJSON_MEDIA_TYPE)
    async def okrugs_geojson(
        self, db: DB, district: DistrictQuery = None
    ) -> geojson.FeatureCollection:
        """Rural okrugs as GeoJSON points at their centre settlement (null geometry where that
        settlement has no surveyed position)."""
        okrugs = await service.list_okrugs(db, district)
        return geojson.collection([geojson.okrug_feature(o) for o in okrugs])

    @get("/okrugs/{kato:str}")
    async def get_okrug(self, db: DB, kato: KatoPath) -> Okrug:
        """One rural okrug by KATO code."""
        return await service.get_okrug(db, kato)

    @get("/villages")
    async def list_villages(
        self, db: DB, district: DistrictQuery = None, okrug: OkrugQuery = None,
        kind: KindQuery = None, quality: QualityQuery = None, q: SearchQuery = None,
        limit: LimitQuery = 100, offset: OffsetQuery = 0,
    ) -> service.VillagePage:  # fmt: skip
        """Settlements (cities, towns, villages, stations) in KATO order, filtered and paged.
        Each carries its surveyed `position` or, where none is known, a `fallback_position`
        with the `location_quality` saying what it is."""
        where = _filter(district, okrug, kind, quality, q)
        return await service.list_villages(db, where, Page(limit=limit, offset=offset))

    @get("/villages.geojson", media_type=geojson.GEOJSON_MEDIA_TYPE)
    async def villages_geojson(
        self, db: DB, district: DistrictQuery = None, okrug: OkrugQuery = None,
        kind: KindQuery = None, quality: QualityQuery = None, q: SearchQuery = None,
        limit: Annotated[int, QueryParameter(ge=1, le=10_000)] = 10_000, offset: OffsetQuery = 0,
    ) -> geojson.FeatureCollection:  # fmt: skip
        """The same settlements as GeoJSON points ([lon, lat]); a settlement shown at its
        fallback position has `approximate: true`, one with no position at all a null
        geometry."""
        where = _filter(district, okrug, kind, quality, q)
        found = await service.list_villages(db, where, Page(limit=limit, offset=offset))
        return geojson.collection([geojson.village_feature(v) for v in found.items])

    @get("/villages/{kato:str}")
    async def get_village(self, db: DB, kato: KatoPath) -> Village:
        """One settlement by KATO code."""
        return await service.get_village(db, kato)

    @patch(
        "/villages/{kato:str}",
        opt={"body_media_type": "application/json"},
    )
    async def patch_village(
        self, db: DB, request: Request[Any, Any, Any], kato: KatoPath,
        data: JSONBody[VillagePatch],
    ) -> Village:  # fmt: skip
        """Correct a settlement's position, population, its year, or its Kazakh and Russian
        names (coordinators). Omitted fields stay; `null` clears one. Corrections are kept in
        the settlement's history and survive later imports of the gazetteer. A position too
        far from the district's centre is refused (422 `implausible_position`, the distance,
        the limit and `forceable` in `details`): past the import's limit always, past the
        district's own spread unless `force` is true. Audited."""
        return await service.patch_village(db, kato, data, current_actor(request))

    @get("/gazetteer/suggestions")
    async def suggestions(
        self, db: DB, limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        offset: Annotated[int, QueryParameter(ge=0, le=10**9)] = 0,
    ) -> SuggestionPage:  # fmt: skip
        """Positions field teams suggested for villages (coordinators), not yet accepted or
        refused, oldest first, beside the village's current position and its quality, a page
        at a time, with how many are open (`total`)."""
        return await service.suggestions(db, limit, offset)

    @post("/gazetteer/suggestions/{record_id:str}/accept", status_code=HTTP_200_OK)
    async def accept_suggestion(
        self, db: DB, request: Request[Any, Any, Any], record_id: SuggestionId,
        data: JSONBody[SuggestionDecision | None] = None,
    ) -> Village:  # fmt: skip
        """Give the village the suggested position (coordinators): a correction like any
        other (versioned, kept in its history, plausibility-checked: 422
        `implausible_position`, the suggestion staying open), audited."""
        return await service.decide_suggestion(db, record_id, True, data or SuggestionDecision(),
                                               current_actor(request))  # fmt: skip

    @post("/gazetteer/suggestions/{record_id:str}/refuse", status_code=HTTP_200_OK)
    async def refuse_suggestion(
        self, db: DB, request: Request[Any, Any, Any], record_id: SuggestionId,
        data: JSONBody[SuggestionDecision | None] = None,
    ) -> Village:  # fmt: skip
        """Refuse a suggested position (coordinators), with an optional `comment`; the
        village stays as it is."""
        return await service.decide_suggestion(db, record_id, False, data or SuggestionDecision(),
                                               current_actor(request))  # fmt: skip


class GazetteerImportController(Controller):
    """Importing a region's gazetteer; mounted under its own, larger body-size limit."""

    path = "/api/v1"
    tags = ["gazetteer"]

    @post(
        "/gazetteer/imports",
        status_code=HTTP_201_CREATED,
        opt={"body_media_type": "text/csv"},
    )
    async def import_csv(
        self, db: DB, request: Request[Any, Any, Any],
        region_kk: RegionNameQuery = None, region_ru: RegionNameQuery = None,
        region_en: RegionNameQuery = None,
    ) -> Response[gazetteer_import.ImportSummary]:  # fmt: skip
        """Import a region's settlements from CSV in the columns of the shipped
        `settlements.csv` (coordinators). The whole file is applied in one transaction or not
        at all: a bad file is refused with every bad line and column listed, and changes
        nothing. Re-importing the same file changes nothing (200 instead of 201).
        Fields a coordinator corrected are kept. Body: the CSV file (Content-Type: text/csv)."""
        body = await request.body()
        names = Names(ru=region_ru, kk=region_kk, en=region_en) if region_ru else None
        # 16 MiB of CSV is seconds of parsing: a worker thread's, not the event loop's
        data = await asyncio.to_thread(gazetteer_import.parse_files, body, region_names=names,
                                       source="upload.csv")  # fmt: skip
        summary = await gazetteer_import.import_gazetteer(
            db, data, sha256=gazetteer_import.file_digest(body), actor=current_actor(request)
        )
        changed = summary.created or summary.updated or summary.districts_changed
        return Response(summary, status_code=HTTP_201_CREATED if changed else HTTP_200_OK)

    @post(
        "/gazetteer/populations",
        status_code=HTTP_200_OK,
        opt={"body_media_type": "text/csv"},
    )
    async def import_populations(
        self, db: DB, request: Request[Any, Any, Any],
        dry_run: Annotated[bool, QueryParameter(description="only say what would change")] = True,
    ) -> PopulationImport:  # fmt: skip
        """Settlements' populations from a CSV (coordinators), e.g. from the akimats: columns
        `kato`, `population` and optionally `population_year`, `,` or `;` separated, UTF-8
        with or without a byte-order mark. `dry_run=true` (the default) only answers what
        would change; `dry_run=false` applies every change in one transaction, each kept in
        the settlement's history like a single correction, and audited. A bad file is
        refused whole (400 `invalid_gazetteer_file`) with every bad line and column in
        `details`, and changes nothing. Body: the CSV file (Content-Type: text/csv)."""
        body = await request.body()
        return await service.import_populations(db, body, apply=not dry_run,
                                                actor=current_actor(request))  # fmt: skip
