"""Liveness and database state."""

from __future__ import annotations

from typing import Literal

import msgspec
from litestar import Controller, Response, get

from outreach import __version__
from outreach.api.deps import DB
from outreach.services import health as service


class Health(msgspec.Struct, frozen=True, kw_only=True):
    """The service's version and its database's state; `status` is `ok` only when the
    database answers and its schema is the one this version expects."""

    status: Literal["ok", "error"]
    version: str
    database: service.DatabaseState


class HealthController(Controller):
    """Health checks for load balancers and people."""

    path = "/health"
    tags = ["health"]

    @get("/")
    async def health(self, db: DB) -> Response[Health]:
        """Version and database state; 503 when the database is not usable."""
        state = await service.database_state(db)
        ok = state.error is None and state.schema_version == state.expected_schema_version
        return Response(
            Health(status="ok" if ok else "error", version=__version__, database=state),
            status_code=200 if ok else 503,
        )
