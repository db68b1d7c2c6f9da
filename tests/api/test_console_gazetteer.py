"""What the console's village screens rely on: an implausible position is refused with its
distance (past the import's limit even when forced; past the district's spread unless forced),
cleared positions fall back, population years are real census years, and every correction is
audited (a forced one as such); a position a phone suggested is listed with who sent it and how far it
lies from the current one, and accepting it moves the village; a population file with bad
figures names each line and column and changes nothing."""

from __future__ import annotations

import pytest

from outreach.services.clock import today_local
from tests.conftest import enrol_device
from tests.dbstate import dump
from tests.sync.phone import new_id

VILLAGE = "/api/v1/villages/431033103"  # Калгандарья: only its okrug centre's position is known
CSV = {"content-type": "text/csv"}


async def test_an_implausible_position_is_refused_unless_forced(client, database):
    before = dump(database)
    odd = {"position": {"lat": 45.5, "lon": 64.0}, "expected_version": 1}  # 137 km away
    refused = await client.patch(VILLAGE, json=odd)
    assert refused.status_code == 422
    error = refused.json()
    assert error["code"] == "implausible_position"
    [detail] = error["details"]
    assert detail["field"] == "position" and detail["forceable"] is True
    assert detail["distance_km"] > detail["max_km"] == 100  # its district's villages are near
    assert f"{detail['distance_km']:.0f} km" in error["message"]
    assert dump(database) == before

    forced = await client.patch(VILLAGE, json={**odd, "force": True})
    assert forced.status_code == 200, forced.text
    village = forced.json()
    assert (village["position"], village["location_quality"], village["version"]) == (
        {"lat": 45.5, "lon": 64.0}, "exact", 2)  # fmt: skip
    assert database.rows("SELECT field FROM village_corrections") == [("position",)]
    plain = await client.patch(VILLAGE, json={"population": 120, "expected_version": 2})
    assert plain.status_code == 200, plain.text
    assert database.rows("SELECT action, object, outcome FROM audit_log"
                         " WHERE action LIKE 'gazetteer.%' ORDER BY id") == [
        ("gazetteer.village_corrected", "431033103", "forced"),
        ("gazetteer.village_corrected", "431033103", "ok")]  # fmt: skip


@pytest.mark.parametrize(("lat", "lon"), [(0.0, 0.0), (65.42, 44.91)])
async def test_a_position_past_the_imports_limit_is_refused_even_forced(client, database,
                                                                         lat, lon):  # fmt: skip
    before = dump(database)
    for force in (False, True):
        refused = await client.patch(VILLAGE, json={"position": {"lat": lat, "lon": lon},
                                                    "force": force})  # fmt: skip
        assert refused.status_code == 422, refused.text
        error = refused.json()
        assert error["code"] == "implausible_position"
        [detail] = error["details"]
        assert (detail["field"], detail["forceable"], detail["max_km"]) == ("position", False, 400)
    assert dump(database) == before


async def test_a_position_outside_the_region_near_a_district_centre_needs_force(client,
                                                                                 database):  # fmt: skip
    zhanakorgan = "/api/v1/villages/434035100"  # 44.0 N 70.0 E is 221 km from its centre
    before = dump(database)
    outside = {"position": {"lat": 44.0, "lon": 70.0}}
    refused = await client.patch(zhanakorgan, json=outside)
    assert refused.status_code == 422, refused.text
    [detail] = refused.json()["details"]
    assert (detail["field"], detail["forceable"]) == ("position", True)
    assert detail["max_km"] < 150 < detail["distance_km"]
    assert dump(database) == before
    forced = await client.patch(zhanakorgan, json={**outside, "force": True})
    assert forced.status_code == 200, forced.text
    assert database.rows("SELECT outcome FROM audit_log WHERE object = '434035100'") == [
        ("forced",)]  # fmt: skip


async def test_a_cleared_position_falls_back_to_the_okrug_centre(client, database):
    placed = await client.patch(VILLAGE, json={"position": {"lat": 44.9, "lon": 65.4}})
    assert placed.json()["location_quality"] == "exact"
    cleared = await client.patch(VILLAGE, json={"position": None, "expected_version": 2})
    assert cleared.status_code == 200, cleared.text
    village = cleared.json()
    assert (village["position"], village["location_quality"]) == (None, "okrug_centre")
    assert village["fallback_position"] is not None


@pytest.mark.parametrize("year", [1800, 1896, 2101])
async def test_a_population_year_before_the_first_census_is_refused(client, database, year):
    before = dump(database)
    refused = await client.patch(VILLAGE, json={"population_year": year})
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "validation_failed"
    assert [d.get("key") for d in refused.json()["details"]] == ["population_year"]
    assert dump(database) == before


async def test_a_population_year_in_the_future_is_refused_and_1897_kept(client, database):
    before = dump(database)
    next_year = today_local().year + 1
    refused = await client.patch(VILLAGE, json={"population_year": next_year})
    assert refused.status_code == 422, refused.text
    assert refused.json()["details"][0]["field"] == "population_year"
    assert dump(database) == before
    kept = await client.patch(VILLAGE, json={"population_year": 1897})
    assert (kept.status_code, kept.json()["population_year"]) == (200, 1897)
    schema = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]
    year = schema["VillagePatch"]["properties"]["population_year"]
    assert year["minimum"] == 1897


async def test_an_accepted_suggestion_moves_the_village(client, anonymous_phone, database):
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    before = (await client.get(VILLAGE)).json()
    record = new_id()
    suggested = {"mutation_id": new_id(), "record_id": record, "kind": "village_position",
                 "set": {"village": before["kato"], "lat": 44.91, "lon": 65.42}}  # fmt: skip
    pushed = await anonymous_phone.post("/api/v1/sync/push", json={"mutations": [suggested]})
    assert pushed.json()["results"][0]["status"] == "applied"

    [listed] = (await client.get("/api/v1/gazetteer/suggestions")).json()["suggestions"]
    assert listed | {"at": None} == {
        "id": record, "village": before["kato"], "names": before["names"],
        "position": {"lat": 44.91, "lon": 65.42}, "accuracy_m": None, "note": None,
        "current": None, "quality": "okrug_centre", "distance_km": None, "team": "team-1",
        "by": "field-a", "at": None, "source": "village_position"}  # fmt: skip
    # the phone moves its suggestion (to another village) after the coordinator looked at it
    moved = {"mutation_id": new_id(), "record_id": record, "kind": "village_position",
             "base_version": 1, "set": {"village": "431033100", "lat": 44.95, "lon": 65.5}}  # fmt: skip
    pushed = await anonymous_phone.post("/api/v1/sync/push", json={"mutations": [moved]})
    assert pushed.json()["results"][0]["status"] == "applied"
    shown = {"village": listed["village"], "position": listed["position"]}
    other = (await client.get("/api/v1/villages/431033100")).json()
    late = await client.post(f"/api/v1/gazetteer/suggestions/{record}/accept", json=shown)
    assert (late.status_code, late.json()["code"]) == (409, "version_conflict")
    assert (await client.get("/api/v1/villages/431033100")).json() == other  # not moved
    back = {**moved, "mutation_id": new_id(), "base_version": 2,
            "set": {"village": before["kato"], "lat": 44.91, "lon": 65.42}}  # fmt: skip
    await anonymous_phone.post("/api/v1/sync/push", json={"mutations": [back]})
    accepted = await client.post(f"/api/v1/gazetteer/suggestions/{record}/accept",
                                 json={"comment": "checked on the satellite map", **shown})  # fmt: skip
    assert accepted.status_code == 200, accepted.text
    village = (await client.get(VILLAGE)).json()
    assert (village["position"], village["location_quality"], village["version"]) == (
        {"lat": 44.91, "lon": 65.42}, "exact", before["version"] + 1)  # fmt: skip
    assert (await client.get("/api/v1/gazetteer/suggestions")).json()["suggestions"] == []
    refused = await client.post(f"/api/v1/gazetteer/suggestions/{record}/refuse")
    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")


async def test_a_bad_population_file_names_each_line_and_column(client, database):
    before = dump(database)
    body = "\ufeffkato,population,population_year\n431033103,many,2026\n431010000,12,last\n"
    refused = await client.post("/api/v1/gazetteer/populations", params={"dry_run": "false"},
                                content=body.encode(), headers=CSV)  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_gazetteer_file"
    named = {(d["line"], d["column"]) for d in refused.json()["details"]}
    assert named == {(2, "population"), (3, "population_year")}
    empty = await client.post("/api/v1/gazetteer/populations", content=b"", headers=CSV)
    assert (empty.status_code, empty.json()["code"]) == (400, "invalid_gazetteer_file")
    assert dump(database) == before
