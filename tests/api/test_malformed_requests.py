"""A battery of malformed requests: every one gets a 4xx in the one error shape, none a 5xx,
and the database is unchanged afterwards."""

# ruff: noqa: F811 (the tests take the imported fixtures by name)
from __future__ import annotations

import pytest

from tests.dbstate import dump
from tests.shared_app import client, database  # noqa: F401 (fixtures, by name)

# one app and database per engine for the whole battery: a refused request writes nothing,
# and each test checks that it did not
pytestmark = pytest.mark.asyncio(loop_scope="module")


JSON = {"content-type": "application/json"}
CSV = {"content-type": "text/csv"}
VILLAGE = "/api/v1/villages/431033103"
IMPORT = "/api/v1/gazetteer/imports"
NESTED = b'{"population": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

CASES: list[tuple[str, str, dict[str, str], bytes | None]] = [
    ("PATCH", VILLAGE, JSON, b"{"),
    ("PATCH", VILLAGE, JSON, b'{"population": 5'),
    ("PATCH", VILLAGE, JSON, b"not json"),
    ("PATCH", VILLAGE, JSON, b"[]"),
    ("PATCH", VILLAGE, JSON, b"null"),
    ("PATCH", VILLAGE, JSON, b"42"),
    ("PATCH", VILLAGE, JSON, b""),
    ("PATCH", VILLAGE, JSON, b'{"population": "many"}'),
    ("PATCH", VILLAGE, JSON, b'{"population": -1}'),
    ("PATCH", VILLAGE, JSON, b'{"population": 1e400}'),
    ("PATCH", VILLAGE, JSON, b'{"population": 123456789012345678901234567890}'),
    ("PATCH", VILLAGE, JSON, b'{"position": "here"}'),
    ("PATCH", VILLAGE, JSON, b'{"position": {"lat": 95, "lon": 65}}'),
    ("PATCH", VILLAGE, JSON, b'{"position": {"lat": NaN, "lon": 65}}'),
    ("PATCH", VILLAGE, JSON, b'{"position": {"lat": 44}}'),
    ("PATCH", VILLAGE, JSON, b'{"population": 5, "name_ru": null}'),
    ("PATCH", VILLAGE, JSON, b'{"expected_version": 0}'),
    ("PATCH", VILLAGE, JSON, NESTED),
    ("PATCH", VILLAGE, JSON, b'{"population": "' + b"9" * 500_000 + b'"}'),
    ("PATCH", VILLAGE, JSON, b'{"population": 5}' + b" " * 2_000_000),
    ("PATCH", VILLAGE, JSON, b'{"population": "\xff\xfe"}'),
    ("PATCH", VILLAGE, {"content-type": "text/plain"}, b'{"population": 5}'),
    ("PATCH", VILLAGE, {}, b'{"population": 5}'),
    ("PATCH", "/api/v1/villages/999999999", JSON, b'{"population": 5}'),
    ("PATCH", "/api/v1/villages/abc", JSON, b'{"population": 5}'),
    ("DELETE", VILLAGE, {}, None),
    ("PUT", VILLAGE, JSON, b"{}"),
    ("GET", "/api/v1/villages?limit=-1", {}, None),
    ("GET", "/api/v1/villages?limit=100000000000000000000000000", {}, None),
    ("GET", "/api/v1/villages?offset=abc", {}, None),
    ("GET", "/api/v1/villages?offset=-5", {}, None),
    ("GET", "/api/v1/villages?kind=hamlet", {}, None),
    ("GET", "/api/v1/villages?location_quality=great", {}, None),
    ("GET", "/api/v1/villages?district=43", {}, None),
    ("GET", "/api/v1/villages?q=" + "ж" * 5000, {}, None),
    ("GET", "/api/v1/villages?q=", {}, None),
    ("GET", "/api/v1/villages/%00", {}, None),
    ("GET", "/api/v1/villages/" + "1" * 10_000, {}, None),
    ("GET", "/api/v1/nothing-here", {}, None),
    ("GET", "/api/v1/okrugs?district=%FF", {}, None),
    ("POST", IMPORT, CSV, b""),
    ("POST", IMPORT, CSV, b"\x00\x01\x02\xff\xfe binary"),
    ("POST", IMPORT, CSV, b"kato,name_ru,kind,district_kato,district_ru\n"),
    ("POST", IMPORT, CSV, b'kato,name_ru,kind,district_kato,district_ru\n"991110100,"X\n'),
    ("POST", IMPORT, CSV, b"kato,name_ru,kind,district_kato,district_ru\n991110100,X\x00,village,991100000,R\n"),
    ("POST", IMPORT, CSV, b"kato,name_ru,kind,district_kato,district_ru\n" + b"9" * 3_000_000 + b"\n"),
    ("POST", IMPORT, CSV, b"kato,kato\n1,2\n"),
    ("POST", IMPORT, JSON, b'{"kato": "991110100"}'),
    ("POST", IMPORT, CSV, b"x" * 17_000_000),
    ("POST", IMPORT + "?region_ru=" + "x" * 500, CSV, b"kato\n"),
    ("POST", "/api/v1/villages", JSON, b"{}"),
    ("POST", "/api/v1/grouping/preview", JSON, b'{"districts": "all"}'),
    ("POST", "/api/v1/grouping/preview", JSON, b'{"policy": {"max_gathering_km": "far"}}'),
    ("POST", "/api/v1/grouping/preview", JSON, b'{"districts": [' + b'"433200000",' * 200 + b'"433200000"]}'),
    ("POST", "/api/v1/grouping/preview", {"content-type": "text/plain"}, b"{}"),
    ("POST", "/api/v1/plans", JSON, b'{"start": "yesterday", "end": "2027-05-28"}'),
    ("POST", "/api/v1/plans", JSON, b'{"start": "2027-03-01", "end": "2027-05-28", "teams": 10000}'),
    ("POST", "/api/v1/plans", JSON, b'{"start": "2027-03-01", "end": "2030-05-28"}'),
    ("POST", "/api/v1/plans", JSON, b'{"start": "2027-03-01", "end": "2027-05-28", "time_limit_s": 1e9}'),
    ("POST", "/api/v1/plans", JSON, b'{"start": "2027-03-01", "end": "2027-05-28", "weekdays": [7]}'),
    ("POST", "/api/v1/plans", JSON, NESTED),
    ("POST", "/api/v1/plans/1/publish", {}, None),
    ("POST", "/api/v1/plans/abc/publish", {}, None),
    ("POST", "/api/v1/plans/1/replan", JSON, b'{"pins": [{"meeting_id": "x"}]}'),
    ("GET", "/api/v1/plans/1/diff?against=zero", {}, None),
    ("GET", "/api/v1/plans/1/day-sheet?team=team-1&date=someday", {}, None),
    ("GET", "/api/v1/plans/1/day-sheet?team=team-1&date=2027-03-01&lang=fr", {}, None),
    ("GET", "/api/v1/travel?from=431010000", {}, None),
    ("GET", "/api/v1/travel?from=431010000&to=12", {}, None),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "headers", "body"), CASES,
                         ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])  # fmt: skip
async def test_malformed_request_gets_4xx_error_body(client, database, method, path, headers, body
                                                      ) -> None:  # fmt: skip
    before = dump(database)
    response = await client.request(method, path, headers=headers, content=body)
    assert 400 <= response.status_code < 500, response.text[:500]
    error = response.json()
    assert set(error) == {"code", "message", "status", "details", "request_id"}
    assert error["status"] == response.status_code
    assert error["code"] and error["message"]
    assert dump(database) == before


@pytest.mark.parametrize(("body", "status", "code"), [
    (b'{"population": 5}' + b" " * 2_000_000, 413, "body_too_large"),
    (b"x" * 17_000_000, 413, "body_too_large"),
])  # fmt: skip
async def test_oversized_bodies_are_413(client, body: bytes, status: int, code: str) -> None:
    path, headers = (VILLAGE, JSON) if body.startswith(b"{") else (IMPORT, CSV)
    response = await client.request("PATCH" if path == VILLAGE else "POST", path,
                                    headers=headers, content=body)  # fmt: skip
    assert (response.status_code, response.json()["code"]) == (status, code)
    # the limit is said, and the setting that raises it
    limit, setting = ((1_048_576, "OUTREACH_MAX_BODY_BYTES") if path == VILLAGE
                      else (16_777_216, "OUTREACH_MAX_IMPORT_BYTES"))  # fmt: skip
    assert f"{limit:,} bytes" in response.json()["message"]
    assert setting in response.json()["message"]


async def test_wrong_content_type_is_415(client) -> None:
    response = await client.patch(VILLAGE, headers={"content-type": "text/plain"}, content=b"{}")
    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")
