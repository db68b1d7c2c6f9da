"""Web sessions for coordinators, leadership and admins: sign-in with throttling, expiry,
and a CSRF token per session."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import msgspec

from outreach.db import accounts as accounts_sql
from outreach.db import sessions as sql
from outreach.db.database import Database
from outreach.domain.accounts import Actor, User
from outreach.domain.errors import DomainError
from outreach.services.accounts import check_password
from outreach.services.clock import now_iso

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_LOGIN_AND_CLIENT = 5
MAX_FAILURES_PER_CLIENT = 30


class SignInRefused(DomainError):
    """Wrong login or password: the same answer whether or not the account exists."""

    code = "invalid_credentials"
    status = 401


class TooManyAttempts(DomainError):
    """Too many failed sign-ins from this client (for this login, or at all)."""

    code = "too_many_attempts"
    status = 429


class DeviceRequired(DomainError):
    """Field users work in the field app on their enrolled phone, not with a web session."""

    code = "use_enrolled_phone"
    status = 403


class SessionLimits(msgspec.Struct, frozen=True):
    """How long a session lives without use, and at most."""

    idle: timedelta
    absolute: timedelta


class Session(msgspec.Struct, frozen=True, kw_only=True):
    """A signed-in user: by session cookie (whose writes must carry `csrf_token`) or by an
    enrolled device's bearer token (`device_id`)."""

    user: User
    csrf_token: str = ""
    device_id: int | None = None


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


async def sign_in(db: Database, login: str, password: str, client: str
                  ) -> tuple[str, Session]:  # fmt: skip
    """Check the password (throttled per login and client, and per client) and open a
    session; return its token (for the cookie) and the session."""
    attempt = await _take_attempt(db, login[:64], client)
    user = await check_password(db, login, password)
    now = now_iso()
    if user is None:
        async with db.write() as tx:
            await accounts_sql.audit(tx, at=now, actor=Actor("anonymous", client=client),
                                     action="session.sign_in", outcome="refused")  # fmt: skip
        raise SignInRefused("wrong login or password")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    async with db.write() as tx:
        await sql.forget_failure(tx, attempt)  # the right password is not a failure
        if user.role == "field":
            token = ""
        else:
            await sql.insert(tx, token_digest(token), csrf, user.id, now)
            await accounts_sql.audit(tx, at=now, actor=Actor(user.login, user.id, client),
                                     action="session.sign_in",
                                     object_id=f"user:{user.id}")  # fmt: skip
    if not token:
        raise DeviceRequired("field users work in the field app on their enrolled phone, not here")
    return token, Session(user=user, csrf_token=csrf)


async def _take_attempt(db: Database, login: str, client: str) -> int:
    """Count this client's failures and record this attempt as one, in one transaction that
    other attempts from the client wait for (several processes included), before any password
    is checked: a burst cannot check more than the limit. Return the attempt's id, to be
    forgotten if the password is right."""
    since = (datetime.now(UTC) - THROTTLE_WINDOW).isoformat(timespec="milliseconds")
    async with db.write() as tx:
        await sql.lock_client(tx, client)
        for_login, for_client = await sql.failures_since(tx, since, client, login)
        if for_login >= MAX_FAILURES_PER_LOGIN_AND_CLIENT or for_client >= MAX_FAILURES_PER_CLIENT:
            raise TooManyAttempts("too many failed sign-ins from here; try again in 15 minutes")
        return await sql.add_failure(tx, login, client, now_iso())


async def resolve(db: Database, token: str, limits: SessionLimits) -> Session | None:
    """The session of a cookie's token, if open, unexpired and its user enabled; sliding the
    idle expiry on use."""
    async with db.read() as tx:
        found = await sql.find(tx, token_digest(token))
        user = await accounts_sql.user_by_id(tx, found[1]) if found else None
    if found is None or user is None or user.disabled:
        return None
    session_id, _, csrf, created, last_seen = found
    now = datetime.now(UTC)
    if (now - datetime.fromisoformat(created) > limits.absolute
            or now - datetime.fromisoformat(last_seen) > limits.idle):  # fmt: skip
        return None
    if now - datetime.fromisoformat(last_seen) > timedelta(seconds=60):  # spare the writer
        async with db.write() as tx:
            await sql.touch(tx, session_id, now_iso())
    return Session(user=user, csrf_token=csrf)


async def sign_out(db: Database, token: str) -> None:
    """End the session of a token (nothing happens for an unknown one)."""
    async with db.write() as tx:
        found = await sql.find(tx, token_digest(token))
        if found is not None:
            await sql.end(tx, found[0], now_iso())
