"""A SQLite database's own files: created readable by their owner alone (they hold residents'
names and phones), and a lock beside the database that every process using it holds shared,
so that a restore can tell that a service still has it open (POSIX; `fcntl.flock`)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

PRIVATE = 0o600
"""The mode of the files the service creates: the database, its lock, backups."""


class InUse(RuntimeError):
    """Another process has the database open."""


def create_private(path: Path) -> None:
    """An empty file only its owner may read or write, unless the file exists (SQLite takes
    an empty file as a new database, and gives its WAL the database file's mode)."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE))


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class Holder:
    """The database held open by this process (a shared lock, released by `release`)."""

    def __init__(self, database: Path) -> None:
        path = lock_path(database)
        create_private(path)
        self._fd: int | None = os.open(path, os.O_RDWR)
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # the lock goes with the descriptor
            self._fd = None


@contextmanager
def alone(database: Path) -> Iterator[None]:
    """The database held by no other process while the block runs; InUse if one holds it."""
    path = lock_path(database)
    create_private(path)
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InUse(f"a running service (or another command) has {database} open") from None
        yield
    finally:
        os.close(fd)
