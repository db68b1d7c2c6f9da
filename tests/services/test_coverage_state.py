"""Coverage kept up to date equals coverage built from scratch after any sequence of record
inserts, updates and deletes, for several filters, on each engine."""

from __future__ import annotations

import random
from datetime import date

import msgspec

from outreach.db.database import Database, connect
from outreach.services import coverage
from outreach.services.coverage import CoverageFilter, build
from outreach.simulate.records import make_meeting, new_id
from tests.engines import TestDatabase


async def villages_of(db: Database) -> list[tuple[str, str, str | None]]:
    async with db.read() as tx:
        rows = await tx.fetch_all(
            "SELECT kato, district_kato, okrug_kato FROM villages ORDER BY kato LIMIT 40"
        )
    return [(r[0], r[1], r[2]) for r in rows]


def make_doc(rng: random.Random, places: list[str], phones: list[str]) -> str:
    made = make_meeting(rng, hub=rng.choice(places), date=f"2027-05-{rng.randint(1, 28):02d}")
    doc = {**made["set"], **made["add"]}
    doc["villages"] = rng.sample(places, rng.randint(0, 3))
    doc["plan_id"] = rng.choice([None, None, 1, 2])
    doc["status"] = rng.choice(["held"] * 5 + ["cancelled"])
    for person in doc["interested"]:
        person["phone"] = rng.choice(phones)  # the same people at several meetings
        person["village"] = rng.choice([None, *places])
    return msgspec.json.encode(doc).decode()


async def change_records(db: Database, rng: random.Random, ids: list[str], places, phones):
    """A few inserts, updates and deletes, each with the next sequence number."""
    async with db.write() as tx:
        row = await tx.fetch_one("SELECT last_seq FROM sync_state")
        assert row is not None
        seq = int(row[0])
        for _ in range(rng.randint(1, 12)):
            seq += 1
            action = rng.choice(["insert"] * 3 + ["update", "delete"]) if ids else "insert"
            if action == "insert":
                ids.append(new_id(rng))
                await tx.execute(
                    "INSERT INTO sync_records (id, kind, team_id, version, seq, deleted, doc,"
                    " writers, created_at, updated_at)"
                    " VALUES (?, 'meeting', ?, 1, ?, 0, ?, '{}', 'x', 'x')",
                    (ids[-1], rng.randint(1, 3), seq, make_doc(rng, places, phones)),
                )
            else:
                await tx.execute(
                    "UPDATE sync_records SET seq = ?, deleted = ?, doc = ? WHERE id = ?",
                    (seq, int(action == "delete"), make_doc(rng, places, phones),
                     rng.choice(ids)),
                )  # fmt: skip
        await tx.execute("UPDATE sync_state SET last_seq = ?", (seq,))


async def test_coverage_kept_up_to_date_equals_a_build_from_scratch(database: TestDatabase):
    rng = random.Random(21)
    async with connect(database.url) as db:
        known = await villages_of(db)
        places = [k for k, _, _ in known] + ["999999999"]  # one not in the gazetteer
        district = known[0][1]
        okrug = next(o for _, _, o in known if o)
        filters = [
            CoverageFilter(),
            CoverageFilter(district=district),
            CoverageFilter(okrug=okrug),
            CoverageFilter(team="team-2"),
            CoverageFilter(campaign=1),
            CoverageFilter(date_from=date(2027, 5, 8), date_to=date(2027, 5, 20)),
            CoverageFilter(district=district, team="team-1", date_from=date(2027, 5, 10)),
        ]
        phones = [f"+7 701 000 00 {n:02d}" for n in range(12)]
        ids: list[str] = []
        for _round in range(8):
            await change_records(db, rng, ids, places, phones)
            for where in [*rng.sample(filters, 4), filters[0]]:
                kept = await coverage.coverage(db, where)
                built = build(await coverage.facts(db, where.team), where)
                assert kept == built, where
