"""Meeting-group previews and travel between settlements over HTTP."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from outreach.api.deps import DB, Geo
from outreach.api.gazetteer import KATO_PATTERN
from outreach.domain import geojson
from outreach.domain.grouping import GroupingRequest
from outreach.services import grouping as service

KatoQuery = Annotated[str, QueryParameter(pattern=KATO_PATTERN, description="KATO code")]


class GroupingController(Controller):
    """Which villages gather at which hub, and how far apart settlements are."""

    path = "/api/v1"
    tags = ["grouping"]

    @post("/grouping/preview", status_code=HTTP_200_OK,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def preview(self, db: DB, geo: Geo, data: JSONBody[GroupingRequest]
                      ) -> service.GroupingPreview:  # fmt: skip
        """Preview meeting groups for one district, several, or the whole region (an empty
        `districts` list), under a policy: the largest road distance a resident travels to a
        meeting, whether groups may cross rural okrugs, an attendance cap, and villages the
        coordinator forces to meet alone or together. Fewest meetings first, then least
        population-weighted travel, then okrug centres as hubs; okrugs up to 14 located
        villages are solved exactly (`proven_optimal`). Nothing is stored."""
        return await service.preview(db, geo, data)

    @post("/grouping/preview.geojson", status_code=HTTP_200_OK,
          media_type=geojson.GEOJSON_MEDIA_TYPE,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def preview_geojson(self, db: DB, geo: Geo, data: JSONBody[GroupingRequest]
                              ) -> geojson.FeatureCollection:  # fmt: skip
        """The same preview as GeoJSON: each hub a point (`role: hub`), each other member a
        point (`role: member`) and a line to its hub (`role: link`), `[lon, lat]`."""
        return grouping_features(await service.preview(db, geo, data))

    @get("/travel")
    async def travel(self, db: DB, geo: Geo,
                     origin: Annotated[str, QueryParameter(name="from", pattern=KATO_PATTERN,
                                                           description="origin (KATO)")],
                     destination: Annotated[str, QueryParameter(name="to", pattern=KATO_PATTERN,
                                                                description="destination (KATO)")],
                     ) -> service.Travel:  # fmt: skip
        """Geodesic distance, estimated road distance and travel time between two
        settlements, with the travel model of the origin's district."""
        return await service.travel_between(db, geo, origin, destination)


def grouping_features(preview: service.GroupingPreview) -> geojson.FeatureCollection:
    """GeoJSON of a grouping preview: hubs, members and links."""
    features = []
    for group in preview.groups:
        hub = group.hub_position
        features.append(geojson.Feature(id=group.id, geometry=geojson.point(hub), properties={
            "role": "hub", "group": group.id, "kato": group.hub_kato,
            "name_ru": group.hub_names.ru, "members": len(group.members),
            "expected_attendance": group.expected_attendance, "max_road_m": group.max_road_m,
            "approximate": group.approximate, "proven_optimal": group.proven_optimal,
            "reason": group.reason,
        }))  # fmt: skip
        for member in group.members:
            if member.kato == group.hub_kato:
                continue
            position = member.position
            common = {"group": group.id, "kato": member.kato, "name_ru": member.names.ru,
                      "road_m": member.road_m, "approximate": member.approximate}  # fmt: skip
            features.append(geojson.Feature(id=f"{group.id}/{member.kato}",
                                            geometry=geojson.point(position),
                                            properties={"role": "member", **common}))  # fmt: skip
            if hub and position and not member.approximate:
                features.append(geojson.Feature(id=f"{group.id}/{member.kato}/link",
                                                geometry=geojson.link(hub, position),
                                                properties={"role": "link", **common}))  # fmt: skip
    return geojson.collection(features)
