"""Accounts over HTTP: users, teams and the audit log (admins; teams also coordinators)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from outreach.api.auth import current_actor, current_session
from outreach.api.deps import DB
from outreach.domain.accounts import (
    AuditEntry,
    AuditFilter,
    NewTeam,
    NewUser,
    Team,
    TeamChange,
    User,
    UserChange,
)
from outreach.domain.errors import InvalidInput
from outreach.domain.wire import MAX_INT64
from outreach.services import accounts as service

# a day, or an instant with its offset (ISO 8601)
_SINCE = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$"
LoginPath = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9._-]{3,64}$")]


class AccountsController(Controller):
    """Users, teams and the audit log."""

    path = "/api/v1"
    tags = ["accounts"]

    @get("/users")
    async def list_users(
        self, db: DB, request: Request[Any, Any, Any],
        team: Annotated[str | None, QueryParameter(max_length=100, description="only this team")]
        = None,
    ) -> list[User]:  # fmt: skip
        """Accounts with their role and current team: every account for admins, the field
        users for coordinators (to enrol their phones and move them between teams)."""
        return await service.list_users(db, current_session(request).user.role, team)

    @post("/users", status_code=HTTP_201_CREATED, opt={"body_media_type": "application/json"})
    async def create_user(self, db: DB, request: Request[Any, Any, Any],
                          data: JSONBody[NewUser]) -> User:  # fmt: skip
        """Create an account (admins); audited. Field users belong to a team."""
        return await service.create_user(db, data, actor=current_actor(request))

    @get("/teams")
    async def list_teams(self, db: DB) -> list[Team]:
        """Every field team and its current number of members."""
        return await service.list_teams(db)

    @post("/teams", status_code=HTTP_201_CREATED, opt={"body_media_type": "application/json"})
    async def create_team(self, db: DB, request: Request[Any, Any, Any],
                          data: JSONBody[NewTeam]) -> Team:  # fmt: skip
        """Add a field team (coordinators, admins); any number of teams is allowed."""
        return await service.create_team(db, data.name, actor=current_actor(request))

    @patch("/users/{login:str}", opt={"body_media_type": "application/json"})
    async def change_user(self, db: DB, request: Request[Any, Any, Any], login: LoginPath,
                          data: JSONBody[UserChange]) -> User:  # fmt: skip
        """Change an account's role, or disable / enable it (admins; audited). A disabled
        user's sessions and devices are refused from the next request on."""
        return await service.change_user(db, login, data, actor=current_actor(request))

    @post("/users/{login:str}/team", status_code=HTTP_200_OK,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def move_user(self, db: DB, request: Request[Any, Any, Any], login: LoginPath,
                        data: JSONBody[TeamChange]) -> User:  # fmt: skip
        """Move a user to another team (coordinators, admins); the old membership is kept
        as history."""
        return await service.move_to_team(db, login, data.team, actor=current_actor(request))

    @get("/audit")
    async def audit(
        self, db: DB, limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        actor: Annotated[str | None, QueryParameter(
            min_length=1, max_length=64, description="only this actor's lines (a login, or"
            " `anonymous`, `cli`, `demo`)")] = None,
        action: Annotated[str | None, QueryParameter(
            max_length=64, description="only actions containing this text")] = None,
        since: Annotated[str | None, QueryParameter(
            pattern=_SINCE, description="only lines at or after this instant (ISO 8601 with its"
            " offset; the console sends the user's midnight), or a day's start in UTC")] = None,
        before: Annotated[int | None, QueryParameter(
            ge=1, le=MAX_INT64, description="only lines older than this id: the next page after"
            " the last line shown")] = None,
    ) -> list[AuditEntry]:  # fmt: skip
        """The newest lines of the audit log (admins), of those the filters let through:
        who did what, when, from where; it holds no names, phones or tokens, and the
        database refuses to change it."""
        where = AuditFilter(actor=actor, action=action or None, since=_utc(since), before=before)
        return await service.audit_log(db, limit, where)


def _utc(since: str | None) -> str | None:
    """An instant as the audit log writes its times (UTC, milliseconds); a day, its start in
    UTC; an instant without an offset is taken as UTC."""
    if since is None:
        return None
    try:
        at = datetime.fromisoformat(since)
    except ValueError:
        raise InvalidInput(f"since: no such day or time: {since}",
                           details=[{"field": "since", "value": since}]) from None  # fmt: skip
    at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="milliseconds")
