"""The server killed with SIGKILL at random moments during pushes, restarted, many times: no
partial batch, no acknowledged mutation missing, no duplicate after the client retries."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import httpx

from tests.conftest import PASSWORD, LiveServer, add_user
from tests.engines import TestDatabase
from tests.sync.phone import edit, make_meeting

KILLS = 8  # per engine, each at a random moment of a push (with the group test's 6 more)
SIZE = 200


def enrol(server: LiveServer) -> httpx.Client:
    """A phone of team-1 enrolled on the live server."""
    add_user(server.database, "coord", "coordinator")
    add_user(server.database, "field-a", "field", "team-1")
    with httpx.Client(base_url=server.url) as staff:
        signed = staff.post("/api/v1/session", json={"login": "coord", "password": PASSWORD})
        staff.headers["x-csrf-token"] = signed.json()["csrf_token"]
        code = staff.post("/api/v1/devices/enrolments", json={"login": "field-a"}).json()["code"]
        token = staff.post("/api/v1/devices/enrol", json={"code": code}).json()["device_token"]
    return httpx.Client(base_url=server.url, headers={"authorization": f"Bearer {token}"},
                        timeout=10)  # fmt: skip


def stored(database: TestDatabase, ids: list[str]) -> set[str]:
    marks = ",".join("?" * len(ids))
    sql = f"SELECT mutation_id FROM sync_mutations WHERE mutation_id IN ({marks})"
    return {row[0] for row in database.rows(sql, ids)}


def test_crash_kill_nine_during_pushes_loses_and_duplicates_nothing(
    database: TestDatabase, tmp_path: Path
):
    server = LiveServer(database.url, tmp_path / "server.log")
    server.start()
    rng = random.Random(99)
    phone = enrol(server)
    acknowledged: dict[str, dict] = {}
    versions: dict[str, int] = {}
    kills = batches = interrupted = stored_unanswered = 0
    started = time.perf_counter()
    warm_up = [make_meeting(rng) for _ in range(SIZE)]
    assert phone.post("/api/v1/sync/push", json={"mutations": warm_up}).status_code == 200
    push_s = time.perf_counter() - started  # kills land anywhere in a push of this length
    try:
        while kills < KILLS:
            batch = [make_meeting(rng) for _ in range(SIZE)]
            batch += [edit(r, v, notes=f"edit {batches}") for r, v in list(versions.items())[:20]]
            ids = [m["mutation_id"] for m in batch]
            process = server.process
            assert process is not None
            timer = threading.Timer(rng.uniform(0.0, push_s * 1.2), process.kill)
            timer.start()
            try:
                response = phone.post("/api/v1/sync/push", json={"mutations": batch})
                response.raise_for_status()
                results = response.json()["results"]
            except httpx.TransportError:
                results = None
                interrupted += 1
            timer.join()
            process.wait(timeout=10)  # killed: during this push, or just after its answer
            kills += 1
            server.process = None
            present = stored(server.database, ids)
            assert present in (set(), set(ids)), "a batch was stored in part"
            stored_unanswered += results is None and present == set(ids)
            server.start()
            if results is None:
                results = phone.post("/api/v1/sync/push", json={"mutations": batch}).json()[
                    "results"
                ]
            batches += 1
            for mutation, result in zip(batch, results, strict=True):
                final = result.get("original", result)
                assert final["status"] in ("applied", "conflict"), result
                acknowledged[mutation["mutation_id"]] = mutation
                versions[mutation["record_id"]] = final["version"]
    finally:
        phone.close()
        server.stop()
    mutations = {row[0] for row in database.rows("SELECT mutation_id FROM sync_mutations")}
    records = dict(database.rows("SELECT id, version FROM sync_records"))
    assert set(acknowledged) <= mutations
    assert len(mutations) == len(acknowledged) + len(warm_up)  # nothing stored twice or unasked
    assert {r: v for r, v in records.items() if r in versions} == versions
    assert len(records) == len(versions) + len(warm_up)
    assert kills == KILLS and batches >= KILLS
    print(
        f"{kills} kills, {interrupted} in the middle of a push ({stored_unanswered} after the"
        f" commit, before the answer), {batches} batches"
    )
    assert interrupted >= 1  # at least one kill landed inside a request
