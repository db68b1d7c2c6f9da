"""Benchmark: sync through HTTP against a live server on SQLite and on PostgreSQL, each beside
references measured in the same run on the same engine:

- push: records per second through `POST /api/v1/sync/push` (batches of 500, gzipped, each
  committed durably before the answer), then how long the resident registry takes to absorb
  them once the pushes pause (outreach/services/registry.py), beside raw inserts of the
  server's own rows into a fresh table of the same shape (primary key and checks, no foreign
  key) with the same durability, one transaction per 500 rows: on SQLite with WAL and
  synchronous=FULL; on PostgreSQL with psycopg's executemany and the server's
  synchronous_commit; and beside raw inserts of all that a push writes for a new record (the
  record and its mutation's exactly-once entry), 500 of each per transaction, into tables
  with the server's own indexes, to tell the database's share of the gap from the code's;
- pull: records per second for all the changes through `POST /api/v1/sync/pull`;
- PostgreSQL's push rate as a multiple of SQLite's;
- wire: bytes per record on the wire, both ways, beside the gzip size of the bare records;
- load: `outreach simulate --load` (outreach/simulate/load.py) on each engine: 200 phones,
  each pushing a batch of 20 records, pulling its team's changes (teams of 10 phones) and
  pausing 10 s on average (uniform 0-20 s), again and again for 60 s; push and pull
  latency percentiles, errors, and records lost or duplicated on a fresh pull at the end.

The PostgreSQL leg runs in a scratch database on the server that --postgres-url or
OUTREACH_BENCH_POSTGRES_URL names, dropped afterwards; without one, SQLite alone is measured.

Run: .venv/bin/python bench/bench_sync.py [--records N] [--phones N --seconds S --think-ms MS]
     [--postgres-url URL]   (--phones 0: no load leg)
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from engines import NOT_RUN, add_postgres_option, describe, scratch_database

from outreach.simulate.load import LoadReport, load
from tests.conftest import LiveServer
from tests.engines import TestDatabase
from tests.sync.phone import make_meeting
from tests.sync.test_crash import enrol

BATCH = 500


@dataclass(frozen=True)
class Leg:
    """One engine's figures: seconds for each measurement, bytes on the wire."""

    engine: str
    push_s: float
    absorb_s: float
    sent_bytes: int
    raw_s: float
    written_s: float
    pull_s: float
    received_bytes: int
    pulled: int


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


def absorbed(server: LiveServer, timeout_s: float = 120) -> float:
    """Seconds until the server's resident registry has absorbed every record pushed (it
    catches up once the pushes pause: its work is the server's, counted here)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        done = server.database.scalar("SELECT absorbed_seq FROM registry_state")
        if done == server.database.scalar("SELECT last_seq FROM sync_state"):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError("the registry did not catch up")


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


WRITTEN = ("sync_records", "sync_mutations")
"""The rows a push writes for each new record: the record, and its mutation's exactly-once
entry (the device's report is one row a push)."""
_ORDER = {"sync_records": "seq", "sync_mutations": "received_at, mutation_id"}


def raw_sqlite(db_path: Path, server: TestDatabase, tables: tuple[str, ...] = WRITTEN[:1], *,
               indexed: bool = False) -> float:  # fmt: skip
    """Seconds to insert the server's own rows of `tables` into a fresh SQLite file, 500 rows
    of each per durable transaction (WAL, synchronous=FULL): into tables with a primary key
    and checks only, or, `indexed`, with the server's own indexes too (no foreign key)."""
    rows = {t: server.rows(f"SELECT * FROM {t} ORDER BY {_ORDER[t]}") for t in tables}
    kinds = "('table', 'index')" if indexed else "('table')"
    ddl = [row[0] for t in tables for row in server.rows(
        f"SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN {kinds}"
        " AND sql IS NOT NULL ORDER BY type DESC", (t,))]  # fmt: skip
    with closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        for statement in ddl:
            conn.execute(re.sub(r"REFERENCES \w+ \(\w+\)", "", statement))
        inserts = {t: f"INSERT INTO {t} VALUES ({','.join('?' * len(rows[t][0]))})"
                   for t in tables}  # fmt: skip
        start = time.perf_counter()
        for first in range(0, len(rows[tables[0]]), BATCH):
            conn.execute("BEGIN IMMEDIATE")
            for table in tables:
                conn.executemany(inserts[table], rows[table][first : first + BATCH])
            conn.execute("COMMIT")
        return time.perf_counter() - start


_KEYS = {"sync_records": "id", "sync_mutations": "team_id, mutation_id"}


def raw_postgres(server: TestDatabase, tables: tuple[str, ...] = WRITTEN[:1], *,
                 indexed: bool = False) -> float:  # fmt: skip
    """Seconds to insert the server's own rows of `tables` into fresh tables of the same shape
    in the same database (a primary key and checks only, or, `indexed`, every index of the
    server's tables too), with psycopg's executemany, 500 rows of each per committed
    transaction."""
    rows = {t: server.rows(f"SELECT * FROM {t} ORDER BY {_ORDER[t]}") for t in tables}
    with psycopg.connect(server.url, autocommit=True) as conn:
        for table in tables:
            raw = f"raw_{table}_{int(indexed)}"
            if indexed:
                conn.execute(f"CREATE TABLE {raw} (LIKE {table} INCLUDING ALL)")
            else:
                conn.execute(f"CREATE TABLE {raw} (LIKE {table} INCLUDING DEFAULTS"
                             " INCLUDING CONSTRAINTS)")  # fmt: skip
                conn.execute(f"ALTER TABLE {raw} ADD PRIMARY KEY ({_KEYS[table]})")
        inserts = {t: f"INSERT INTO raw_{t}_{int(indexed)} VALUES"
                   f" ({','.join(['%s'] * len(rows[t][0]))})" for t in tables}  # fmt: skip
        start = time.perf_counter()
        with conn.cursor() as cursor:
            for first in range(0, len(rows[tables[0]]), BATCH):
                with conn.transaction():
                    for table in tables:
                        cursor.executemany(inserts[table], rows[table][first : first + BATCH])
        return time.perf_counter() - start


def measure(engine: str, url: str, folder: Path, mutations: list[dict]) -> Leg:
    """Push and pull every mutation through a live server on `url`, then the raw reference."""
    server = LiveServer(url, folder / f"server-{engine}.log")
    server.start()
    try:
        with enrol(server) as phone:
            push_s, sent = push_all(phone, mutations)
            absorb_s = absorbed(server)
            pull_s, received, pulled = pull_all(phone, 1000)
    finally:
        server.stop()
    if engine == "sqlite":
        raw_s = raw_sqlite(folder / "raw.db", server.database)
        written_s = raw_sqlite(folder / "written.db", server.database, WRITTEN, indexed=True)
    else:
        raw_s = raw_postgres(server.database)
        written_s = raw_postgres(server.database, WRITTEN, indexed=True)
    return Leg(engine, push_s, absorb_s, sent, raw_s, written_s, pull_s, received, pulled)


def report(leg: Leg, n: int, title: str, raw: str) -> None:
    print(title)
    print(f"  push through HTTP : {n / leg.push_s:10,.0f} records/s ({leg.push_s:.2f} s)")
    print(f"  raw inserts       : {n / leg.raw_s:10,.0f} rows/s    ({leg.raw_s:.2f} s; {raw})")
    print(f"    ratio           : {leg.raw_s / leg.push_s:10.2f}x the raw rate (goal: 0.25x)")
    print(
        f"  raw, all it writes: {n / leg.written_s:10,.0f} records/s ({leg.written_s:.2f} s; the"
        " record and its exactly-once entry, into tables with the server's indexes)"
    )
    print(f"    ratio           : {leg.written_s / leg.push_s:10.2f}x that rate")
    print(
        f"  registry catch-up : {leg.absorb_s:10.2f} s after the last push (a 0.5 s pause, then the"
        f" residents; push and catch-up: {n / (leg.push_s + leg.absorb_s):,.0f} records/s)"
    )
    print(
        f"  pull through HTTP : {leg.pulled / leg.pull_s:10,.0f} records/s"
        f" ({leg.pulled} changes, pages of 1000, {leg.pull_s:.2f} s)"
    )


def load_leg(url: str | None, args: argparse.Namespace) -> LoadReport:
    """The load on a fresh server (a SQLite file when `url` is None)."""
    with tempfile.TemporaryDirectory() as folder:
        return asyncio.run(load(Path(folder), args.phones, database_url=url,
                                seconds=args.seconds, think_s=args.think_ms / 1000))  # fmt: skip


def load_line(title: str, got: LoadReport) -> None:
    print(
        f"  {title:<10} push p50/p95/p99 {got.push.p50_ms:6.0f} {got.push.p95_ms:6.0f}"
        f" {got.push.p99_ms:6.0f} ms ({got.push.requests}); pull {got.pull.p50_ms:6.0f}"
        f" {got.pull.p95_ms:6.0f} {got.pull.p99_ms:6.0f} ms ({got.pull.requests});"
        f" {got.records_per_s:,.0f} records/s; errors {got.errors}, lost {got.lost},"
        f" duplicated {got.duplicated}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think-ms", type=int, default=10_000)
    add_postgres_option(parser)
    args = parser.parse_args()
    rng = random.Random(7)
    mutations = [make_meeting(rng) for _ in range(args.records)]
    n = args.records
    with tempfile.TemporaryDirectory() as folder:
        lite = measure("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder), mutations)
        pg, pg_title = None, ""
        if args.postgres_url:
            with scratch_database(args.postgres_url) as url:
                pg_title = describe(url)
                pg = measure("postgresql", url, Path(folder), mutations)
    print(f"records: {n} meetings, batches of {BATCH}, each batch committed durably")
    report(lite, n, "SQLite (WAL, synchronous=FULL)", "sqlite3 executemany, 500 rows per commit")
    if pg is None:
        print(NOT_RUN)
    else:
        report(pg, n, pg_title, "psycopg executemany, 500 rows per commit")
        print(
            f"PostgreSQL push / SQLite push: {lite.push_s / pg.push_s:.2f}x the records/s"
            f" (pull: {lite.pull_s / pg.pull_s * pg.pulled / lite.pulled:.2f}x)"
        )
    bare_gzip = len(gzip.compress(json.dumps([bare(m) for m in mutations],
                                             separators=(",", ":")).encode(), 6))  # fmt: skip
    print("wire (the same on both engines; measured on SQLite):")
    print(f"  bare records, gzip: {bare_gzip / n:10.0f} bytes/record")
    print(f"  push on the wire  : {lite.sent_bytes / n:10.0f} bytes/record"
          f" ({lite.sent_bytes / bare_gzip:.2f}x)")  # fmt: skip
    per_record = lite.received_bytes / lite.pulled
    print(
        f"  pull on the wire  : {per_record:10.0f} bytes/record"
        f" ({per_record / (bare_gzip / n):.2f}x; goal: within 1.2x)"
    )
    if pg is not None and abs(pg.received_bytes / lite.received_bytes - 1) > 0.01:
        print(f"  (pull on PostgreSQL: {pg.received_bytes / pg.pulled:.0f} bytes/record)")
    if not args.phones:
        return
    print(
        f"load: {args.phones} phones (teams of 10) for {args.seconds:.0f} s, each pushing 20"
        f" records, pulling, pausing {args.think_ms / 1000:.0f} s on average (goal: p99 <= 500 ms)"
    )
    load_line("SQLite", load_leg(None, args))
    if args.postgres_url:
        with scratch_database(args.postgres_url) as url:
            load_line("PostgreSQL", load_leg(url, args))


if __name__ == "__main__":
    main()
