"""Several writers at once, over real connections and real processes, on each engine: a pull
cursor never passes a change that commits later, identical pushes reaching several app
processes are applied once, and `serve --workers N` shares one database."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from outreach.db import sync as sync_sql
from outreach.db.database import connect
from outreach.domain.merge import RecordState
from outreach.simulate.records import SURNAMES
from tests.conftest import PASSWORD, LiveServer, add_user
from tests.engines import TestDatabase
from tests.sync.phone import make_meeting
from tests.sync.test_crash import enrol


@pytest.fixture
def servers(database: TestDatabase, tmp_path: Path) -> Iterator[list[LiveServer]]:
    """Three app processes on one database, as behind a load balancer (started at once)."""
    started: list[LiveServer] = []
    try:
        for n in range(3):
            server = LiveServer(database.url, tmp_path / f"server-{n}.log")
            server.spawn()
            started.append(server)
        for server in started:
            server.wait_ready()
        yield started
    finally:
        for server in started:
            server.stop()


def on(server: LiveServer, phone: httpx.Client) -> httpx.Client:
    """The same enrolled phone, talking to another process."""
    return httpx.Client(base_url=server.url, headers=dict(phone.headers), timeout=60)


def at_once(calls: list) -> list:
    """Run the calls in threads released together; their results in order (an exception in
    one is raised here)."""
    gate = threading.Barrier(len(calls))

    def run(call):  # type: ignore[no-untyped-def]
        gate.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result() for f in [pool.submit(run, call) for call in calls]]


def test_identical_pushes_at_several_processes_are_applied_once(servers, database):
    phone = enrol(servers[0])
    batch = [make_meeting(random.Random(70 + i)) for i in range(20)]
    clients = [on(s, phone) for s in servers for _ in range(4)]  # 12 requests, 3 processes
    responses = at_once([lambda c=c: c.post("/api/v1/sync/push", json={"mutations": batch})
                         for c in clients])  # fmt: skip
    assert [r.status_code for r in responses] == [200] * 12
    answers = [r.json()["results"] for r in responses]
    for i in range(len(batch)):
        results = [a[i] for a in answers]
        [applied] = [r for r in results if r["status"] == "applied"]
        duplicates = [r for r in results if r["status"] == "duplicate"]
        assert len(duplicates) == 11
        assert all(d["original"] == applied for d in duplicates)  # the first result, each time
    assert database.scalar("SELECT count(*) FROM sync_records") == 20
    assert database.scalar("SELECT count(*) FROM sync_mutations") == 20
    assert database.scalar("SELECT count(DISTINCT seq) FROM sync_records") == 20
    for client in [phone, *clients]:
        client.close()


async def test_pull_cursor_never_passes_a_change_committed_later(pg_database, tmp_path):
    """A slow writer holds sequence number n uncommitted; a push arriving meanwhile must not
    commit n + 1 before it, or a phone pulling in between would step over n for good.
    (PostgreSQL: SQLite has one writer, whom the pull's own small write would wait for.)"""
    server = LiveServer(pg_database.url, tmp_path / "server.log")
    server.start()
    enrolled = enrol(server)
    try:
        async with httpx.AsyncClient(base_url=server.url, headers=dict(enrolled.headers),
                                     timeout=60) as phone:  # fmt: skip
            await _held_writer_scenario(phone, pg_database)
    finally:
        enrolled.close()
        server.stop()


async def _held_writer_scenario(phone: httpx.AsyncClient, database: TestDatabase) -> None:
    first = make_meeting(random.Random(80))
    assert (await phone.post("/api/v1/sync/push", json={"mutations": [first]})).is_success
    cursor = (await phone.post("/api/v1/sync/pull", json={})).json()["cursor"]
    slow = make_meeting(random.Random(81))
    late = make_meeting(random.Random(82))
    async with connect(database.url, connections=1) as db:
        async with db.write() as tx:
            # the slow writer: takes the next number as a push does, and does not commit yet
            state = await sync_sql.state(tx, lock=True)
            team = await sync_sql.team_id(tx, "team-1")
            assert team is not None
            held = RecordState(id=slow["record_id"], kind="meeting", team_id=team, version=1,
                               seq=state.last_seq + 1, deleted=False, doc=slow["set"],
                               writers={})  # fmt: skip
            await sync_sql.save_records(tx, [held], "2027-05-01T00:00:00.000+00:00")
            await sync_sql.set_last_seq(tx, held.seq)
            pushing = asyncio.create_task(
                phone.post("/api/v1/sync/push", json={"mutations": [late]})
            )
            await asyncio.sleep(1.5)
            # meanwhile the push waits for the slow writer, and a pull sees neither change
            assert not pushing.done()
            between = (await phone.post("/api/v1/sync/pull", json={"cursor": cursor})).json()
            assert between["records"] == [] and between["reset"] is False
        response = await asyncio.wait_for(pushing, timeout=30)
    [result] = response.json()["results"]
    assert (result["status"], result["seq"]) == ("applied", held.seq + 1)
    after = (await phone.post("/api/v1/sync/pull", json={"cursor": between["cursor"]})).json()
    assert [r["id"] for r in after["records"]] == [slow["record_id"], late["record_id"]]


def test_concurrent_pushes_through_three_processes_reach_a_pulling_phone_whole(servers):
    """Pushes from six phones spread over three processes while a seventh phone pulls
    incrementally from its cursor: what it gathers is exactly what was pushed."""
    phone = enrol(servers[0])
    rng = random.Random(90)
    batches = [[make_meeting(rng) for _ in range(5)] for _ in range(36)]
    pushed: set[str] = {m["record_id"] for batch in batches for m in batch}
    gathered: set[str] = set()
    done = threading.Event()

    def pull_until_done() -> int:
        with on(servers[2], phone) as puller:
            cursor, pulls = None, 0
            while True:
                finished = done.is_set()
                page = puller.post("/api/v1/sync/pull", json={"cursor": cursor}).json()
                assert page["reset"] is False or cursor is None
                gathered.update(r["id"] for r in page["records"])
                cursor, pulls = page["cursor"], pulls + 1
                if finished and not page["more"]:
                    return pulls

    def push_share(n: int) -> None:
        with on(servers[n % 3], phone) as pusher:
            for batch in batches[n::6]:
                assert pusher.post("/api/v1/sync/push", json={"mutations": batch}).is_success

    with ThreadPoolExecutor(1) as pool:
        pulling = pool.submit(pull_until_done)
        try:
            at_once([lambda n=n: push_share(n) for n in range(6)])
        finally:
            done.set()
        assert pulling.result(timeout=60) > 1
    assert gathered == pushed
    phone.close()


def test_serve_with_workers_shares_one_database(database, tmp_path):
    server = LiveServer(database.url, tmp_path / "server.log", args=["--workers", "3"])
    server.start()
    try:
        assert server.process is not None
        workers = _children(server.process.pid)
        assert len(workers) >= 3, workers
        with enrol(server) as phone:  # closed whatever happens
            batch = [make_meeting(random.Random(100 + i)) for i in range(5)]
            answers = at_once([lambda: phone.post("/api/v1/sync/push", json={"mutations": batch})
                               for _ in range(9)])  # fmt: skip
            statuses = [r["status"] for a in answers for r in a.json()["results"]]
            assert statuses.count("applied") == 5 and statuses.count("duplicate") == 40
            add_user(database, "boss", "leadership")
            with httpx.Client(base_url=server.url) as boss:
                boss.post("/api/v1/session", json={"login": "boss", "password": PASSWORD})
                # whichever process answers, the dashboard sees the same data version and figures
                versions = {boss.get("/api/v1/coverage/version").text for _ in range(12)}
                held = {boss.get("/api/v1/coverage").json()["headline"]["meetings_held"]
                        for _ in range(6)}  # fmt: skip
            assert len(versions) == 1 and held == {5}
            # each process counts what is stored as it starts (the last may still be starting
            # when the others already answer)
            deadline = time.monotonic() + 15
            while (counted := server.log_path.read_text().count("coverage counted what is stored")
                   ) < 3 and time.monotonic() < deadline:  # fmt: skip
                time.sleep(0.05)
            assert counted == 3
    finally:
        server.stop()
    deadline = time.monotonic() + 15
    while (left := _alive(workers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == {}, left  # no worker left behind


def _alive(pids: list[int]) -> dict[int, str]:
    """Which of these processes still run (not zombies), with their command lines."""
    alive = {}
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z":
                alive[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return alive


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_one_person_pushed_by_three_teams_at_three_processes_is_one_resident(servers, database):
    """Each round, phones of three teams at three processes list the same person (by phone)
    at once, while a coordinator reads the registry at a fourth connection: one resident each
    round, with every meeting, and no doubtful pair."""
    add_user(database, "coord", "coordinator")
    staff = httpx.Client(base_url=servers[0].url, timeout=60)
    signed = staff.post("/api/v1/session", json={"login": "coord", "password": PASSWORD})
    staff.headers["x-csrf-token"] = signed.json()["csrf_token"]
    phones = []
    for n, server in enumerate(servers):
        add_user(database, f"field-{n}", "field", f"team-{n + 1}")
        code = staff.post("/api/v1/devices/enrolments", json={"login": f"field-{n}"}).json()
        token = staff.post("/api/v1/devices/enrol", json={"code": code["code"]}).json()
        phones.append(httpx.Client(base_url=server.url, timeout=60,
                                   headers={"authorization": f"Bearer {token['device_token']}"}))  # fmt: skip
    rng = random.Random(71)
    for round_ in range(6):
        number = f"8 701 000 00 {round_:02d}"
        batches = []
        for n in range(len(phones)):
            made = make_meeting(rng)
            made["add"]["interested"] = [{"id": f"r{round_}-t{n}", "name": f"Айгүл {SURNAMES[round_]}",
                                          "phone": number}]  # fmt: skip
            batches.append([made])
        calls = [lambda p=p, b=b: p.post("/api/v1/sync/push", json={"mutations": b})
                 for p, b in zip(phones, batches, strict=True)]  # fmt: skip
        calls.append(lambda: staff.get("/api/v1/residents", params={"q": "Айгүл"}))
        assert {r.status_code for r in at_once(calls)} == {200}
        found = staff.get("/api/v1/residents", params={"q": SURNAMES[round_]}).json()
        assert found["total"] == 1, found
        assert found["residents"][0]["meetings"] == 3
        assert sorted(found["residents"][0]["teams"]) == ["team-1", "team-2", "team-3"]
    assert staff.get("/api/v1/residents/candidates").json()["candidates"] == []
    assert database.scalar("SELECT count(*) FROM resident_sightings") == 18
    for client in (staff, *phones):
        client.close()
