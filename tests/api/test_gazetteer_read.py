"""Reading the gazetteer through the API: counts, filters, search, paging."""

# ruff: noqa: F811 (the tests take the imported fixtures by name)
from __future__ import annotations

import csv

import pytest

from tests.conftest import SETTLEMENTS_CSV
from tests.shared_app import client, database  # noqa: F401 (fixtures, by name)

# reads only: one app and database per engine for the module
pytestmark = pytest.mark.asyncio(loop_scope="module")


def csv_rows() -> list[dict[str, str]]:
    with SETTLEMENTS_CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


async def test_health_reports_version_and_loaded_gazetteer(client, database) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"]
    assert body["database"]["engine"] == database.engine
    assert body["database"]["schema_version"] == body["database"]["expected_schema_version"] >= 1
    assert body["database"]["counts"] == {
        "regions": 1, "districts": 9, "okrugs": 144, "settlements": 298,
    }  # fmt: skip


async def test_districts_list_counts_match_csv(client) -> None:
    districts = (await client.get("/api/v1/districts")).json()
    assert len(districts) == 9
    expected: dict[str, int] = {}
    for row in csv_rows():
        expected[row["district_kato"]] = expected.get(row["district_kato"], 0) + 1
    assert {d["kato"]: d["settlement_count"] for d in districts} == expected
    aral = next(d for d in districts if d["kato"] == "433200000")
    assert aral["names"] == {"kk": "Арал ауданы", "ru": "Аральский район", "en": "Aral District"}
    assert aral["centre"] == {"lat": 46.80174, "lon": 61.66312}


async def test_villages_all_pages_hold_every_csv_row_once(client) -> None:
    seen, offset = [], 0
    while offset is not None:
        page = (await client.get("/api/v1/villages", params={"limit": 70, "offset": offset})).json()
        assert page["total"] == 298
        seen += [v["kato"] for v in page["items"]]
        offset = page["next_offset"]
    assert seen == sorted(row["kato"] for row in csv_rows())


async def test_village_without_coordinates_is_kept_with_fallback(client) -> None:
    rows = {row["kato"]: row for row in csv_rows()}
    no_coords = [kato for kato, row in rows.items() if not row["lat"]]
    assert len(no_coords) == 182
    village = (await client.get("/api/v1/villages/431033103")).json()  # Калгандарья
    assert village["position"] is None
    assert village["location_quality"] == "okrug_centre"
    centre = rows["431033100"]  # its okrug's centre, Баймурат
    assert village["fallback_position"] == {
        "lat": float(centre["lat"]),
        "lon": float(centre["lon"]),
    }


async def test_village_with_unlocated_okrug_centre_falls_back_to_district_centre(client) -> None:
    village = (await client.get("/api/v1/villages/431035100")).json()  # Махамбетова
    assert village["location_quality"] == "district_centre"
    assert village["fallback_position"] == {"lat": 44.85278, "lon": 65.50917}  # Kyzylorda


@pytest.mark.parametrize(
    ("quality", "count"), [("exact", 116), ("okrug_centre", 64), ("district_centre", 118),
                           ("unknown", 0)],
)  # fmt: skip
async def test_villages_filter_by_location_quality(client, quality: str, count: int) -> None:
    page = (await client.get("/api/v1/villages", params={"location_quality": quality})).json()
    assert page["total"] == count
    assert all(v["location_quality"] == quality for v in page["items"])


async def test_villages_filter_by_district_okrug_and_kind(client) -> None:
    rows = csv_rows()
    params = {"district": "433200000", "kind": "station", "limit": 1000}
    page = (await client.get("/api/v1/villages", params=params)).json()
    expected = [
        r["kato"] for r in rows if r["district_kato"] == "433200000" and r["kind"] == "station"
    ]
    assert [v["kato"] for v in page["items"]] == expected and expected
    okrug = (await client.get("/api/v1/villages", params={"okrug": "431033000"})).json()
    assert {v["kato"] for v in okrug["items"]} == {
        r["kato"] for r in rows if r["rural_okrug_kato"] == "431033000"
    }


@pytest.mark.parametrize("query", ["жосалы", "ЖОСАЛЫ", "Zhosaly", "ZHOSALY", "Жосалы"])
async def test_search_finds_zhosaly_in_any_script(client, query: str) -> None:
    page = (await client.get("/api/v1/villages", params={"q": query})).json()
    assert [v["names"]["ru"] for v in page["items"]] == ["Жосалы"]


@pytest.mark.parametrize("query", ["Қызылорда", "қызылорда", "Кызылорда", "Qyzylorda", "Kyzylorda"])
async def test_search_folds_kazakh_letters(client, query: str) -> None:
    page = (await client.get("/api/v1/villages", params={"q": query, "kind": "city"})).json()
    assert [v["kato"] for v in page["items"]] == ["431010000"]


async def test_search_matches_part_of_a_name(client) -> None:
    page = (await client.get("/api/v1/villages", params={"q": "аральс"})).json()
    assert "Аральск" in [v["names"]["ru"] for v in page["items"]]


async def test_okrugs_of_district_and_one_okrug(client) -> None:
    okrugs = (await client.get("/api/v1/okrugs", params={"district": "431000000"})).json()
    assert okrugs and all(o["district_kato"] == "431000000" for o in okrugs)
    one = (await client.get("/api/v1/okrugs/431033000")).json()
    assert one["centre_kato"] == "431033100"
    assert one["names"]["ru"] == "Акжарминский с.о."
    assert one["settlement_count"] == sum(r["rural_okrug_kato"] == "431033000" for r in csv_rows())


@pytest.mark.parametrize("path", ["/api/v1/villages/999999999", "/api/v1/okrugs/999999000",
                                  "/api/v1/districts/999900000"])  # fmt: skip
async def test_unknown_object_is_404_with_error_body(client, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
