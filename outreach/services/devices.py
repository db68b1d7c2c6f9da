"""Field devices: one-time enrolment codes, opaque device tokens with a sliding expiry,
revocation that takes effect on the very next request."""

from __future__ import annotations

import io
import secrets
from datetime import UTC, datetime, timedelta

import msgspec
import segno

from outreach.db import accounts as accounts_sql
from outreach.db import devices as sql
from outreach.db.database import Database
from outreach.domain.accounts import Actor, Device, EnrolledDevice, Enrolment, User, risks
from outreach.domain.errors import DomainError, InvalidInput, NotFound
from outreach.services.clock import now_iso
from outreach.services.sessions import token_digest

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones
CODE_LIFETIME = timedelta(minutes=15)
DEVICE_LIFETIME = timedelta(days=30)  # renewed by every use


class InvalidEnrolmentCode(DomainError):
    """The code is unknown, used or expired: ask the coordinator for a new one."""

    code = "invalid_enrolment_code"
    status = 401


class DeviceRevoked(DomainError):
    """The device was revoked: keep unsent records and enrol again."""

    code = "device_revoked"
    status = 401


class DeviceExpired(DomainError):
    """The device went unused for too long: keep unsent records and enrol again."""

    code = "device_expired"
    status = 401


class UserDisabled(DomainError):
    """The device's user is disabled: keep unsent records and ask a coordinator."""

    code = "user_disabled"
    status = 401


class DeviceRoleChanged(DomainError):
    """The device's user is no longer a field user: a device token only ever acts as a field
    phone. Keep unsent records and enrol again."""

    code = "device_role_changed"
    status = 401


def _later(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat(timespec="milliseconds")


def normalise(code: str) -> str:
    """A code as stored: capitals, without dashes or spaces."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


async def issue_enrolment(db: Database, login: str, issuer: Actor) -> Enrolment:
    """A one-time code for a field user's new phone, as text and as a QR code (SVG)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    now, expires = now_iso(), _later(CODE_LIFETIME)
    async with db.write() as tx:
        user = await accounts_sql.user_by_login(tx, login)
        if user is None:
            raise NotFound(f"no user {login}")
        if user.role != "field" or user.disabled or user.team is None:
            raise InvalidInput("devices are for enabled field users with a team",
                               details=[{"field": "login", "value": login}])  # fmt: skip
        if issuer.user_id is None:
            raise InvalidInput("an enrolment code is issued by a signed-in coordinator")
        await sql.insert_code(tx, token_digest(normalise(code)), user.id, issuer.user_id, now,
                              expires)  # fmt: skip
        await accounts_sql.audit(tx, at=now, actor=issuer, action="device.code_issued",
                                 object_id=f"user:{user.id}")  # fmt: skip
    svg = io.BytesIO()
    segno.make(code, error="m").save(svg, kind="svg", scale=6, xmldecl=False)
    return Enrolment(code=code, expires_at=expires, qr_svg=svg.getvalue().decode())


async def enrol(db: Database, code: str, label: str, client: str) -> EnrolledDevice:
    """Exchange a code for a device token (the code is spent even if enrolment fails after)."""
    token = secrets.token_urlsafe(32)
    now = now_iso()
    async with db.write() as tx:
        user_id = await sql.take_code(tx, token_digest(normalise(code)), now)
        user = await accounts_sql.user_by_id(tx, user_id) if user_id is not None else None
        if user is None or user.disabled or user.role != "field":
            await accounts_sql.audit(tx, at=now, actor=Actor("anonymous", client=client),
                                     action="device.enrol", outcome="refused")  # fmt: skip
            raise InvalidEnrolmentCode("this code is unknown, used or expired")
        device_id = await sql.insert_device(tx, token_digest(token), user.id, label, now,
                                            _later(DEVICE_LIFETIME))  # fmt: skip
        phone = Actor(user.login, user.id, client)
        await accounts_sql.audit(tx, at=now, actor=phone, action="device.enrol",
                                 object_id=f"device:{device_id}")  # fmt: skip
        device = await sql.by_id(tx, device_id)
    assert device is not None
    return EnrolledDevice(device_token=token, device=device, user=user)


async def resolve(db: Database, token: str) -> tuple[Device, User] | None:
    """The device and user of a bearer token; a revoked or expired device, a disabled user or
    one who is no longer a field user, is refused with its own error so the app can keep its
    unsent records."""
    async with db.read() as tx:
        device = await sql.by_token(tx, token_digest(token))
        user = await accounts_sql.user_by_id(tx, device.user_id) if device else None
    if device is None or user is None:
        return None
    if user.role != "field":  # before revoked: it says why the device was revoked
        raise DeviceRoleChanged("this device's user is no longer a field user")
    if device.revoked:
        raise DeviceRevoked("this device was revoked; enrol it again")
    if user.disabled:
        raise UserDisabled("this device's user is disabled")
    now = datetime.now(UTC)
    if datetime.fromisoformat(device.expires_at) < now:
        raise DeviceExpired("this device went unused too long; enrol it again")
    if now - datetime.fromisoformat(device.last_seen_at) > timedelta(seconds=60):
        async with db.write() as tx:
            await sql.slide(tx, device.id, now_iso(), _later(DEVICE_LIFETIME))
    return device, user


async def list_devices(db: Database) -> list[Device]:
    """Every device, with the reasons it may be at risk."""
    async with db.read() as tx:
        found = await sql.list_devices(tx)
    now = datetime.now(UTC)
    return [msgspec.structs.replace(d, at_risk=risks(d, now)) for d in found]


async def revoke(db: Database, device_id: int, actor: Actor) -> Device:
    """Revoke a device: its next request is refused with `device_revoked`."""
    now = now_iso()
    async with db.write() as tx:
        if await sql.by_id(tx, device_id) is None:
            raise NotFound(f"no device {device_id}")
        await sql.revoke(tx, device_id, now)
        await accounts_sql.audit(tx, at=now, actor=actor, action="device.revoke",
                                 object_id=f"device:{device_id}")  # fmt: skip
        device = await sql.by_id(tx, device_id)
    assert device is not None
    return device
