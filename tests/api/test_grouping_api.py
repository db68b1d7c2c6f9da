"""Meeting-group previews and travel through the API, on the Kyzylorda gazetteer."""

# ruff: noqa: F811 (the tests take the imported fixtures by name)
from __future__ import annotations

import pytest
from geopy.distance import geodesic

from tests.api.test_geojson import assert_valid_feature_collection
from tests.shared_app import client, database  # noqa: F401 (fixtures, by name)

# reads only (a preview is not stored): one app and database per engine for the module
pytestmark = pytest.mark.asyncio(loop_scope="module")

PREVIEW = "/api/v1/grouping/preview"


async def test_whole_region_preview_puts_every_settlement_in_one_group(client) -> None:
    body = (await client.post(PREVIEW, json={})).json()
    members = [m["kato"] for g in body["groups"] for m in g["members"]]
    assert len(members) == len(set(members)) == 298
    assert body["summary"]["villages"] == 298
    assert body["summary"]["meetings"] == len(body["groups"])
    for group in body["groups"]:
        assert group["hub_kato"] in [m["kato"] for m in group["members"]]
        okrugs = {m["kato"][:6] for m in group["members"]}
        assert len(okrugs) == 1 or group["okrug_kato"] is None
        for member in group["members"]:
            if not member["approximate"]:
                assert member["road_m"] <= 15_000


async def test_smaller_limit_never_gives_fewer_meetings(client) -> None:
    counts = []
    for km in (5, 15, 40):
        body = (await client.post(PREVIEW, json={"policy": {"max_gathering_km": km}})).json()
        counts.append(body["summary"]["meetings"])
    assert counts[0] >= counts[1] >= counts[2]


async def test_preview_of_one_district_only_holds_it(client) -> None:
    body = (await client.post(PREVIEW, json={"districts": ["434600000"]})).json()
    assert {g["district_kato"] for g in body["groups"]} == {"434600000"}
    assert body["summary"]["villages"] == 29


async def test_forced_choices_are_kept(client) -> None:
    policy = {
        "solo": ["434630100"],
        "forced_groups": [{"members": ["434633100", "434635100"], "hub": "434635100"}],
    }
    body = (await client.post(PREVIEW, json={"districts": ["434600000"], "policy": policy})).json()
    by_hub = {g["hub_kato"]: g for g in body["groups"]}
    assert by_hub["434630100"]["reason"] == "forced_solo"
    assert [m["kato"] for m in by_hub["434635100"]["members"]] == ["434633100", "434635100"]


@pytest.mark.parametrize(("body", "status"), [
    ({"districts": ["999900000"]}, 422),
    ({"policy": {"solo": ["999999999"]}}, 422),
    ({"policy": {"max_gathering_km": -1}}, 400),
    ({"policy": {"turnout_share": 2}}, 400),
    ({"policy": {"forced_groups": [{"members": ["434633100"]}]}}, 400),
    ({"surprise": 1}, 400),
])  # fmt: skip
async def test_bad_preview_requests_are_refused(client, body: dict, status: int) -> None:
    response = await client.post(PREVIEW, json=body)
    assert response.status_code == status
    assert response.json()["code"] in ("invalid_input", "validation_failed")


async def test_preview_geojson_links_members_to_hubs(client) -> None:
    body = (await client.post(PREVIEW + ".geojson", json={"districts": ["433200000"]})).json()
    assert_valid_feature_collection_with_lines(body)
    roles = {f["properties"]["role"] for f in body["features"]}
    assert roles == {"hub", "member", "link"}
    hubs = {f["properties"]["group"]: f["geometry"]["coordinates"]
            for f in body["features"] if f["properties"]["role"] == "hub"}  # fmt: skip
    for link in (f for f in body["features"] if f["properties"]["role"] == "link"):
        assert link["geometry"]["coordinates"][0] == hubs[link["properties"]["group"]]


def assert_valid_feature_collection_with_lines(body: dict) -> None:
    points = {
        **body,
        "features": [
            f for f in body["features"] if f["geometry"] is None or f["geometry"]["type"] == "Point"
        ],
    }
    assert_valid_feature_collection(points)
    for feature in body["features"]:
        if feature["geometry"] and feature["geometry"]["type"] == "LineString":
            assert all(lon > lat for lon, lat in feature["geometry"]["coordinates"])


async def test_travel_between_two_settlements(client) -> None:
    body = (await client.get("/api/v1/travel",
                             params={"from": "431010000", "to": "434630100"})).json()  # fmt: skip
    assert body["geodesic_m"] == pytest.approx(body["road_m"] / 1.3, abs=0.1)
    assert body["travel_s"] == pytest.approx(body["road_m"] / (60 / 3.6), abs=0.1)
    kyzylorda, zhosaly = (44.85278, 65.50917), (45.48778, 64.07806)
    assert body["geodesic_m"] == pytest.approx(geodesic(kyzylorda, zhosaly).meters, abs=0.1)
    assert body["approximate"] is False


async def test_travel_to_unknown_settlement_is_404(client) -> None:
    response = await client.get("/api/v1/travel", params={"from": "431010000", "to": "999999999"})
    assert response.status_code == 404
