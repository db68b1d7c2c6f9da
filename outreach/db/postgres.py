"""PostgreSQL, through psycopg 3 and its connection pool: for deployments with several app
processes. Writes are ordinary transactions; what must be serial across processes (the sync
sequence) takes a row lock in the SQL that needs it (db/sync.py)."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.rows import RowMaker
from psycopg_pool import AsyncConnectionPool

from outreach.db import migrate
from outreach.db.database import Database, Dialect, Params, Row, Tx, UniqueViolation, redact
from outreach.domain.errors import Conflict

# what a concurrent writer can cause on PostgreSQL, as engine-neutral 409s (never a 500)
_RACES: tuple[type[Exception], ...] = (
    psycopg.errors.UniqueViolation,
    psycopg.errors.DeadlockDetected,
    psycopg.errors.SerializationFailure,
)


def _race(exc: Exception) -> Conflict:
    if isinstance(exc, psycopg.errors.UniqueViolation):
        return UniqueViolation()
    return Conflict("another request changed this at the same time; try again")


log = logging.getLogger(__name__)

# a literal (kept, its % doubled), a cast (kept), :name, ?, or a bare %
_TOKEN = re.compile(r"'(?:[^']|'')*'|::|:([A-Za-z_]\w*)|\?|%")


@lru_cache(maxsize=1024)
def translate(sql: str) -> bytes:
    """db/'s placeholders (`?`, `:name`) as psycopg's (`%s`, `%(name)s`)."""

    def one(m: re.Match[str]) -> str:
        found = m.group(0)
        if found.startswith("'"):
            return found.replace("%", "%%")
        if m.group(1):
            return f"%({m.group(1)})s"
        return {"::": "::", "?": "%s", "%": "%%"}[found]

    return _TOKEN.sub(one, sql).encode()


class PgRow:
    """A row by position or by column name, like sqlite3.Row."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: Any) -> Any:
        return self._values[self._index[key] if isinstance(key, str) else key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)


def _pg_rows(cursor: Any) -> RowMaker[PgRow]:
    names = [column.name for column in cursor.description or ()]
    index = {name: i for i, name in enumerate(names)}

    def make(values: Sequence[Any]) -> PgRow:
        return PgRow(values, index)

    return make


class PostgresTx(Tx):
    """A transaction on one pooled connection."""

    dialect: Dialect = "postgresql"

    def __init__(self, conn: psycopg.AsyncConnection[PgRow]) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        try:
            cursor = await self._conn.execute(translate(sql), params)
        except _RACES as exc:
            raise _race(exc) from exc
        return cursor.rowcount

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        try:
            async with self._conn.cursor() as cursor:
                await cursor.executemany(translate(sql), list(rows))
        except _RACES as exc:
            raise _race(exc) from exc

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        async with self._conn.transaction():  # nested: a savepoint
            yield

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            cursor = await self._conn.execute(translate(sql), params)
            return list(await cursor.fetchall())
        except _RACES as exc:
            raise _race(exc) from exc


# what the server says when the URL itself is wrong: waiting will not change it (a server
# starting up, or out of connections, also says FATAL, and is waited for)
_WRONG_URL = ("password authentication failed", "does not exist", "no pg_hba.conf entry")


def _refused(message: str) -> bool:
    return "FATAL:" in message and any(marker in message for marker in _WRONG_URL)


def _fatal(message: str) -> str:
    """The server's own words, without libpq's preamble."""
    return message.split("FATAL:", 1)[1].strip().splitlines()[0]


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database; each write commits durably (the
    server's synchronous_commit) before it returns."""

    dialect: Dialect = "postgresql"

    def __init__(self, url: str, *, pool_size: int = 4, connect_timeout_s: float = 30) -> None:
        self.url = url
        self._timeout = connect_timeout_s
        self._pool: AsyncConnectionPool[psycopg.AsyncConnection[PgRow]] = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=pool_size + 1,  # as SQLite: the readers, and one more for writes
            open=False,
            kwargs={"autocommit": True, "row_factory": _pg_rows},
            connection_class=psycopg.AsyncConnection[PgRow],
            name="outreach",
        )

    async def open(self) -> None:
        """Connect and apply pending migrations (one process at a time). A server that is not
        up yet is waited for (`connect_timeout_s`: a container's database starting beside the
        app); one that refuses the URL's password, role or database is said at once."""
        try:
            probe = await psycopg.AsyncConnection.connect(self.url, connect_timeout=10)
        except psycopg.OperationalError as exc:
            if _refused(str(exc)):
                raise ConnectionError(
                    f"cannot connect to {redact(self.url)}: {_fatal(str(exc))}: check"
                    " OUTREACH_DATABASE_URL (or --database-url)"
                ) from exc
        else:
            await probe.close()
        try:
            await self._pool.open(wait=True, timeout=self._timeout)
        except Exception as exc:
            await self._pool.close()
            raise ConnectionError(f"cannot connect to {redact(self.url)}: {exc}") from exc
        try:
            async with self._pool.connection() as conn:
                await migrate.apply_postgres(conn)
        except BaseException:
            await self._pool.close()
            raise

    async def close(self) -> None:
        await self._pool.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Tx]:
        async with self._pool.connection() as conn, conn.transaction():
            yield PostgresTx(conn)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        async with self._pool.connection() as conn, conn.transaction():
            await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield PostgresTx(conn)

    async def schema_version(self) -> int:
        async with self._pool.connection() as conn:
            return await migrate.postgres_version(conn)
