"""Populations from a file (akimats' figures): a preview changes nothing; applying changes the
settlements, their history and coverage's known population in one go; a bad file is refused
whole with every bad line and column named, and changes nothing."""

from __future__ import annotations

CSV = {"content-type": "text/csv"}


async def unknown(client, n: int) -> list[dict]:
    villages = (await client.get("/api/v1/villages", params={"limit": 1000})).json()["items"]
    return [v for v in villages if v["population"] is None][:n]


async def test_preview_then_apply(client):
    targets = await unknown(client, 3)
    before = (await client.get("/api/v1/coverage")).json()["headline"]
    lines = "".join(f"{v['kato']};{2_000 + i} ;2026\n" for i, v in enumerate(targets))
    body = ("\ufeffkato;population;population_year\n" + lines).encode()
    preview = await client.post("/api/v1/gazetteer/populations", content=body, headers=CSV)
    assert preview.status_code == 200, preview.text
    found = preview.json()
    assert (found["applied"], found["unchanged"]) == (False, 0)
    assert [(c["kato"], c["before"], c["after"], c["year"]) for c in found["changes"]] == [
        (v["kato"], None, 2_000 + i, 2026) for i, v in enumerate(targets)]  # fmt: skip
    assert found["changes"][0]["name"] == targets[0]["names"]
    assert (await client.get(f"/api/v1/villages/{targets[0]['kato']}")).json()["population"] is None

    applied = await client.post("/api/v1/gazetteer/populations", params={"dry_run": "false"},
                                content=body, headers=CSV)  # fmt: skip
    assert applied.json()["applied"] is True
    village = (await client.get(f"/api/v1/villages/{targets[0]['kato']}")).json()
    assert (village["population"], village["population_year"]) == (2_000, 2026)
    assert village["version"] == targets[0]["version"] + 1
    after = (await client.get("/api/v1/coverage")).json()["headline"]
    assert after["villages_population_unknown"] == before["villages_population_unknown"] - 3
    assert after["population_known"] == before["population_known"] + 2_000 + 2_001 + 2_002
    again = await client.post("/api/v1/gazetteer/populations", params={"dry_run": "false"},
                              content=body, headers=CSV)  # fmt: skip
    assert (again.json()["changes"], again.json()["unchanged"]) == ([], 3)


async def test_a_bad_file_is_refused_whole(client):
    [first, second] = await unknown(client, 2)
    body = (f"kato,population\n{first['kato']},150\n123,7\n{second['kato']},-4\n"
            f"{first['kato']},9\n999999999,10\n").encode()  # fmt: skip
    refused = await client.post("/api/v1/gazetteer/populations", params={"dry_run": "false"},
                                content=body, headers=CSV)  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_gazetteer_file"
    named = {(d["line"], d["column"]) for d in refused.json()["details"]}
    assert named == {(3, "kato"), (4, "population"), (5, "kato"), (6, "kato")}
    assert (await client.get(f"/api/v1/villages/{first['kato']}")).json()["population"] is None
    missing = await client.post("/api/v1/gazetteer/populations", content=b"kato;people\n1;2\n",
                                headers=CSV)  # fmt: skip
    assert {(d["line"], d["column"]) for d in missing.json()["details"]} == {
        (1, "population"), (1, "people")}  # fmt: skip


async def test_only_coordinators_import(anonymous):
    refused = await anonymous.post("/api/v1/gazetteer/populations", content=b"kato,population\n",
                                   headers=CSV)  # fmt: skip
    assert refused.status_code == 401
