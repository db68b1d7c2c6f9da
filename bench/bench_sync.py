"""Benchmark: sync through HTTP against a live server on a SQLite file, beside references
measured in the same run:

- push: records per second through `POST /api/v1/sync/push` (batches of 500, gzipped, each
  committed durably before the answer), beside raw inserts of the same rows into a SQLite file
  with the same durability (WAL, synchronous=FULL, one transaction per 500 rows);
- pull: records per second for 10,000 changes through `POST /api/v1/sync/pull`;
- wire: bytes per record on the wire, both ways, beside the gzip size of the bare records.

Run: .venv/bin/python bench/bench_sync.py [--records N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.conftest import LiveServer
from tests.sync.phone import make_meeting
from tests.sync.test_crash import enrol

BATCH = 500


def bare(mutation: dict) -> dict:
    """The record as a phone holds it: its id, kind and fields, nothing of the protocol."""
    return {"id": mutation["record_id"], "kind": mutation["kind"], **mutation["set"],
            **mutation["add"]}  # fmt: skip


def push_all(phone: httpx.Client, mutations: list[dict]) -> tuple[float, int]:
    """(seconds, bytes sent) to push every mutation in gzipped batches (made beforehand, as a
    phone's outbox is)."""
    bodies = [
        gzip.compress(json.dumps({"mutations": mutations[first : first + BATCH]},
                                 separators=(",", ":")).encode(), 6)
        for first in range(0, len(mutations), BATCH)
    ]  # fmt: skip
    start = time.perf_counter()
    for body in bodies:
        response = phone.post("/api/v1/sync/push", content=body,
                              headers={"content-type": "application/json",
                                       "content-encoding": "gzip"})  # fmt: skip
        response.raise_for_status()
        statuses = {r["status"] for r in response.json()["results"]}
        assert statuses == {"applied"}, statuses
    return time.perf_counter() - start, sum(len(body) for body in bodies)


def pull_all(phone: httpx.Client, limit: int) -> tuple[float, int, int]:
    """(seconds, bytes received, records) for a full pull."""
    cursor, received, count = None, 0, 0
    start = time.perf_counter()
    while True:
        response = phone.post("/api/v1/sync/pull", json={"cursor": cursor, "limit": limit},
                              headers={"accept-encoding": "gzip"})  # fmt: skip
        response.raise_for_status()
        received += response.num_bytes_downloaded
        page = response.json()
        count += len(page["records"])
        cursor = page["cursor"]
        if not page["more"]:
            return time.perf_counter() - start, received, count


def raw_inserts(db_path: Path, server_db: Path) -> float:
    """Seconds to insert the server's own record rows into a fresh SQLite file, 500 rows per
    durable transaction."""
    with closing(sqlite3.connect(server_db)) as conn:
        rows = conn.execute("SELECT * FROM sync_records ORDER BY seq").fetchall()
        ddl = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sync_records'").fetchone()
    with closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(ddl[0].replace("REFERENCES teams (id)", ""))
        marks = ",".join("?" * len(rows[0]))
        start = time.perf_counter()
        for first in range(0, len(rows), BATCH):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(f"INSERT INTO sync_records VALUES ({marks})",
                             rows[first : first + BATCH])  # fmt: skip
            conn.execute("COMMIT")
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(7)
    mutations = [make_meeting(rng) for _ in range(args.records)]
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder) / "bench.db", Path(folder) / "server.log")
        server.start()
        try:
            with enrol(server) as phone:
                push_s, sent = push_all(phone, mutations)
                pull_s, received, count = pull_all(phone, 1000)
        finally:
            server.stop()
        raw_s = raw_inserts(Path(folder) / "raw.db", server.db_path)
    bare_gzip = len(gzip.compress(json.dumps([bare(m) for m in mutations],
                                             separators=(",", ":")).encode(), 6))  # fmt: skip
    n = args.records
    print(f"records: {n} meetings, batches of {BATCH}; SQLite, synchronous=FULL")
    print(f"push through HTTP : {n / push_s:10,.0f} records/s ({push_s:.2f} s)")
    print(f"raw SQLite inserts: {n / raw_s:10,.0f} records/s ({raw_s:.2f} s)")
    print(f"  ratio           : {push_s / raw_s:10.1f}x  (goal: within 10x)")
    pull_rate = count / pull_s
    print(
        f"pull through HTTP : {pull_rate:10,.0f} records/s ({count} changes, pages of 1000,"
        f" {pull_s:.2f} s)"
    )
    print(f"bare records, gzip: {bare_gzip / n:10.0f} bytes/record")
    print(f"push on the wire  : {sent / n:10.0f} bytes/record ({sent / bare_gzip:.2f}x)")
    print(
        f"pull on the wire  : {received / count:10.0f} bytes/record"
        f" ({received / count / (bare_gzip / n):.2f}x; goal: within 1.2x)"
    )


if __name__ == "__main__":
    main()
