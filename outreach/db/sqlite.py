"""SQLite: one writer connection under a lock, a pool of reader connections."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import cast

import aiosqlite

from outreach.db import files, migrate
from outreach.db.database import Database, Dialect, Params, Row, Tx, UniqueViolation


def _unique(exc: sqlite3.IntegrityError) -> Exception:
    """A unique-key collision as the engine-neutral UniqueViolation; other errors unchanged."""
    return UniqueViolation() if str(exc).startswith("UNIQUE constraint failed") else exc


class SqliteTx(Tx):
    """A transaction on one aiosqlite connection."""

    dialect: Dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._savepoints = 0

    async def execute(self, sql: str, params: Params = ()) -> int:
        try:
            cursor = await self._conn.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise _unique(exc) from exc
        return cursor.rowcount

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        try:
            await self._conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise _unique(exc) from exc

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        # one trip to the connection's thread, not three (execute, fetch, close): each trip
        # waits for the GIL twice, and a busy worker thread makes that wait up to 5 ms
        try:
            return cast(list[Row], list(await self._conn.execute_fetchall(sql, params)))
        except sqlite3.IntegrityError as exc:
            raise _unique(exc) from exc

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        self._savepoints += 1
        name = f"part_{self._savepoints}"
        await self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await asyncio.shield(self._conn.execute(f"ROLLBACK TO {name}"))
            await asyncio.shield(self._conn.execute(f"RELEASE {name}"))
            raise
        await self._conn.execute(f"RELEASE {name}")


class SqliteDatabase(Database):
    """SQLite in WAL mode: every write is BEGIN IMMEDIATE on one connection under one lock,
    committed with synchronous=FULL; reads run on their own connections and never wait for it."""

    dialect: Dialect = "sqlite"

    def __init__(self, path: Path, *, read_connections: int = 4, busy_timeout_ms: int = 5000):
        self.path = path
        self._read_count = read_connections
        self._busy_timeout_ms = busy_timeout_ms
        self._writer: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all_readers: list[aiosqlite.Connection] = []
        self._holder: files.Holder | None = None

    async def open(self) -> None:
        """Open the writer, apply pending migrations, then open the readers."""
        # aiosqlite's debug lines carry every query's parameters: names, phones, tokens
        logging.getLogger("aiosqlite").setLevel(logging.WARNING)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        files.create_private(self.path)  # names and phones: its owner's alone
        self._holder = files.Holder(self.path)  # a restore refuses while it is held
        try:
            self._writer = await self._connect(writer=True)
            await self._writer.execute("PRAGMA journal_mode=WAL")
            await migrate.apply_sqlite(self._writer)
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
        if self._holder is not None:
            self._holder.release()
            self._holder = None

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
        if self._writer is None:
            raise RuntimeError("database is not open")
        conn = self._writer
        async with self._write_lock:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTx(conn)
                await asyncio.shield(conn.commit())
            except BaseException:
                # shielded: a cancelled request must still leave no half transaction behind
                await asyncio.shield(conn.rollback())
                raise

    @asynccontextmanager
    async def _reader(self) -> AsyncIterator[aiosqlite.Connection]:
        """A reader connection of the pool, given back after use."""
        conn = await self._readers.get()
        try:
            yield conn
        finally:
            self._readers.put_nowait(conn)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        async with self._reader() as conn:
            await conn.execute("BEGIN")
            try:
                yield SqliteTx(conn)
            finally:
                await asyncio.shield(conn.rollback())

    async def schema_version(self) -> int:
        async with self._reader() as conn:  # one statement, one trip: no transaction around it
            (row,) = await conn.execute_fetchall("PRAGMA user_version")
            return int(row[0])
