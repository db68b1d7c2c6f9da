"""Correcting and importing the gazetteer through the API."""

from __future__ import annotations

from tests.conftest import SETTLEMENTS_CSV
from tests.dbstate import dump
from tests.synthetic import make_rows, to_csv

CSV = {"content-type": "text/csv"}


async def test_patch_position_makes_village_exact_and_keeps_history(client, database) -> None:
    response = await client.patch(
        "/api/v1/villages/431033103",
        json={"position": {"lat": 44.9, "lon": 65.4}, "population": 120, "expected_version": 1},
    )
    assert response.status_code == 200, response.text
    village = response.json()
    assert village["position"] == {"lat": 44.9, "lon": 65.4}
    assert village["location_quality"] == "exact"
    assert village["fallback_position"] is None
    assert village["population"] == 120
    assert village["version"] == 2
    fields = database.rows("SELECT field FROM village_corrections ORDER BY field")
    assert fields == [("population",), ("position",)]


async def test_patch_with_stale_version_is_409_and_changes_nothing(client, database) -> None:
    await client.patch("/api/v1/villages/431033103", json={"population": 5})
    before = dump(database)
    response = await client.patch(
        "/api/v1/villages/431033103", json={"population": 7, "expected_version": 1}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"
    assert dump(database) == before


async def test_patch_swapped_coordinates_is_refused(client, database) -> None:
    before = dump(database)
    response = await client.patch(
        "/api/v1/villages/431033103", json={"position": {"lat": 65.4, "lon": 44.9}}
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "position"
    assert dump(database) == before


async def test_patch_null_clears_population(client) -> None:
    await client.patch("/api/v1/villages/431010000", json={"population": None})
    village = (await client.get("/api/v1/villages/431010000")).json()
    assert village["population"] is None and village["population_source"] is None


async def test_reimport_of_shipped_file_changes_nothing(client, database) -> None:
    before = dump(database)
    response = await client.post(
        "/api/v1/gazetteer/imports", content=SETTLEMENTS_CSV.read_bytes(), headers=CSV
    )
    assert response.status_code == 200, response.text
    summary = response.json()
    assert (summary["rows"], summary["unchanged"], summary["created"]) == (298, 298, 0)
    assert dump(database) == before


async def test_reimport_keeps_coordinator_corrections(client) -> None:
    await client.patch("/api/v1/villages/431010000", json={"population": 400000})
    response = await client.post(
        "/api/v1/gazetteer/imports", content=SETTLEMENTS_CSV.read_bytes(), headers=CSV
    )
    assert response.json()["kept_corrections"] == 1
    assert (await client.get("/api/v1/villages/431010000")).json()["population"] == 400000


async def test_import_new_region_counts_equal_the_csv(client, database) -> None:
    rows = make_rows("991100000", okrugs=4, per_okrug=5)
    response = await client.post(
        "/api/v1/gazetteer/imports", content=to_csv(rows), headers=CSV,
        params={"region_ru": "Тестовая область", "region_en": "Test Region"},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    assert response.json()["created"] == len(rows) == 20
    page = (await client.get("/api/v1/villages", params={"district": "991100000"})).json()
    assert page["total"] == 20
    regions = (await client.get("/api/v1/regions")).json()
    assert {"kato": "990000000", "names": {"ru": "Тестовая область", "kk": None,
                                           "en": "Test Region"}} in regions  # fmt: skip
    # every settlement may have moved: who imported the file is audited, as a correction is
    [(actor, target)] = database.rows(
        "SELECT actor, object FROM audit_log WHERE action = 'gazetteer.import'"
    )
    assert actor == "coordinator-user" and target.startswith("upload.csv:")


async def test_import_bad_cell_names_line_and_column_and_changes_nothing(client, database) -> None:
    rows = make_rows("991100000")
    rows[5]["population"] = "many"
    before = dump(database)
    response = await client.post("/api/v1/gazetteer/imports", content=to_csv(rows), headers=CSV)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_gazetteer_file"
    assert body["details"][0]["line"] == 7 and body["details"][0]["column"] == "population"
    assert "line 7, column population" in body["message"]
    assert dump(database) == before


async def test_import_failing_after_writes_rolls_back_whole_file(client, database) -> None:
    rows = make_rows("991100000", okrugs=5, per_okrug=5)
    rows[-1]["lat"], rows[-1]["lon"] = rows[-1]["lon"], rows[-1]["lat"]  # swapped: passes ranges
    before = dump(database)
    response = await client.post("/api/v1/gazetteer/imports", content=to_csv(rows), headers=CSV)
    assert response.status_code == 400
    assert response.json()["details"][0]["line"] == len(rows) + 1
    assert dump(database) == before


async def test_import_reports_every_kind_of_bad_row(client) -> None:
    rows = make_rows("991100000")
    rows[0]["kato"] = "12345"
    rows[1]["kind"] = "hamlet"
    rows[2]["lat"] = ""
    rows[3]["district_kato"] = "992200000"
    rows[4]["kato"] = rows[5]["kato"]
    response = await client.post("/api/v1/gazetteer/imports", content=to_csv(rows), headers=CSV)
    found = {(d["line"], d["column"]) for d in response.json()["details"]}
    assert {(2, "kato"), (3, "kind"), (4, "lon"), (5, "district_kato"), (7, "kato")} <= found


async def test_import_refuses_missing_and_unknown_columns(client) -> None:
    body = b"kato,name_ru,latitude\n991110100,X,44\n"
    response = await client.post("/api/v1/gazetteer/imports", content=body, headers=CSV)
    assert response.status_code == 400
    columns = {d["column"] for d in response.json()["details"]}
    assert {"kind", "district_kato", "district_ru", "latitude"} <= columns


async def test_kazakh_and_russian_names_are_corrected_searched_and_kept(client, database) -> None:
    before = (await client.get("/api/v1/villages/431033103")).json()
    assert before["names"]["kk"] is None
    response = await client.patch("/api/v1/villages/431033103",
                                  json={"name_kk": " Жаңаауыл ", "expected_version": 1})  # fmt: skip
    assert response.status_code == 200, response.text
    village = response.json()
    assert village["names"] == {**before["names"], "kk": "Жаңаауыл"}
    assert village["version"] == 2
    found = (await client.get("/api/v1/villages", params={"q": "жаңаауыл"})).json()["items"]
    assert [v["kato"] for v in found] == ["431033103"]
    assert database.rows("SELECT field, old_value, new_value FROM village_corrections") == [
        ("name_kk", None, '"Жаңаауыл"')]  # fmt: skip
    reimported = await client.post(
        "/api/v1/gazetteer/imports", content=SETTLEMENTS_CSV.read_bytes(), headers=CSV
    )
    assert reimported.json()["kept_corrections"] == 1
    assert (await client.get("/api/v1/villages/431033103")).json()["names"]["kk"] == "Жаңаауыл"
    blank = await client.patch("/api/v1/villages/431033103", json={"name_ru": None})
    assert blank.status_code == 400  # every settlement keeps a Russian name
