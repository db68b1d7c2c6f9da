"""The database's transactions, on each engine: whole or nothing, and reads that do not wait
for writes."""

from __future__ import annotations

import asyncio

import pytest

from outreach.db.database import Database, connect


@pytest.fixture
async def db(database):
    opened = connect(database.url, connections=2)
    await opened.open()
    async with opened.write() as tx:
        await tx.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    yield opened
    await opened.close()


async def count(db: Database) -> int:
    async with db.read() as tx:
        return int(await tx.fetch_value("SELECT count(*) FROM t"))


async def test_write_error_rolls_back_whole_transaction(db) -> None:
    with pytest.raises(ZeroDivisionError):
        async with db.write() as tx:
            await tx.execute("INSERT INTO t VALUES (1)")
            await tx.execute("INSERT INTO t VALUES (2)")
            _ = 1 / 0
    assert await count(db) == 0


async def test_cancelled_write_leaves_nothing_and_writer_usable(db) -> None:
    started = asyncio.Event()

    async def slow_write() -> None:
        async with db.write() as tx:
            await tx.execute("INSERT INTO t VALUES (1)")
            started.set()
            await asyncio.sleep(10)

    task = asyncio.create_task(slow_write())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.write() as tx:
        await tx.execute("INSERT INTO t VALUES (2)")
    async with db.read() as tx:
        assert [r[0] for r in await tx.fetch_all("SELECT n FROM t")] == [2]


async def test_read_does_not_wait_for_open_write(db) -> None:
    async with db.write() as tx:
        await tx.execute("INSERT INTO t VALUES (1)")
        # the write transaction is open and holds the lock; a read still answers at once
        assert await asyncio.wait_for(count(db), timeout=2) == 0
    assert await count(db) == 1


async def test_concurrent_writes_are_serialised_and_failures_isolated(db) -> None:
    async def write(n: int) -> None:
        async with db.write() as tx:
            await tx.execute("INSERT INTO t VALUES (?)", (n,))
            await asyncio.sleep(0)
            if n % 3 == 0:
                raise ValueError(n)

    results = await asyncio.gather(*(write(n) for n in range(1, 61)), return_exceptions=True)
    failed = {n for n, r in zip(range(1, 61), results, strict=True) if isinstance(r, ValueError)}
    async with db.read() as tx:
        stored = {r[0] for r in await tx.fetch_all("SELECT n FROM t")}
    assert failed == {n for n in range(1, 61) if n % 3 == 0}
    assert stored == set(range(1, 61)) - failed
