"""The PostgreSQL leg of a benchmark: the server that --postgres-url or OUTREACH_BENCH_POSTGRES_URL
names (a role that may create databases), and a scratch database on it for one run, dropped
afterwards whatever happens. Without a URL a benchmark runs SQLite alone and says so."""

from __future__ import annotations

import argparse
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from tests.engines import with_database

POSTGRES_ENV = "OUTREACH_BENCH_POSTGRES_URL"
NOT_RUN = (
    f"PostgreSQL leg NOT run: give --postgres-url or set {POSTGRES_ENV} (the admin URL of a role"
    " that may create databases, e.g. postgresql://outreach:outreach@127.0.0.1/postgres)"
)


def add_postgres_option(parser: argparse.ArgumentParser) -> None:
    """--postgres-url, defaulting to OUTREACH_BENCH_POSTGRES_URL (read when called)."""
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(POSTGRES_ENV, ""),
        help=f"admin URL of a PostgreSQL role that may create databases (default: ${POSTGRES_ENV});"
        " without it only SQLite is measured",
    )


def _admin(admin_url: str, sql: str) -> None:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.encode())


@contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the server, dropped on leaving (even on failure)."""
    name = f"outreach_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    _admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield with_database(admin_url, name)
    finally:
        _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def describe(url: str) -> str:
    """The server's version and the settings that decide durability, e.g.
    'PostgreSQL 15.18, synchronous_commit=on, fsync=on'."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT current_setting('server_version'), current_setting('synchronous_commit'),"
            " current_setting('fsync')"
        ).fetchone()
    assert row is not None
    version, commit, fsync = row
    return f"PostgreSQL {version.split()[0]}, synchronous_commit={commit}, fsync={fsync}"
