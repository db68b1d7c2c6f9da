"""GeoJSON lists: valid RFC 7946, coordinates in [lon, lat] order."""

from __future__ import annotations

import pytest


def assert_valid_feature_collection(body: dict) -> None:
    assert body["type"] == "FeatureCollection"
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is not None:
            assert geometry["type"] == "Point"
            lon, lat = geometry["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90


async def test_villages_geojson_is_lon_lat_with_approximate_flag(client) -> None:
    response = await client.get("/api/v1/villages.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert_valid_feature_collection(body)
    assert len(body["features"]) == 298
    by_id = {f["id"]: f for f in body["features"]}
    kyzylorda = by_id["431010000"]
    assert kyzylorda["geometry"]["coordinates"] == [65.50917, 44.85278]
    assert kyzylorda["properties"]["approximate"] is False
    approximate = by_id["431033103"]
    assert approximate["properties"]["approximate"] is True
    assert approximate["properties"]["location_quality"] == "okrug_centre"
    # Kazakhstan lies east of Greenwich and north of the equator, far from lon == lat
    assert all(
        f["geometry"]["coordinates"][0] > f["geometry"]["coordinates"][1] for f in body["features"]
    )


@pytest.mark.parametrize("path", ["/api/v1/districts.geojson", "/api/v1/okrugs.geojson"])
async def test_district_and_okrug_geojson_are_valid(client, path: str) -> None:
    body = (await client.get(path)).json()
    assert_valid_feature_collection(body)
    assert body["features"]


async def test_villages_geojson_takes_the_same_filters(client) -> None:
    params = {"district": "433200000", "location_quality": "exact"}
    geo = (await client.get("/api/v1/villages.geojson", params=params)).json()
    plain = (await client.get("/api/v1/villages", params={**params, "limit": 1000})).json()
    assert [f["id"] for f in geo["features"]] == [v["kato"] for v in plain["items"]]
