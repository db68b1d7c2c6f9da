"""Accounts over HTTP: users, teams and the audit log (admins; teams also coordinators)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from outreach.api.auth import current_session
from outreach.api.deps import DB
from outreach.domain.accounts import AuditEntry, NewUser, Team, User
from outreach.services import accounts as service


class AccountsController(Controller):
    """Users, teams and the audit log."""

    path = "/api/v1"
    tags = ["accounts"]

    @get("/users")
    async def list_users(self, db: DB) -> list[User]:
        """Every account with its role and current team (admins)."""
        return await service.list_users(db)

    @post("/users", status_code=HTTP_201_CREATED, opt={"body_media_type": "application/json"})
    async def create_user(self, db: DB, request: Request[Any, Any, Any],
                          data: JSONBody[NewUser]) -> User:  # fmt: skip
        """Create an account (admins); audited. Field users belong to a team."""
        actor = current_session(request).user.login
        client = request.client.host if request.client else None
        return await service.create_user(db, data, actor=actor, client=client)

    @get("/teams")
    async def list_teams(self, db: DB) -> list[Team]:
        """Every field team and its current number of members."""
        return await service.list_teams(db)

    @get("/audit")
    async def audit(self, db: DB,
                    limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100
                    ) -> list[AuditEntry]:  # fmt: skip
        """The newest lines of the audit log (admins): who did what, when, from where; it
        holds no names, phones or tokens, and the database refuses to change it."""
        return await service.audit_log(db, limit)
