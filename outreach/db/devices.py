"""SQL of field devices and their enrolment codes."""

from __future__ import annotations

from outreach.db.database import Row, Tx
from outreach.domain.accounts import Device


def _device(row: Row) -> Device:
    return Device(id=row["id"], user_id=row["user_id"], login=row["login"], label=row["label"],
                  created_at=row["created_at"], last_seen_at=row["last_seen_at"],
                  expires_at=row["expires_at"], revoked=row["revoked_at"] is not None,
                  last_sync_at=row["last_sync_at"], pending=row["pending_count"],
                  app_version=row["app_version"], clock_offset_s=row["clock_offset_s"])  # fmt: skip


_DEVICE = """SELECT d.*, u.login FROM devices AS d JOIN users AS u ON u.id = d.user_id"""


async def insert_code(tx: Tx, code_sha256: str, user_id: int, issued_by: int, now: str,
                      expires_at: str) -> None:  # fmt: skip
    """Keep a new enrolment code."""
    await tx.execute(
        "INSERT INTO enrolment_codes (code_sha256, user_id, issued_by, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (code_sha256, user_id, issued_by, now, expires_at),
    )


async def take_code(tx: Tx, code_sha256: str, now: str) -> int | None:
    """Use an unexpired, unused code once; return its user's id. One conditional update, so
    that of several requests racing with the same code (in several processes) one wins."""
    found = await tx.fetch_value(
        "UPDATE enrolment_codes SET used_at = ?"
        " WHERE code_sha256 = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id",
        (now, code_sha256, now),
    )
    return None if found is None else int(found)


async def insert_device(tx: Tx, token_sha256: str, user_id: int, label: str, now: str,
                        expires_at: str) -> int:  # fmt: skip
    """Register an enrolled device; return its id."""
    return int(
        await tx.fetch_value(
            "INSERT INTO devices (token_sha256, user_id, label, created_at, last_seen_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (token_sha256, user_id, label, now, now, expires_at),
        )
    )


async def by_token(tx: Tx, token_sha256: str) -> Device | None:
    """The device a token belongs to."""
    row = await tx.fetch_one(_DEVICE + " WHERE d.token_sha256 = ?", (token_sha256,))
    return None if row is None else _device(row)


async def by_id(tx: Tx, device_id: int) -> Device | None:
    """A device by id."""
    row = await tx.fetch_one(_DEVICE + " WHERE d.id = ?", (device_id,))
    return None if row is None else _device(row)


async def list_devices(tx: Tx) -> list[Device]:
    """Every device, newest first."""
    return [_device(row) for row in await tx.fetch_all(_DEVICE + " ORDER BY d.id DESC")]


async def slide(tx: Tx, device_id: int, now: str, expires_at: str) -> None:
    """Record use and push the expiry on."""
    await tx.execute("UPDATE devices SET last_seen_at = ?, expires_at = ? WHERE id = ?",
                     (now, expires_at, device_id))  # fmt: skip


async def revoke_all_of(tx: Tx, user_id: int, now: str) -> int:
    """Revoke every device of a user still in use; return how many."""
    return await tx.execute(
        "UPDATE devices SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        (now, user_id),
    )


async def revoke(tx: Tx, device_id: int, now: str) -> None:
    """Revoke a device."""
    await tx.execute("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                     (now, device_id))  # fmt: skip
