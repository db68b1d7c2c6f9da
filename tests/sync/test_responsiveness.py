"""One phone cannot stall the server: while the largest push allowed (500 mutations at the
record limits, against a record already near them) and a pull of a page at the limits run,
`/health` keeps answering in under 100 ms, on a real server process, on each engine."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from tests.conftest import LiveServer
from tests.sync.phone import make_meeting, new_id
from tests.sync.test_crash import enrol

HEALTH_BUDGET_S = 0.1
ROUNDS = 3
BIG_RECORDS = 8
ITEMS = 990


def big_meeting(rng: random.Random) -> dict[str, Any]:
    """A meeting near the record limits: every list at 990 items, long notes (0.8 MiB)."""
    meeting = make_meeting(rng, notes="n" * 3999)
    meeting["add"] = {
        "topics": [f"topic {i} " + "t" * 40 for i in range(ITEMS)],
        "photos": [hashlib.sha256(str(rng.random()).encode()).hexdigest() for _ in range(ITEMS)],
        "questions": [question(rng) for _ in range(ITEMS)],
        "referrals": [referral(rng) for _ in range(ITEMS)],
        "interested": [person(rng) for _ in range(ITEMS)],
    }
    return meeting


def person(rng: random.Random, person_id: str | None = None) -> dict[str, Any]:
    return {"id": person_id or new_id(rng), "name": "Н" * 40 + str(rng.random()),
            "phone": "+7 701 234 56 78", "village": "431033100",
            "interest": "bakery " * 20}  # fmt: skip


def question(rng: random.Random, question_id: str | None = None) -> dict[str, Any]:
    return {"id": question_id or new_id(rng), "text": "Қай жерден несие алуға болады? " * 3}


def referral(rng: random.Random, referral_id: str | None = None) -> dict[str, Any]:
    return {"id": referral_id or new_id(rng), "programme": "microcredit", "count": 2,
            "note": "n" * 40}  # fmt: skip


def replacing(rng: random.Random, record: dict[str, Any], n: int) -> dict[str, Any]:
    """A small mutation of a meeting near its limits: two items of each list replaced, a
    topic swapped for another, the notes rewritten."""
    add, old = {}, record["add"]
    for name, make in (("interested", person), ("questions", question), ("referrals", referral)):
        add[name] = [make(rng, old[name][(2 * n + i) % ITEMS]["id"]) for i in range(2)]
    add["topics"] = [f"new topic {n}"]
    return {"mutation_id": new_id(rng), "record_id": record["record_id"], "kind": "meeting",
            "base_version": 0, "set": {"notes": f"{n} " + "x" * 3990}, "add": add,
            "remove": {"topics": [old["topics"][n]]}}  # fmt: skip


def slowest_health(server: LiveServer, work: Callable[[], httpx.Response]) -> tuple[float, Any]:
    """Run `work` while a loop of GET /health runs beside it: the slowest answer (seconds)
    and the work's response."""
    done = threading.Event()
    times: list[float] = []

    def probe() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            while not done.is_set():
                started = time.perf_counter()
                assert http.get("/health").status_code == 200
                times.append(time.perf_counter() - started)
                time.sleep(0.005)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        time.sleep(0.2)
        response = work()
    finally:
        done.set()
        prober.join()
    assert len(times) > 10, times
    print(f"{len(times)} health checks, slowest {max(times) * 1000:.0f} ms")
    return max(times), response


def test_health_answers_during_the_largest_push_and_a_page_at_the_limits(engine_server, database):
    rng = random.Random(150)
    server = engine_server
    with enrol(server) as phone:  # closed even when an assertion fails
        _largest_push_and_page(server, phone, database.engine, rng)


def _largest_push_and_page(server, phone, engine, rng) -> None:
    """The largest push, a flood of items refused, and a pull page at the limits, each with
    /health asked again and again beside it; in up to ROUNDS rounds, until one keeps the
    budget. A step of the server's own that holds the event loop (the 33 s freeze this test
    was written for, or any CPU-heavy step run on the loop) shows in every round; a 2-core
    machine running the suite, PostgreSQL and the server now and then stalls a thread for
    100 ms by itself (1 full run in 3 today, on one of the 150 answers)."""
    phone.timeout = httpx.Timeout(300)
    bigs = [big_meeting(rng) for _ in range(BIG_RECORDS)]
    seeded = phone.post("/api/v1/sync/push", json={"mutations": bigs})
    assert [r["status"] for r in seeded.json()["results"]] == ["applied"] * BIG_RECORDS
    rounds = []
    for _ in range(ROUNDS):
        rounds.append(_one_round(server, phone, rng, bigs[0]))
        print(f"slowest /health: {rounds[-1][0] * 1000:.0f} ms during the push, "
              f"{rounds[-1][1] * 1000:.0f} ms during the flood, {rounds[-1][2] * 1000:.0f} ms"
              f" during the pull ({engine})")  # fmt: skip
        if max(rounds[-1]) < HEALTH_BUDGET_S:
            break
    assert min(max(r) for r in rounds) < HEALTH_BUDGET_S, rounds


def _one_round(server, phone, rng, big: dict[str, Any]) -> tuple[float, float, float]:
    """The slowest /health (seconds) during the push, the flood and the pull."""
    batch = [replacing(rng, big, n) for n in range(500)]
    body = httpx.Request("POST", "/", json={"mutations": batch}).read()
    headers = {"content-type": "application/json"}
    push_s, pushed = slowest_health(
        server, lambda: phone.post("/api/v1/sync/push", content=body, headers=headers)
    )
    assert pushed.status_code == 200, pushed.text
    assert {r["status"] for r in pushed.json()["results"]} == {"applied"}
    # the attack that froze the server for 33 s: every mutation adds 1,000 topics to one record
    flood = [make_meeting(rng)]
    flood += [{"mutation_id": new_id(rng), "record_id": flood[0]["record_id"], "kind": "meeting",
               "add": {"topics": [f"t{n} {i}......." for i in range(1000)]}}
              for n in range(499)]  # fmt: skip
    body = httpx.Request("POST", "/", json={"mutations": flood}).read()
    flood_s, flooded = slowest_health(
        server, lambda: phone.post("/api/v1/sync/push", content=body, headers=headers)
    )
    reasons = [r.get("reason") for r in flooded.json()["results"]]
    assert reasons == [None] + ["too_many_items"] * 499
    pull_s, pulled = slowest_health(
        server, lambda: phone.post("/api/v1/sync/pull", json={"limit": 5000})
    )
    assert pulled.status_code == 200
    page = pulled.json()
    assert page["more"] and 1 <= len(page["records"]) < BIG_RECORDS  # bounded in bytes
    return push_s, flood_s, pull_s
