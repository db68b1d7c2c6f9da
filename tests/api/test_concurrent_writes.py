"""Many writes at once against a real server process, some failing mid-transaction: after a
kill -9, every write that got a 2xx is in the database file and none that failed is."""

from __future__ import annotations

import asyncio
import signal

import httpx

from tests.conftest import sign_in
from tests.synthetic import make_rows, to_csv

CSV = {"content-type": "text/csv"}


def import_jobs() -> list[tuple[str, list[dict[str, str]], bool]]:
    """(district, rows, should_fail): every other file has a swapped lat/lon in its last row,
    which passes every check of the file itself and fails after the rows are written."""
    jobs = []
    for index in range(24):
        district = f"99{index + 10:02d}00000"
        rows = make_rows(district, okrugs=3, per_okrug=4)
        should_fail = index % 2 == 1
        if should_fail:
            rows[-1]["lat"], rows[-1]["lon"] = rows[-1]["lon"], rows[-1]["lat"]
        jobs.append((district, rows, should_fail))
    return jobs


async def test_concurrent_writes_keep_exactly_the_acknowledged_ones(engine_server) -> None:
    jobs = import_jobs()
    async with httpx.AsyncClient(base_url=engine_server.url, timeout=60) as http:
        await sign_in(http, engine_server.database, "coordinator")
        page = (await http.get("/api/v1/villages", params={"district": "433200000"})).json()
        villages = [v["kato"] for v in page["items"][:24]]
        original = {v["kato"]: v["population"] for v in page["items"]}
        imports = [http.post("/api/v1/gazetteer/imports", content=to_csv(rows), headers=CSV)
                   for _, rows, _ in jobs]  # fmt: skip
        # every other correction names a version that is not current: refused after its read
        patches = [
            http.patch(f"/api/v1/villages/{kato}",
                       json={"population": 1000 + i, "expected_version": 1 if i % 2 == 0 else 7})
            for i, kato in enumerate(villages)
        ]  # fmt: skip
        reads = [http.get("/api/v1/villages", params={"limit": 1000}) for _ in range(10)]
        responses = await asyncio.gather(*imports, *patches, *reads)
    import_responses = responses[: len(jobs)]
    patch_responses = responses[len(jobs) : len(jobs) + len(villages)]
    assert all(r.status_code < 500 for r in responses)
    assert [r.status_code for r in import_responses] == [400 if fail else 201 for *_, fail in jobs]
    assert [r.status_code for r in patch_responses] == [
        200 if i % 2 == 0 else 409 for i in range(len(villages))
    ]

    engine_server.process.send_signal(signal.SIGKILL)  # no clean shutdown, no checkpoint
    engine_server.process.wait()
    engine_server.process = None

    database = engine_server.database
    stored = dict(database.rows("SELECT kato, name_ru FROM villages"))
    districts = {row[0] for row in database.rows("SELECT kato FROM districts")}
    okrugs = {row[0] for row in database.rows("SELECT kato FROM okrugs")}
    populations = dict(database.rows("SELECT kato, population FROM villages"))
    for district, rows, should_fail in jobs:
        present = [row["kato"] in stored for row in rows]
        assert present == [not should_fail] * len(rows), district
        assert (district in districts) is not should_fail
        assert ({row["rural_okrug_kato"] for row in rows} <= okrugs) is not should_fail
    for i, kato in enumerate(villages):
        assert populations[kato] == (1000 + i if i % 2 == 0 else original[kato])
