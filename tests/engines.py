"""The two database engines every storage-backed test runs on, and direct access to a test's
database for setting up and checking state (through the engine's own driver, not the app's).

SQLite: a file in the test's tmp_path, copied from a template made once per run (migrated, the
shipped gazetteer loaded, as the app leaves a new file at its first start). PostgreSQL: a fresh database on the server that
OUTREACH_TEST_POSTGRES_URL names (a role that may create databases), copied from a template
made once per run (migrated, the shipped gazetteer loaded, as the app leaves a new SQLite file
at its first start), dropped after the test. Without that variable the PostgreSQL leg is
skipped and the run says so; with OUTREACH_REQUIRE_POSTGRES=1 (as in CI) it fails instead."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

from outreach.db.database import connect
from outreach.db.postgres import translate
from outreach.services.gazetteer_import import load_packaged_if_empty

ENGINES = ("sqlite", "postgresql")
POSTGRES_URL = os.environ.get("OUTREACH_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("OUTREACH_REQUIRE_POSTGRES") == "1"


def with_database(url: str, name: str) -> str:
    """The same server and role, another database."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


class TestDatabase:
    """A test's database: its URL for the app, and SQL straight at it (`?` placeholders)."""

    __test__ = False  # not a test class

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = "sqlite" if url.startswith("sqlite:///") else "postgresql"

    @property
    def path(self) -> Path:
        """The SQLite file (SQLite only)."""
        assert self.engine == "sqlite", "only a SQLite database is a file"
        return Path(self.url[len("sqlite:///") :])

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement and commit; the number of rows changed."""
        if self.engine == "sqlite":
            with closing(sqlite3.connect(self.path)) as conn, conn:
                return conn.execute(sql, params).rowcount
        with psycopg.connect(self.url) as conn:
            return conn.execute(translate(sql), params).rowcount

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a query, as tuples."""
        if self.engine == "sqlite":
            with closing(sqlite3.connect(self.path)) as conn:
                return [tuple(r) for r in conn.execute(sql, params).fetchall()]
        with psycopg.connect(self.url) as conn:
            return [tuple(r) for r in conn.execute(translate(sql), params).fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row."""
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def dump(self, tables: Sequence[str]) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of the named tables, in a stable order."""
        return {t: sorted(self.rows(f"SELECT * FROM {t}"), key=repr) for t in tables}

    def tables(self) -> list[str]:
        """Every table of the schema."""
        if self.engine == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        return sorted(r[0] for r in self.rows(sql))

    def all_text(self) -> list[tuple[str, str]]:
        """(table, text of a row) for every row of every table: to look for what must be gone."""
        return [(t, repr(row)) for t in self.tables() for row in self.rows(f"SELECT * FROM {t}")]


class PostgresUnavailable(RuntimeError):
    pass


_checked: list[str] = []


def postgres_admin_url() -> str:
    """The server tests create their databases on; PostgresUnavailable says why not."""
    if not POSTGRES_URL:
        raise PostgresUnavailable("OUTREACH_TEST_POSTGRES_URL is not set")
    if not _checked:
        try:
            with psycopg.connect(POSTGRES_URL, connect_timeout=5):
                pass
        except psycopg.Error as exc:
            raise PostgresUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc
        _checked.append(POSTGRES_URL)
    return POSTGRES_URL


_templates: dict[bool, str] = {}


def _admin(sql: str) -> None:
    with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
        conn.execute(sql.encode())


def _drop(name: str) -> None:
    """Drop a test database, ending its connections; an autovacuum worker busy in it cannot
    be ended by a role without pg_signal_backend (.ci/run grants it), so try a few times."""
    for attempt in range(20):
        try:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            if attempt == 19:
                raise
            time.sleep(0.25)


def _prepare(url: str, *, gazetteer: bool) -> None:
    """Migrate a new database (and load the gazetteer), in a thread of its own: the calling
    thread may be running an event loop (Playwright's)."""

    async def prepare() -> None:
        async with connect(url, connections=1) as db:
            if gazetteer:
                await load_packaged_if_empty(db)

    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(prepare())).result()


_sqlite_template: list[Path] = []


def sqlite_database(folder: Path) -> TestDatabase:
    """A SQLite file as the app leaves it at its first start, with a server id of its own."""
    if not _sqlite_template:
        template = Path(tempfile.mkdtemp(prefix="outreach-template-")) / "template.db"
        _prepare(f"sqlite:///{template}", gazetteer=True)
        _sqlite_template.append(template)
    database = TestDatabase(f"sqlite:///{folder / 'outreach.db'}")
    shutil.copyfile(_sqlite_template[0], database.path)
    database.execute("UPDATE sync_state SET server_id = ?", (uuid.uuid4().hex,))
    return database


def template_name(*, gazetteer: bool) -> str:
    """A database migrated (and holding the shipped gazetteer), made once per test run."""
    if gazetteer not in _templates:
        name = f"outreach_template_{os.getpid()}_{int(gazetteer)}"
        _drop(name)
        _admin(f'CREATE DATABASE "{name}"')

        _prepare(with_database(postgres_admin_url(), name), gazetteer=gazetteer)
        _templates[gazetteer] = name
    return _templates[gazetteer]


def drop_templates() -> None:
    """At the end of the run: the spare databases and the templates dropped, every drop
    waited for."""
    for spare in _spares.values():
        _drops.append(_background.submit(_drop, spare.result()))
    _spares.clear()
    for drop in _drops:
        drop.result()
    _drops.clear()
    for name in _templates.values():
        _drop(name)
    _templates.clear()
    for template in _sqlite_template:
        shutil.rmtree(template.parent, ignore_errors=True)
    _sqlite_template.clear()


# A test's PostgreSQL database is made (from the template, about 0.1-0.3 s) while the test
# before it runs, and dropped while the next one runs: on one thread, in order
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-databases")
_spares: dict[bool, Future[str]] = {}
_drops: list[Future[None]] = []


def _create(template: str) -> str:
    name = f"outreach_test_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    # a server of its own, as a new SQLite file would be
    database = TestDatabase(with_database(postgres_admin_url(), name))
    database.execute("UPDATE sync_state SET server_id = ?", (uuid.uuid4().hex,))
    return name


@contextmanager
def postgres_database(*, gazetteer: bool = True) -> Iterator[TestDatabase]:
    """A new PostgreSQL database for one test: migrated, with the gazetteer unless not."""
    template = template_name(gazetteer=gazetteer)
    spare = _spares.pop(gazetteer, None)
    name = spare.result() if spare is not None else _create(template)
    _spares[gazetteer] = _background.submit(_create, template)  # the next test's
    try:
        yield TestDatabase(with_database(postgres_admin_url(), name))
    finally:
        _drops.append(_background.submit(_drop, name))


@contextmanager
def fresh_database(engine: str, folder: Path, *, empty: bool = False) -> Iterator[TestDatabase]:
    """A new database on an engine as the app leaves it at its first start, or `empty` (for
    commands that migrate and load themselves: no SQLite file yet, a PostgreSQL database
    migrated only)."""
    if engine == "sqlite":
        yield (
            TestDatabase(f"sqlite:///{folder / 'outreach.db'}")
            if empty
            else sqlite_database(folder)
        )
    else:
        with postgres_database(gazetteer=not empty) as database:
            yield database
