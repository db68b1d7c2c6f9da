"""The SQLite database: one writer connection under a lock, a pool of reader connections."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from outreach.db import migrate

Params = Sequence[Any] | dict[str, Any]


class Tx:
    """A transaction on one connection; rows stay inside db/ and leave it as Structs."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        cursor = await self._conn.execute(sql, params)
        return cursor.rowcount

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter row."""
        await self._conn.executemany(sql, rows)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a query."""
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a query, or None."""
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]


class Database:
    """SQLite in WAL mode: every write is BEGIN IMMEDIATE on one connection under one lock,
    committed with synchronous=FULL; reads run on their own connections and never wait for it."""

    def __init__(self, path: Path, *, read_connections: int = 4, busy_timeout_ms: int = 5000):
        self.path = path
        self._read_count = read_connections
        self._busy_timeout_ms = busy_timeout_ms
        self._writer: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all_readers: list[aiosqlite.Connection] = []

    async def open(self) -> None:
        """Open the writer, apply pending migrations, then open the readers."""
        # aiosqlite's debug lines carry every query's parameters: names, phones, tokens
        logging.getLogger("aiosqlite").setLevel(logging.WARNING)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._writer = await self._connect(writer=True)
            await self._writer.execute("PRAGMA journal_mode=WAL")
            await migrate.apply(self._writer)
            for _ in range(self._read_count):
                reader = await self._connect(writer=False)
                self._all_readers.append(reader)
                self._readers.put_nowait(reader)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        """Close every connection (the WAL is checkpointed by the last one)."""
        for reader in self._all_readers:
            await reader.close()
        self._all_readers.clear()
        if self._writer is not None:
            await self._writer.close()
            self._writer = None

    async def _connect(self, *, writer: bool) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        await conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
        await conn.execute("PRAGMA foreign_keys=ON")
        if writer:
            await conn.execute("PRAGMA synchronous=FULL")
        else:
            await conn.execute("PRAGMA query_only=ON")
        return conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Tx]:
        """A write transaction: committed durably on success, rolled back whole on any error."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        conn = self._writer
        async with self._write_lock:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(conn)
                await asyncio.shield(conn.commit())
            except BaseException:
                # shielded: a cancelled request must still leave no half transaction behind
                await asyncio.shield(conn.rollback())
                raise

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        """A read transaction on a consistent snapshot, on a reader connection."""
        conn = await self._readers.get()
        try:
            await conn.execute("BEGIN")
            try:
                yield Tx(conn)
            finally:
                await asyncio.shield(conn.rollback())
        finally:
            self._readers.put_nowait(conn)

    async def schema_version(self) -> int:
        """The migration number the database is at."""
        async with self.read() as tx:
            return int(await tx.fetch_value("PRAGMA user_version"))
