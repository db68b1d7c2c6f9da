"""Benchmark: region-wide coverage computed from 100,000 meeting records on a SQLite file,
beside one plain aggregate query (count and attendance sum) over the same rows, in the same run.

Run: .venv/bin/python bench/bench_coverage.py [--records N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from outreach.db.database import Database
from outreach.services import coverage
from outreach.services.gazetteer_import import load_packaged_if_empty
from tests.sync.phone import make_meeting

AGGREGATE = (
    "SELECT count(*), sum(json_extract(doc, '$.attendance.total')) FROM sync_records"
    " WHERE kind = 'meeting' AND deleted = 0"
)


async def seed(db: Database, count: int) -> None:
    """`count` held meetings spread over every village and three teams (not timed)."""
    rng = random.Random(9)
    async with db.read() as tx:
        villages = [r[0] for r in await tx.fetch_all("SELECT kato FROM villages")]
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


async def timed(work, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        await work()
        best = min(best, time.perf_counter() - start)
    return best


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "bench.db")
        await db.open()
        try:
            await load_packaged_if_empty(db)
            await seed(db, args.records)

            async def aggregate() -> None:
                async with db.read() as tx:
                    await tx.fetch_one(AGGREGATE)

            async def whole() -> None:
                await coverage.coverage(db, coverage.CoverageFilter())

            plain = await timed(aggregate)
            full = await timed(whole)
            found = await coverage.coverage(db, coverage.CoverageFilter())
        finally:
            await db.close()
    print(f"records: {args.records} held meetings over 298 villages, 3 teams (best of 3)")
    print(f"one plain aggregate query : {plain * 1000:8.0f} ms")
    print(
        f"region-wide coverage      : {full * 1000:8.0f} ms  ({full / plain:.1f}x the query;"
        f" {len(found.districts)} districts, {len(found.okrugs)} okrugs,"
        f" {len(found.weeks)} weeks, {found.headline.villages_reached} villages reached)"
    )


if __name__ == "__main__":
    asyncio.run(main())
