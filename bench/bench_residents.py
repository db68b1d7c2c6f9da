"""Benchmark: matching a programme operator's list of 10,000 rows against 100,000 residents
(the residents the list may match read through the phone and name indexes, then phone
first, then name in the village), beside a plain SQL join on phone over the same rows on
the same SQLite file, in the same run. The join finds only the phone matches; the matcher also
finds names without phones and tells exact, probable, new and conflicting apart.

Run: .venv/bin/python bench/bench_residents.py [--residents N] [--rows N] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from engines import NOT_RUN, add_postgres_option, describe, scratch_database

from outreach.db.database import Database, connect
from outreach.domain.programme_lists import ListRow
from outreach.services.resident_imports import _known, _matches
from outreach.simulate.records import FIRST_NAMES, SURNAMES

# the reference: each list row's phone looked up in the registry's own phone index
JOIN = ("SELECT count(*) FROM bench_list AS l JOIN residents AS r ON r.phone = l.phone"
        " WHERE r.merged_into IS NULL")  # fmt: skip


def people(rng: random.Random, count: int, villages: list[str]) -> list[tuple]:
    """(name, key, phone or None, village): seven in ten with a phone."""
    out = []
    for n in range(count):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {n}"
        phone = f"+77{n:09d}" if rng.random() < 0.7 else None
        out.append((name, " ".join(sorted(name.casefold().split())), phone, rng.choice(villages)))
    return out


async def seed(db: Database, residents: list[tuple]) -> None:
    async with db.write() as tx:
        await tx.execute_many(
            "INSERT INTO residents (name, name_key, phone, village, created_at)"
            " VALUES (?, ?, ?, ?, '2027-01-01')",
            residents,
        )


def the_list(rng: random.Random, residents: list[tuple], count: int) -> list[ListRow]:
    """Half by a known phone, a fifth by a known name in its village, the rest new people."""
    rows = []
    for line in range(2, count + 2):
        pick = rng.random()
        name, _, phone, village = rng.choice(residents)
        if pick < 0.5 and phone:
            row = (name, phone, None)
        elif pick < 0.7:
            row = (name, None, village)
        else:
            row = (f"Жаңа Адам {line}", f"+76{line:09d}", village)
        rows.append(ListRow(line=line, name=row[0], phone=row[1], village=row[2], district=None,
                            stage="trained", on=None, amount_tenge=None, programme=None,
                            funding_source=None, reason=None, note=None))  # fmt: skip
    return rows


async def best(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = await work()
        times.append(time.perf_counter() - start)
    return min(times), result


async def leg(url: str, count: int, rows: int) -> tuple[float, int, float, Counter[str]]:
    """One engine: (join seconds, rows it matched, matcher seconds, the matcher's kinds)."""
    rng = random.Random(18)
    db = connect(url)
    await db.open()
    try:
        async with db.read() as tx:
            villages = [r[0] for r in await tx.fetch_all("SELECT kato FROM villages")] or [
                "431033100"]  # fmt: skip
        residents = people(rng, count, villages)
        await seed(db, residents)
        listed = the_list(rng, residents, rows)
        async with db.write() as tx:
            await tx.execute("CREATE TABLE bench_list (line INTEGER, phone TEXT)")
            await tx.execute_many("INSERT INTO bench_list VALUES (?, ?)",
                                  [(r.line, r.phone) for r in listed])  # fmt: skip
            await tx.execute("CREATE INDEX bench_list_phone ON bench_list (phone)")
        async with db.write() as tx:
            await tx.execute("ANALYZE")

        async def matcher() -> Counter[str]:
            async with db.read() as tx:
                known = await _known(tx, listed)
            return Counter(m.kind for m in _matches(listed, known, set()))

        async def join() -> int:
            async with db.read() as tx:
                return int(await tx.fetch_value(JOIN))

        join_s, joined = await best(3, join)
        match_s, kinds = await best(3, matcher)
        return join_s, joined, match_s, kinds
    finally:
        await db.close()


def report(title: str, figures: tuple[float, int, float, Counter[str]]) -> None:
    join_s, joined, match_s, kinds = figures
    print(title)
    print(f"  plain SQL join on phone:  {join_s * 1000:8.1f} ms  {joined:,} rows matched by phone")
    found = ", ".join(f"{k} {kinds[k]:,}" for k in ("exact", "probable", "new", "conflicting"))
    print(f"  matcher (read + match):   {match_s * 1000:8.1f} ms  {found}")
    print(f"  ratio matcher / join:     {match_s / join_s:8.2f}x")


async def main(count: int, rows: int, postgres_url: str) -> None:
    print(f"{count:,} residents, a list of {rows:,} rows; best of 3")
    with tempfile.TemporaryDirectory() as folder:
        report("SQLite", await leg(f"sqlite:///{folder}/bench.db", count, rows))
    if not postgres_url:
        print(NOT_RUN)
        return
    with scratch_database(postgres_url) as url:
        report(describe(url), await leg(url, count, rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=10_000)
    add_postgres_option(parser)
    args = parser.parse_args()
    asyncio.run(main(args.residents, args.rows, args.postgres_url))
