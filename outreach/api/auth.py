"""Signing in and out, the session behind a request, and the guard that applies the policy."""

from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.handlers.base import BaseRouteHandler
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT
from msgspec import Meta

from outreach.api import policy
from outreach.api.deps import DB
from outreach.config import Settings
from outreach.domain.accounts import Actor, User
from outreach.domain.errors import CsrfFailed, Forbidden, NotFound, SignInRequired
from outreach.services import devices, sessions

COOKIE = "outreach_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_PARAM_TYPE = re.compile(r"\{(\w+):\w+\}")


class Credentials(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A login and password."""

    login: Annotated[str, Meta(max_length=200)]
    password: Annotated[str, Meta(max_length=1024)]


class SessionView(msgspec.Struct, frozen=True, kw_only=True):
    """The signed-in user, and the token to send as X-CSRF-Token with every write."""

    user: User
    csrf_token: str


def _template(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return _PARAM_TYPE.sub(r"{\1}", str(connection.scope.get("path_template", "")))


def _client(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return connection.client.host if connection.client else "unknown"


async def authorize(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Apply the role x operation table to every API request; writes made with the session
    cookie must carry the session's CSRF token."""
    template = _template(connection)
    if not (template.startswith("/api/") or template.startswith("/health")):
        return  # the field app's files and the API documentation
    method = str(connection.scope.get("method", "GET"))
    roles = policy.allowed(method, template)
    if roles is None:
        raise Forbidden(f"{method} {template} is not in the access policy")
    session = await _session(connection)
    connection.scope.setdefault("state", {})["session"] = session
    if policy.PUBLIC in roles:
        return
    if session is None:
        raise SignInRequired("sign in first (your session may have expired)")
    if session.user.role not in roles:
        if session.device_id is not None and _private_object(template):
            # other teams' objects are invisible to phones, not merely forbidden
            raise NotFound("no such object")
        raise Forbidden(f"a {session.user.role} may not do this")
    cookie_write = session.device_id is None and method not in SAFE_METHODS
    if cookie_write and connection.headers.get(CSRF_HEADER) != session.csrf_token:
        raise CsrfFailed("send the session's CSRF token in the X-CSRF-Token header")


def _private_object(template: str) -> bool:
    """An object endpoint whose objects are not public (reading them needs a role)."""
    read = policy.allowed("GET", template)
    return "{" in template and not (read and policy.PUBLIC in read)


async def _session(connection: ASGIConnection[Any, Any, Any, Any]) -> sessions.Session | None:
    """The caller: a device by its bearer token (only ever read from the Authorization
    header, never from the URL), else a web session by its cookie."""
    state = connection.app.state
    scheme, _, bearer = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and bearer:
        found = await devices.resolve(state.db, bearer.strip()[:200])
        if found is None:
            raise SignInRequired("unknown device token: enrol this device")
        device, user = found
        return sessions.Session(user=user, device_id=device.id)
    token = connection.cookies.get(COOKIE)
    if not token or len(token) > 200:
        return None
    return await sessions.resolve(state.db, token, state.session_limits)


def current_actor(request: Request[Any, Any, Any]) -> Actor:
    """The signed-in user as the audit log names them, with the client's address."""
    user = current_session(request).user
    return Actor(user.login, user.id, _client(request))


def current_session(request: Request[Any, Any, Any]) -> sessions.Session:
    """The session the guard found (only on operations that need one)."""
    found: sessions.Session | None = request.scope.get("state", {}).get("session")
    if found is None:
        raise SignInRequired("sign in first")
    return found


class SessionController(Controller):
    """Web sessions for coordinators, leadership and admins."""

    path = "/api/v1/session"
    tags = ["accounts"]

    @post("/", status_code=HTTP_200_OK, opt={"body_media_type": "application/json"})
    async def sign_in(self, db: DB, request: Request[Any, Any, Any],
                      data: JSONBody[Credentials]) -> Response[SessionView]:  # fmt: skip
        """Sign in with a login and password. Sets an HttpOnly, SameSite=Strict session
        cookie and returns the CSRF token that writes must send back. A wrong login or
        password gets the same answer (401 `invalid_credentials`); repeated failures from one
        client are refused for 15 minutes (429 `too_many_attempts`)."""
        settings: Settings = request.app.state.settings
        token, session = await sessions.sign_in(db, data.login, data.password, _client(request))
        cookie = Cookie(key=COOKIE, value=token, httponly=True, samesite="strict", path="/",
                        secure=settings.secure_cookies,
                        max_age=settings.session_max_hours * 3600)  # fmt: skip
        view = SessionView(user=session.user, csrf_token=session.csrf_token)
        return Response(view, cookies=[cookie])

    @get("/")
    async def whoami(self, request: Request[Any, Any, Any]) -> SessionView:
        """The signed-in user and the session's CSRF token."""
        session = current_session(request)
        return SessionView(user=session.user, csrf_token=session.csrf_token)

    @delete("/", status_code=HTTP_204_NO_CONTENT)
    async def sign_out(self, db: DB, request: Request[Any, Any, Any]) -> Response[None]:
        """Sign out: the session ends on the server and the cookie is cleared."""
        await sessions.sign_out(db, request.cookies.get(COOKIE, ""))
        settings: Settings = request.app.state.settings
        cleared = Cookie(
            key=COOKIE,
            value="",
            max_age=0,
            path="/",
            httponly=True,
            samesite="strict",
            secure=settings.secure_cookies,
        )  # as it was set
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=[cleared])
