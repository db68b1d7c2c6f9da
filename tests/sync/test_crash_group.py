"""The server killed with SIGKILL while several phones push at once (their pushes gathered
into shared transactions), restarted, many times: every push of a group is either stored
whole or not at all, an acknowledged one is always stored, and the phones' retries leave
each mutation stored exactly once."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.conftest import PASSWORD, LiveServer, add_user
from tests.engines import TestDatabase
from tests.sync.phone import make_meeting
from tests.sync.test_crash import stored

PHONES = 6
KILLS = 6
SIZE = 40


def enrol_phones(server: LiveServer) -> list[httpx.Client]:
    """PHONES phones of two teams, enrolled on the live server."""
    add_user(server.database, "coord", "coordinator")
    phones = []
    with httpx.Client(base_url=server.url) as staff:
        signed = staff.post("/api/v1/session", json={"login": "coord", "password": PASSWORD})
        staff.headers["x-csrf-token"] = signed.json()["csrf_token"]
        for n in range(PHONES):
            add_user(server.database, f"field-{n}", "field", f"team-{n % 2 + 1}")
            code = staff.post("/api/v1/devices/enrolments", json={"login": f"field-{n}"})
            enrolled = staff.post("/api/v1/devices/enrol", json={"code": code.json()["code"]})
            token = enrolled.json()["device_token"]
            phones.append(httpx.Client(base_url=server.url, timeout=20,
                                       headers={"authorization": f"Bearer {token}"}))  # fmt: skip
    return phones


def push(phone: httpx.Client, batch: list[dict]) -> list[dict] | None:
    """The results, or None if the server died before it answered."""
    try:
        response = phone.post("/api/v1/sync/push", json={"mutations": batch})
        response.raise_for_status()
    except (httpx.TransportError, httpx.HTTPStatusError):
        return None
    results: list[dict] = response.json()["results"]
    return results


def test_crash_kill_nine_during_group_commits_stores_each_push_whole_or_not_at_all(
    database: TestDatabase, tmp_path: Path
):
    server = LiveServer(database.url, tmp_path / "server.log")
    server.start()
    rng = random.Random(21)
    phones = enrol_phones(server)
    pool = ThreadPoolExecutor(PHONES)
    every: list[str] = []

    def round_of_pushes() -> list[tuple[list[dict], list[dict] | None]]:
        batches = [[make_meeting(rng) for _ in range(SIZE)] for _ in phones]
        every.extend(m["mutation_id"] for b in batches for m in b)
        answers = list(pool.map(push, phones, batches))
        return list(zip(batches, answers, strict=True))

    try:
        started = time.perf_counter()
        assert all(answer for _, answer in round_of_pushes())
        round_s = time.perf_counter() - started  # kills land anywhere in a round this long
        kills = interrupted = in_flight_together = stored_unanswered = 0
        while kills < KILLS:
            process = server.process
            assert process is not None
            timer = threading.Timer(rng.uniform(0.0, round_s), process.kill)
            timer.start()
            pushed = round_of_pushes()
            timer.join()
            process.wait(timeout=10)
            kills += 1
            server.process = None
            unanswered = 0
            for batch, answer in pushed:
                ids = [m["mutation_id"] for m in batch]
                present = stored(server.database, ids)
                assert present in (set(), set(ids)), "a push was stored in part"
                if answer is not None:
                    assert present == set(ids), "an acknowledged push is missing"
                else:
                    unanswered += 1
                    stored_unanswered += present == set(ids)
            interrupted += unanswered
            in_flight_together += unanswered >= 2
            server.start()
            for phone, (batch, answer) in zip(phones, pushed, strict=True):
                if answer is None:  # the phone retries what got no answer
                    again = push(phone, batch)
                    assert again is not None
                    assert {r["status"] for r in again} <= {"applied", "duplicate"}
    finally:
        pool.shutdown()
        for phone in phones:
            phone.close()
        server.stop()
    kept = [row[0] for row in database.rows("SELECT mutation_id FROM sync_mutations")]
    assert sorted(kept) == sorted(every)  # each mutation exactly once, none lost
    assert database.rows("SELECT count(*) FROM sync_records")[0][0] == len(every)
    print(
        f"{kills} kills, {interrupted} pushes unanswered ({stored_unanswered} stored before"
        f" the answer), {in_flight_together} kills with several pushes in flight"
    )
    assert in_flight_together >= 1  # at least one kill landed on pushes being gathered
