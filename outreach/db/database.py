"""The storage layer's contract: a Database hands out transactions, a Tx runs SQL. Two engines
implement it: SQLite (`db.sqlite`, the embedded default) and PostgreSQL (`db.postgres`).

SQL in db/ is written once where it can be: `?` or `:name` placeholders, standard SQL that both
engines read the same way (a parameter only tested for NULL is CAST, as PostgreSQL must know
its type). Where they differ, a module asks `tx.dialect`."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Literal, Protocol

from outreach.domain.errors import Conflict

Params = Sequence[Any] | dict[str, Any]
Dialect = Literal["sqlite", "postgresql"]


class UniqueViolation(Conflict):
    """A write collided with a unique key (on either engine): another request got there
    first. Services catch it to say what was taken; uncaught, it is a 409."""

    def __init__(self, message: str = "another request changed this first; read it again"):
        super().__init__(message)


class Row(Protocol):
    """A result row: by position or by column name, iterable, and `dict(row)` works."""

    def __getitem__(self, key: Any, /) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...
    def keys(self) -> list[str]: ...


class Tx(ABC):
    """A transaction on one connection; rows stay inside db/ and leave it as Structs."""

    dialect: Dialect

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows it changed."""

    @abstractmethod
    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter row."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """All rows of a query."""

    @abstractmethod
    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A part of the transaction that an error undoes alone (rolled back to where it
        began, and the error raised on), leaving the rest of the transaction to go on."""

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """The first row of a query, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]


def for_update(tx: Tx) -> str:
    """The row-lock clause for a SELECT that is read then written: ` FOR UPDATE` on
    PostgreSQL; nothing on SQLite, whose single writer already makes read-then-write one step."""
    return " FOR UPDATE" if tx.dialect == "postgresql" else ""


LIKE_ESCAPE = " ESCAPE '\\'"
"""Said after every LIKE whose pattern went through like_literal (the same on both engines)."""


def like_literal(text: str) -> str:
    """A text matched as itself in a LIKE pattern (its `%` and `_` no wildcards), escaped by a
    backslash: follow the LIKE with LIKE_ESCAPE."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Database(ABC):
    """Where every write is one transaction, committed durably before it returns, or rolled
    back whole; reads see one consistent snapshot."""

    dialect: Dialect

    @abstractmethod
    async def open(self) -> None:
        """Connect and apply pending migrations."""

    @abstractmethod
    async def close(self) -> None:
        """Close every connection."""

    @abstractmethod
    def write(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction: committed durably on success, rolled back on any error."""

    @abstractmethod
    def read(self) -> AbstractAsyncContextManager[Tx]:
        """A read-only transaction on one snapshot."""

    @abstractmethod
    async def schema_version(self) -> int:
        """The migration number the database is at."""

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def connect(url: str, *, connections: int = 4, busy_timeout_ms: int = 5000) -> Database:
    """The database a URL names (not yet open): `sqlite:///path` or `postgresql://...`.
    `connections` is the number of SQLite readers, or the size of PostgreSQL's pool."""
    if url.startswith(SQLITE_PREFIX):
        from outreach.db.sqlite import SqliteDatabase

        return SqliteDatabase(
            sqlite_path(url), read_connections=connections, busy_timeout_ms=busy_timeout_ms
        )
    if url.startswith(POSTGRES_PREFIXES):
        from outreach.db.postgres import PostgresDatabase

        return PostgresDatabase(url, pool_size=connections)
    raise ValueError(
        f"unsupported database URL {redact(url)!r}: use sqlite:///path or postgresql://..."
    )


SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def sqlite_path(url: str) -> Path:
    """The file of a sqlite:/// URL."""
    return Path(url[len(SQLITE_PREFIX) :])


def redact(url: str) -> str:
    """A URL fit for logs and messages: its password replaced by ***."""
    return re.sub(r"(://[^/:@]*:)[^@/]*@", r"\1***@", url)
