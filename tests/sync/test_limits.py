"""Records are bounded (items per list, bytes of the whole record), checked per mutation
before it is applied; a pull page is bounded in bytes; pulls keep the device's report at
most once a minute, so that they seldom write, and never wait for a writer to do it."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager

import psycopg

from outreach.domain.records import MAX_LIST_ITEMS, MAX_RECORD_BYTES
from outreach.domain.sync import MAX_PULL_PAGE_BYTES
from outreach.services import sync_writer
from outreach.services.sync_batch import MAX_PARKED_BYTES
from tests.sync.phone import make_meeting, new_id
from tests.sync.test_push import push


def adding(record_id: str, **lists) -> dict:
    return {"mutation_id": new_id(), "record_id": record_id, "kind": "meeting", "add": lists}


async def test_limits_items_and_bytes_are_refused_before_they_are_applied(phone, client, database):
    meeting = make_meeting(random.Random(300))
    record = meeting["record_id"]
    topics = len(meeting["add"]["topics"])
    fill = [f"topic {i}" for i in range(MAX_LIST_ITEMS - topics)]
    long_questions = [{"id": new_id(), "text": "ы" * 2000} for _ in range(300)]  # 1.2 MB
    results = await push(phone, [
        meeting,
        adding(record, topics=fill),  # up to the limit: applied
        adding(record, topics=["one too many"]),
        adding(record, questions=long_questions),
        adding(record, topics=["after a removal"]) | {"remove": {"topics": [fill[0]]}},
    ])  # fmt: skip
    assert [(r["status"], r.get("reason")) for r in results] == [
        ("applied", None),
        ("applied", None),
        ("rejected", "too_many_items"),
        ("rejected", "record_too_large"),
        ("applied", None),
    ]
    assert f"{MAX_LIST_ITEMS + 1} items" in results[2]["message"]
    assert str(MAX_LIST_ITEMS) in results[2]["message"]
    assert str(MAX_RECORD_BYTES) in results[3]["message"]
    doc = database.scalar("SELECT doc FROM sync_records WHERE id = ?", (record,))
    assert "one too many" not in doc and "ыыы" not in doc and "after a removal" in doc
    size = database.scalar("SELECT size_bytes FROM sync_records WHERE id = ?", (record,))
    assert size == len(doc.encode())  # kept up to date change by change, exactly
    queue = (await client.get("/api/v1/sync/review")).json()
    assert [p["reason"] for p in queue["parked"]] == ["too_many_items", "record_too_large"]
    # the 1.2 MB refused is kept as a summary (the phone keeps the whole, to correct it)
    kept = database.scalar("SELECT content FROM sync_parked WHERE reason = 'record_too_large'")
    assert len(kept.encode()) < MAX_PARKED_BYTES
    summary = json.loads(kept)
    assert (summary["record_id"], summary["kind"], summary["truncated"]) == (record, "meeting",
                                                                           True)  # fmt: skip
    assert summary["bytes"] > 1_200_000 and len(summary["sha256"]) == 64


async def test_limits_one_device_parks_so_many_refused_mutations(phone, client, database,
                                                                 monkeypatch):  # fmt: skip
    """A phone's flood of refused mutations filled the disk and buried the review queue."""
    monkeypatch.setattr(sync_writer, "MAX_OPEN_PARKED", 3)
    refused = [make_meeting(random.Random(310 + n), hub="999999999") for n in range(5)]
    results = await push(phone, refused)
    assert [r["reason"] for r in results] == ["unknown_village"] * 5  # each answered
    assert database.scalar("SELECT count(*) FROM sync_parked") == 3
    [first, *_] = (await client.get("/api/v1/sync/review")).json()["parked"]
    resolved = await client.post(f"/api/v1/sync/review/parked/{first['id']}/resolve",
                                 json={"action": "keep"})  # fmt: skip
    assert resolved.status_code == 200, resolved.text
    await push(phone, [make_meeting(random.Random(320), hub="999999999")])
    assert database.scalar("SELECT count(*) FROM sync_parked WHERE resolved_at IS NULL") == 3


async def test_limits_pull_page_is_bounded_in_bytes(phone):
    rng = random.Random(310)
    big = []
    for _ in range(6):  # six records of about 0.9 MB
        meeting = make_meeting(rng)
        meeting["add"]["questions"] = [{"id": new_id(rng), "text": "q" * 1900} for _ in range(450)]
        big.append(meeting)
    for meeting in big:
        assert (await push(phone, [meeting]))[0]["status"] == "applied"
    cursor, pages = None, []
    while True:
        response = await phone.post("/api/v1/sync/pull", json={"cursor": cursor, "limit": 5000})
        page = response.json()
        pages.append(len(page["records"]))
        assert len(response.content) < MAX_PULL_PAGE_BYTES + 200_000
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert sum(pages) == 6 and len(pages) == 2 and all(pages), pages


async def soon(holds: Callable[[], bool], within_s: float = 10) -> bool:
    """Whether `holds` comes true within a few seconds (a pull's report is written after
    its answer, with the next group of writes)."""
    due = time.monotonic() + within_s
    while not holds():
        if time.monotonic() > due:
            return False
        await asyncio.sleep(0.02)
    return True


def pending(database) -> int | None:
    return database.rows("SELECT pending_count FROM devices")[0][0]


async def test_limits_pulls_keep_the_report_once_a_minute(phone, database):
    def kept() -> tuple:
        return database.rows("SELECT last_sync_at, pending_count FROM devices")[0]

    await phone.post("/api/v1/sync/pull", json={"device": {"pending": 3}})
    assert await soon(lambda: pending(database) == 3)
    first = kept()
    await phone.post("/api/v1/sync/pull", json={"device": {"pending": 3}})
    await asyncio.sleep(0.2)  # time enough for a write, if there were one
    assert kept() == first  # within a minute, the same count: no write at all
    # a changed count is kept at once: the pull after a push says what the push left (the
    # devices list showed the count from before the push for a minute)
    await phone.post("/api/v1/sync/pull", json={"device": {"pending": 0}})
    assert await soon(lambda: pending(database) == 0)
    await push(phone, [], device={"pending": 5})
    assert kept()[1] == 5  # a push keeps it every time, before its answer
    database.execute("UPDATE devices SET last_sync_at = '2020-01-01T00:00:00.000+00:00'")
    await phone.post("/api/v1/sync/pull", json={"device": {"pending": 6}})
    assert await soon(lambda: pending(database) == 6)  # a minute later, a pull keeps it again


@contextmanager
def writer_holding_the_lock(database) -> Iterator[None]:
    """Another writer in the middle of a transaction that holds what pushes must take: the
    database's write lock on SQLite, the sequence counter's row on PostgreSQL."""
    if database.engine == "sqlite":
        with closing(sqlite3.connect(database.path, isolation_level=None)) as conn:
            conn.execute("BEGIN IMMEDIATE")
            yield
            conn.execute("ROLLBACK")
        return
    with psycopg.connect(database.url) as conn:
        conn.execute("SELECT last_seq FROM sync_state FOR UPDATE")
        yield
        conn.rollback()


async def test_limits_a_pull_answers_while_a_writer_holds_the_lock(phone, database):
    await push(phone, [make_meeting(random.Random(5))])
    database.execute("UPDATE devices SET last_sync_at = '2020-01-01T00:00:00.000+00:00'")
    with writer_holding_the_lock(database):
        started = time.perf_counter()
        response = await phone.post("/api/v1/sync/pull", json={"device": {"pending": 9}})
        waited = time.perf_counter() - started
        assert response.status_code == 200
        assert len(response.json()["records"]) == 1
        assert waited < 1.0, f"the pull waited {waited:.2f} s for the writer"  # lock wait: 5 s
        assert pending(database) != 9  # its report waits for the lock, not the phone
    assert await soon(lambda: pending(database) == 9)  # and is kept once the lock is free


def test_limits_are_listed_in_the_protocol_doc():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "sync.md").read_text(encoding="utf-8")
    for name, value in [("MAX_LIST_ITEMS", MAX_LIST_ITEMS), ("MAX_RECORD_BYTES", MAX_RECORD_BYTES)]:
        assert f"{value:,} " in doc and f"(`{name}`)" in doc
    assert "4 MiB (`MAX_PULL_PAGE_BYTES`)" in doc and MAX_PULL_PAGE_BYTES == 4 * 1_048_576
