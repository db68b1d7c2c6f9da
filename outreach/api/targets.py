"""Targets over HTTP: what each campaign aims at per district."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, put
from litestar.params import JSONBody, QueryParameter

from outreach.api.auth import current_actor
from outreach.api.deps import DB
from outreach.domain.targets import Target
from outreach.services import targets as service


class TargetController(Controller):
    """Targets per campaign and district (coverage shows actual against them)."""

    path = "/api/v1/targets"
    tags = ["coverage"]

    @get("/")
    async def list_targets(
        self, db: DB, campaign: Annotated[str | None, QueryParameter(max_length=200)] = None
    ) -> list[Target]:
        """Targets of a campaign (by its name), or of all."""
        return await service.targets(db, campaign)

    @put("/", opt={"body_media_type": "application/json"})
    async def put_target(
        self, db: DB, request: Request[Any, Any, Any], data: JSONBody[Target]
    ) -> Target:
        """Set a campaign's targets in a district: villages to reach, residents to meet,
        people trained, projects financed and tenge financed (null: no target). Audited."""
        return await service.put(db, data, current_actor(request))
