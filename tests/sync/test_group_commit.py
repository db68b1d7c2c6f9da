"""Group commit: pushes that arrive together share one transaction, on both engines; each is
still applied exactly once, numbered in the order it was applied, with its own answer, and
one that fails is undone alone. The mechanism itself (group_commit.py) is tested first, with
no database."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import msgspec
import pytest

from outreach.db.database import Database, connect
from outreach.domain.accounts import User
from outreach.domain.sync import PushRequest
from outreach.services import sync as service
from outreach.services.group_commit import GroupCommit
from outreach.services.sync_writer import NoTeam, writer
from tests.conftest import add_user
from tests.engines import TestDatabase
from tests.sync.phone import make_meeting

# --- the mechanism --------------------------------------------------------------------------


async def test_group_commit_gathers_concurrent_jobs_within_the_bound():
    groups: list[list[int]] = []

    async def commit(jobs: list[int]) -> list[int | Exception]:
        groups.append(jobs)
        await asyncio.sleep(0.01)  # a transaction: jobs arriving meanwhile wait for the next
        return [ValueError(job) if job == 7 else job * 10 for job in jobs]

    committer: GroupCommit[int, int] = GroupCommit(commit, weigh=lambda job: job, max_weight=12)
    outcomes = await asyncio.gather(*(committer.submit(n) for n in range(1, 9)),
                                    return_exceptions=True)  # fmt: skip
    assert outcomes[:6] == [10, 20, 30, 40, 50, 60] and outcomes[7] == 80
    assert isinstance(outcomes[6], ValueError)  # its own error, and nobody else's
    assert [job for group in groups for job in group] == list(range(1, 9))  # arrival order
    assert all(sum(group) <= 12 or len(group) == 1 for group in groups)
    assert len(groups) < 8  # gathered, not one transaction each


async def test_group_commit_drops_a_job_whose_request_has_gone_before_its_group():
    committed: list[str] = []
    first_running = asyncio.Event()
    release = asyncio.Event()

    async def commit(jobs: list[str]) -> list[str | Exception]:
        committed.extend(jobs)
        first_running.set()
        await release.wait()
        return jobs

    committer: GroupCommit[str, str] = GroupCommit(commit, window_s=0)
    first = asyncio.create_task(committer.submit("first"))
    await first_running.wait()
    gone = asyncio.create_task(committer.submit("gone"))
    kept = asyncio.create_task(committer.submit("kept"))
    await asyncio.sleep(0)
    gone.cancel()  # the phone hung up while the group before it was committing
    release.set()
    assert await first == "first" and await kept == "kept"
    assert committed == ["first", "kept"]


async def test_group_commit_fails_every_job_of_a_group_whose_commit_fails():
    async def commit(jobs: list[int]) -> list[int | Exception]:
        raise OSError("disk full")

    committer: GroupCommit[int, int] = GroupCommit(commit, window_s=0.05)
    outcomes = await asyncio.gather(committer.submit(1), committer.submit(2),
                                    return_exceptions=True)  # fmt: skip
    assert all(isinstance(o, OSError) for o in outcomes)


# --- pushes on both engines -----------------------------------------------------------------


@pytest.fixture
async def db(database: TestDatabase) -> AsyncIterator[Database]:
    async with connect(database.url) as opened:
        yield opened


def phone_of(database: TestDatabase, login: str, team: str | None) -> tuple[int, User]:
    """A device of a new field user (of `team`, or of none)."""
    add_user(database, login, "field", team)
    user_id = database.rows("SELECT id FROM users WHERE login = ?", (login,))[0][0]
    database.execute(
        "INSERT INTO devices (token_sha256, user_id, label, created_at, last_seen_at,"
        " expires_at) VALUES (?, ?, ?, 'x', 'x', '2099-01-01T00:00:00Z')",
        (f"token-of-{login}", user_id, login),
    )
    device = database.rows("SELECT id FROM devices WHERE label = ?", (login,))[0][0]
    user = User(id=user_id, login=login, display_name=login, role="field", team=team,
                disabled=False, created_at="x")  # fmt: skip
    return int(device), user


def request_of(mutations: list[dict]) -> PushRequest:
    return msgspec.json.decode(msgspec.json.encode({"mutations": mutations}), type=PushRequest)


def batch(rng: random.Random, size: int) -> PushRequest:
    return request_of([make_meeting(rng) for _ in range(size)])


def stored_seqs(database: TestDatabase) -> dict[str, int]:
    return dict(database.rows("SELECT id, seq FROM sync_records"))


async def test_group_commit_concurrent_pushes_share_a_transaction_each_applied_once(
    db: Database, database: TestDatabase
):
    phones = [phone_of(database, f"field-{n}", f"team-{n % 2 + 1}") for n in range(4)]
    rng = random.Random(4)
    pushes = [(phones[n % 4], batch(rng, 15)) for n in range(12)]
    group = writer(db).groups
    group.window_s, group.company = 1.0, 12  # time for all twelve to arrive (default: 2 ms)
    answers = await asyncio.gather(*(
        service.push(db, device, user, request) for (device, user), request in pushes
    ))  # fmt: skip
    assert group.jobs == 12 and group.groups == 1, (group.groups, group.jobs)
    seqs = stored_seqs(database)
    assert len(seqs) == 12 * 15  # every record once
    numbers = []
    for answer in answers:
        assert [r.status for r in answer.results] == ["applied"] * 15
        mine = [r.seq for r in answer.results]
        assert mine == list(range(mine[0], mine[0] + 15))  # one push, consecutive numbers
        assert {seqs[r.record_id] for r in answer.results if r.record_id} == set(mine)
        numbers += mine
    assert sorted(numbers) == list(range(1, 12 * 15 + 1))  # no gap, no number twice
    assert database.rows("SELECT last_seq FROM sync_state")[0][0] == 12 * 15
    replay = await service.push(db, *pushes[0][0], pushes[0][1])
    assert {r.status for r in replay.results} == {"duplicate"}  # the mutations were kept


POISON = "0badc0de-0000-4000-8000-000000000000"
TRIGGER = {
    "sqlite": [
        "CREATE TRIGGER poison BEFORE INSERT ON sync_records WHEN NEW.id = '{id}'"
        " BEGIN SELECT RAISE(ABORT, 'poisoned record'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF NEW.id = '{id}' THEN RAISE EXCEPTION 'poisoned record'; END IF;"
        " RETURN NEW; END $$",
        "CREATE TRIGGER poison BEFORE INSERT ON sync_records FOR EACH ROW"
        " EXECUTE FUNCTION poison()",
    ],
}


async def test_group_commit_a_push_that_fails_sinks_no_other(db: Database, database: TestDatabase):
    """A push the database refuses (a trigger poisons one of its records) and one whose user
    has no team, in one group with two good ones: the good ones are applied, numbered one
    after the other; the others get their own errors and leave nothing behind."""
    for statement in TRIGGER[database.engine]:
        database.execute(statement.replace("{id}", POISON))
    good_a, good_b = (
        phone_of(database, "field-a", "team-1"),
        phone_of(database, "field-b", "team-2"),
    )
    bad, teamless = phone_of(database, "field-c", "team-1"), phone_of(database, "field-d", None)
    rng = random.Random(8)
    mutations = [make_meeting(rng) for _ in range(5)]
    mutations[2]["record_id"] = POISON
    poisoned = request_of(mutations)
    group = writer(db).groups
    group.window_s, group.company = 1.0, 4  # one group of the four
    outcomes = await asyncio.gather(
        service.push(db, *good_a, batch(rng, 5)),
        service.push(db, *bad, poisoned),
        service.push(db, *teamless, batch(rng, 5)),
        service.push(db, *good_b, batch(rng, 5)),
        return_exceptions=True,
    )
    assert group.groups == 1 and group.jobs == 4
    assert not isinstance(outcomes[0], BaseException)
    assert not isinstance(outcomes[3], BaseException)
    assert "poisoned record" in str(outcomes[1])
    assert isinstance(outcomes[2], NoTeam)
    seqs = stored_seqs(database)
    assert len(seqs) == 10 and POISON not in seqs
    assert sorted(seqs.values()) == list(range(1, 11))  # the refused push took no number
    assert [r.seq for r in outcomes[0].results] == [1, 2, 3, 4, 5]
    assert [r.seq for r in outcomes[3].results] == [6, 7, 8, 9, 10]
    kept = {row[0] for row in database.rows("SELECT mutation_id FROM sync_mutations")}
    assert not kept & {m["mutation_id"] for m in mutations}  # the refused push left nothing
    assert len(kept) == 10
