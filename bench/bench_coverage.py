"""Benchmark: region-wide coverage of 100,000 meeting records, on SQLite and on PostgreSQL, each
beside one plain aggregate query (count and attendance sum) over the same rows on the same
engine, in the same run: the cold start (a process's first view, which reads everything), a
view when nothing changed, and the first view after a change (a few records stored and
absorbed into the registry since the last view). Goal: the last two at most 2x the query.

The PostgreSQL leg runs in a scratch database on the server that --postgres-url or
OUTREACH_BENCH_POSTGRES_URL names, dropped afterwards; without one, SQLite alone is measured.

Run: .venv/bin/python bench/bench_coverage.py [--records N] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import msgspec
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from engines import NOT_RUN, add_postgres_option, describe, scratch_database

from outreach.db.database import Database, connect
from outreach.domain.coverage import Coverage
from outreach.services import coverage, registry
from outreach.services.gazetteer_import import load_packaged_if_empty
from tests.sync.phone import make_meeting

# the reference: each engine's own spelling of the same JSON lookup
AGGREGATE = {
    "sqlite": "SELECT count(*), sum(json_extract(doc, '$.attendance.total')) FROM sync_records"
    " WHERE kind = 'meeting' AND deleted = 0",
    "postgresql": "SELECT count(*), sum((doc::jsonb -> 'attendance' ->> 'total')::integer)"
    " FROM sync_records WHERE kind = 'meeting' AND deleted = 0",
}


@dataclass(frozen=True)
class Leg:
    """One engine's figures: best seconds of the reference query and of coverage."""

    plain_s: float
    cold_s: float
    full_s: float
    changed_s: float
    found: Coverage
    villages: int


async def seed(db: Database, count: int) -> int:
    """`count` held meetings spread over every village and three teams (not timed), the same
    on every engine; returns the number of villages."""
    rng = random.Random(9)
    async with db.read() as tx:
        villages = [r[0] for r in await tx.fetch_all("SELECT kato FROM villages ORDER BY kato")]
    rows = []
    for n in range(count):
        meeting = make_meeting(rng, hub=rng.choice(villages))
        doc = {**meeting["set"], **meeting["add"]}
        doc["villages"] = rng.sample(villages, rng.randint(1, 3))
        for person in doc["interested"]:
            person["village"] = rng.choice(doc["villages"])
        rows.append((str(uuid.UUID(int=rng.getrandbits(128))), n % 3 + 1, n + 1,
                     msgspec.json.encode(doc).decode()))  # fmt: skip
    async with db.write() as tx:
        await tx.execute_many(
            "INSERT INTO sync_records (id, kind, team_id, version, seq, deleted, doc, writers,"
            " created_at, updated_at) VALUES (?, 'meeting', ?, 1, ?, 0, ?, '{}', 'x', 'x')",
            rows,
        )
        await tx.execute("UPDATE sync_state SET last_seq = ?", (count,))
    return len(villages)


def settle_postgres(url: str) -> None:
    """VACUUM ANALYZE the seeded rows now, as autovacuum would soon, so that it does not run
    during the timings."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE sync_records")


async def change(db: Database, rng: random.Random, count: int = 5) -> None:
    """Store `count` new held meetings and absorb them into the registry (not timed): as a
    push does, then its Absorber."""
    async with db.read() as tx:
        villages = [r[0] for r in await tx.fetch_all("SELECT kato FROM villages ORDER BY kato")]
    async with db.write() as tx:
        row = await tx.fetch_one("SELECT last_seq FROM sync_state")
        assert row is not None
        seq = int(row[0])
        for n in range(count):
            meeting = make_meeting(rng, hub=rng.choice(villages))
            doc = {**meeting["set"], **meeting["add"], "villages": rng.sample(villages, 2)}
            await tx.execute(
                "INSERT INTO sync_records (id, kind, team_id, version, seq, deleted, doc, writers,"
                " created_at, updated_at) VALUES (?, 'meeting', ?, 1, ?, 0, ?, '{}', 'x', 'x')",
                (str(uuid.UUID(int=rng.getrandbits(128))), n % 3 + 1, seq + n + 1,
                 msgspec.json.encode(doc).decode()),
            )  # fmt: skip
        await tx.execute("UPDATE sync_state SET last_seq = ?", (seq + count,))
    await registry.fresh_db(db)


async def timed(work, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        await work()
        best = min(best, time.perf_counter() - start)
    return best


async def measure(url: str, count: int) -> Leg:
    """Seed `count` meetings into the database at `url`, then time the query and coverage."""
    async with connect(url) as db:
        await load_packaged_if_empty(db)
        villages = await seed(db, count)
        if db.dialect == "postgresql":
            settle_postgres(url)

        async def aggregate() -> None:
            async with db.read() as tx:
                await tx.fetch_one(AGGREGATE[db.dialect])

        async def whole() -> None:
            await coverage.coverage(db, coverage.CoverageFilter())

        await registry.fresh_db(db)  # the registry absorbs the seeded records (not timed)
        plain = await timed(aggregate)
        start = time.perf_counter()
        await whole()  # this process's first view: everything read
        cold = time.perf_counter() - start
        full = await timed(whole)
        rng = random.Random(10)
        changed = float("inf")
        for _ in range(3):
            await change(db, rng)
            start = time.perf_counter()
            await whole()
            changed = min(changed, time.perf_counter() - start)
        found = await coverage.coverage(db, coverage.CoverageFilter())
    return Leg(plain, cold, full, changed, found, villages)


def line(label: str, lite: float, pg: float | None) -> str:
    """A row of the table: SQLite's figure, PostgreSQL's and their ratio (in columns of 14)."""
    row = f"{label:<26}: {lite * 1000:11.0f} ms"
    return row if pg is None else row + f"{pg * 1000:11.0f} ms{pg / lite:13.2f}x"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    add_postgres_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        lite = await measure(f"sqlite:///{Path(folder) / 'bench.db'}", args.records)
    pg, title = None, ""
    if args.postgres_url:
        with scratch_database(args.postgres_url) as url:
            title = describe(url)
            pg = await measure(url, args.records)
    found = lite.found
    print(
        f"records: {args.records} held meetings over {lite.villages} villages, 3 teams (best of 3)"
    )
    if pg is not None:
        print(f"{title}; VACUUM ANALYZE after seeding")
    print(f"{'':28}{'SQLite':>14}" + ("" if pg is None else f"{'PostgreSQL':>14}{'PG/SQLite':>14}"))
    print(line("one plain aggregate query", lite.plain_s, None if pg is None else pg.plain_s))
    print(line("coverage, cold start", lite.cold_s, None if pg is None else pg.cold_s))
    print(line("coverage, nothing changed", lite.full_s, None if pg is None else pg.full_s))
    print(line("first view after a change", lite.changed_s, None if pg is None else pg.changed_s))
    ratios = [lite] if pg is None else [lite, pg]
    for label, figure in (("nothing changed", "full_s"), ("after a change", "changed_s")):
        print(
            f"{'  ' + label + ' / query':<26}: "
            + "".join(f"{getattr(r, figure) / r.plain_s:13.1f}x" for r in ratios)
            + "   (goal: <= 2x)"
        )
    print(
        f"found: {len(found.districts)} districts, {len(found.okrugs)} okrugs,"
        f" {len(found.weeks)} weeks, {found.headline.villages_reached} villages reached"
    )
    if pg is None:
        print(NOT_RUN)
    elif pg.found != found:
        print("WARNING: PostgreSQL computed a different coverage from the same records")
    else:
        print("the same coverage on both engines")


if __name__ == "__main__":
    asyncio.run(main())
