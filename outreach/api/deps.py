"""Dependencies handlers ask for by name."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency

from outreach.db.database import Database

DB = NamedDependency[Database]


def provide_db(state: State) -> Database:
    """The app's database, opened in the lifespan."""
    db: Database = state.db
    return db
