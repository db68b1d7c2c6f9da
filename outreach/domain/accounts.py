"""Accounts: roles, users, teams, and what an account's input must look like."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Role = Literal["field", "coordinator", "leadership", "admin"]
ROLES: tuple[Role, ...] = ("field", "coordinator", "leadership", "admin")
LOGIN_RULE = "3 to 64 letters, digits, dots, dashes, underscores"
Login = Annotated[str, Meta(pattern=r"^[A-Za-z0-9._-]{3,64}$", description=LOGIN_RULE)]
Password = Annotated[str, Meta(min_length=12, max_length=1024)]


class NewUser(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An account to create. Field users belong to a team; passwords have 12+ characters."""

    login: Login
    display_name: Annotated[str, Meta(min_length=1, max_length=200)]
    role: Role
    password: Password
    team: Annotated[str, Meta(min_length=1, max_length=100)] | None = None


class Actor(msgspec.Struct, frozen=True):
    """Who does something, for the audit log: a login (or `cli`, `demo`, `anonymous`), the
    user's id when there is one, and the client address when it came over the network."""

    login: str
    user_id: int | None = None
    client: str | None = None


class User(msgspec.Struct, frozen=True, kw_only=True):
    """An account as others see it: never its password hash."""

    id: int
    login: str
    display_name: str
    role: Role
    team: str | None
    disabled: bool
    created_at: str


class Team(msgspec.Struct, frozen=True, kw_only=True):
    """A field team and how many users belong to it now."""

    id: int
    name: str
    members: int


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """A line of the audit log: who did what, when, from where, and how it ended."""

    id: int
    at: str
    actor: str
    action: str
    object: str | None
    client: str | None
    outcome: str


class AuditFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which audit lines to list, newest first: of one actor, with an action containing a
    text, at or after an instant (`since`, in UTC as the log writes its times), and older than
    a line already shown (`before`, its id)."""

    actor: str | None = None
    action: str | None = None
    since: str | None = None
    before: int | None = None


class Device(msgspec.Struct, frozen=True, kw_only=True):
    """An enrolled phone of a field user. Its token is never shown again after enrolment.
    What it said on its last sync (records waiting, app version, clock offset in seconds,
    positive when ahead) lets coordinators see a phone at risk: `at_risk` says why."""

    id: int
    user_id: int
    login: str
    label: str
    created_at: str
    last_seen_at: str
    expires_at: str
    revoked: bool
    last_sync_at: str | None = None
    pending: int | None = None
    app_version: str | None = None
    clock_offset_s: float | None = None
    at_risk: list[str] = []


STALE_SYNC = timedelta(days=2)
CLOCK_TOLERANCE_S = 600.0


def risks(device: Device, now: datetime) -> list[str]:
    """Why a device's records may be at risk: records waiting and no sync for two days, a
    clock more than ten minutes off, or revoked while records wait."""
    found = []
    waiting = (device.pending or 0) > 0
    last = datetime.fromisoformat(device.last_sync_at) if device.last_sync_at else None
    if waiting and (last is None or now - last > STALE_SYNC):
        found.append("records_waiting_without_sync")
    if device.clock_offset_s is not None and abs(device.clock_offset_s) > CLOCK_TOLERANCE_S:
        found.append("clock_off")
    if device.revoked and waiting:
        found.append("revoked_with_records_waiting")
    return found


class EnrolmentRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Which field user a new phone will belong to."""

    login: Login


class Enrolment(msgspec.Struct, frozen=True, kw_only=True):
    """A one-time enrolment code, to type or to scan (`qr_svg`), valid until `expires_at`."""

    code: str
    expires_at: str
    qr_svg: str


class EnrolRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A phone exchanging its enrolment code for a device token."""

    code: Annotated[str, Meta(min_length=8, max_length=40)]
    label: Annotated[str, Meta(min_length=1, max_length=100)] = "phone"


class EnrolledDevice(msgspec.Struct, frozen=True, kw_only=True):
    """The device token (send it as `Authorization: Bearer ...`; it is shown only now), the
    device and its user."""

    device_token: str
    device: Device
    user: User


class NewTeam(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A team to add; any number of teams is allowed."""

    name: Annotated[str, Meta(pattern=r"^[A-Za-z0-9._ -]{1,100}$")]


class UserChange(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An admin's change to an account: role, or enabled / disabled. Omitted fields stay."""

    role: Role | msgspec.UnsetType = msgspec.UNSET
    disabled: bool | msgspec.UnsetType = msgspec.UNSET


class TeamChange(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Move a user to another team (null: to none); the old membership is kept as history."""

    team: Annotated[str, Meta(min_length=1, max_length=100)] | None
