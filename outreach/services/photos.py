"""Photo uploads: resumable, in chunks, checked for type and size, verified by SHA-256 on
arrival; a record may name a photo before or after it arrives."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from outreach.db import photos as sql
from outreach.db import sync as sync_sql
from outreach.db.database import Database, Tx
from outreach.domain.accounts import User
from outreach.domain.errors import DomainError, InvalidInput, NotFound
from outreach.domain.photos import MAX_PHOTO_BYTES, UploadState, sniff
from outreach.services.clock import now_iso
from outreach.services.sync_writer import NoTeam

MIN_CHUNK_BYTES = 64 * 1024
"""A chunk's least size, but the last one's (the field app sends 256 KiB)."""
MAX_UNFINISHED = 20
"""Photos one team may have half sent at once (a phone sends one at a time)."""
STALE_UPLOAD = timedelta(days=7)
"""A half-sent photo untouched this long is forgotten (its phone starts it again)."""


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds")


class UploadOffsetMismatch(DomainError):
    """The chunk does not start where the server's copy ends; resume from `received_bytes`."""

    code = "upload_offset_mismatch"
    status = 409


class PhotoTooLarge(DomainError):
    """A photo over the size limit."""

    code = "photo_too_large"
    status = 413


class NotAnImage(DomainError):
    """The bytes are not a JPEG, PNG or WebP image."""

    code = "unsupported_image_type"
    status = 415


class HashMismatch(DomainError):
    """The whole upload's SHA-256 is not the one it was sent under; it was discarded."""

    code = "photo_hash_mismatch"
    status = 422


async def state(db: Database, user: User, sha256: str) -> UploadState:
    """How far the team's upload has got (nothing received yet is not an error). Only the
    team's own uploads count: whether another team holds the photo is not told."""
    async with db.read() as tx:
        team = await _team(tx, user)
        if await sql.has(tx, sha256, team):
            return UploadState(sha256=sha256, received_bytes=0, total_bytes=None, complete=True)
        found = await sql.received(tx, sha256, team)
    received, total = found if found else (0, None)
    return UploadState(sha256=sha256, received_bytes=received, total_bytes=total, complete=False)


async def put_chunk(
    db: Database, device_id: int, user: User, sha256: str, first: int, total: int, chunk: bytes
) -> UploadState:
    """Take the chunk that starts at byte `first` of a `total`-byte photo. A wrong type or a
    wrong hash discards the upload (committed) before the error is raised."""
    if total > MAX_PHOTO_BYTES:
        raise PhotoTooLarge(f"photos are at most {MAX_PHOTO_BYTES} bytes")
    refusal: DomainError | None = None
    async with db.write() as tx:
        team = await _team(tx, user)
        if await sql.has(tx, sha256, team):
            return UploadState(
                sha256=sha256, received_bytes=total, total_bytes=total, complete=True
            )
        upload = await sql.upload(tx, sha256, team)
        so_far = b"" if upload is None or upload.total_bytes != total else upload.data
        if first != len(so_far):
            raise UploadOffsetMismatch(
                f"the server has {len(so_far)} bytes of this photo: send from there",
                details=[{"received_bytes": len(so_far)}],
            )
        if len(chunk) < MIN_CHUNK_BYTES and first + len(chunk) < total:
            # each chunk rewrites the upload so far: tiny ones made it quadratic, and held
            # the write lock (1 KB chunks of a 7 MB photo: 151 ms a chunk)
            raise InvalidInput(f"a chunk is at least {MIN_CHUNK_BYTES} bytes, but the last")
        if upload is None and await sql.unfinished(tx, team) >= MAX_UNFINISHED:
            raise InvalidInput(f"the team has {MAX_UNFINISHED} photos half sent: finish them"
                               f" (or wait {STALE_UPLOAD.days} days: they lapse)")  # fmt: skip
        data = so_far + chunk
        refusal = _refusal(sha256, data, total)
        now = now_iso()
        if refusal is not None:
            await sql.discard(tx, sha256, team)
        elif len(data) < total:
            await sql.save_upload(tx, sha256, team, device_id, total, data, now)
            await sql.forget_uploads_before(tx, _iso(datetime.now(UTC) - STALE_UPLOAD))
        else:
            await sql.finish(tx, sha256, str(sniff(data[:16])), data, team, device_id, now)
    if refusal is not None:
        raise refusal
    return UploadState(
        sha256=sha256, received_bytes=len(data), total_bytes=total, complete=len(data) == total
    )


async def _team(tx: Tx, user: User) -> int:
    team = None if user.team is None else await sync_sql.team_id(tx, user.team)
    if team is None:
        raise NoTeam("this device's user belongs to no team: ask a coordinator")
    return team


def _refusal(sha256: str, data: bytes, total: int) -> DomainError | None:
    """Why the bytes so far can never make the photo, or None."""
    if len(data) > total:
        return InvalidInput(f"more than the {total} bytes announced")
    if len(data) >= min(16, total) and sniff(data[:16]) is None:
        return NotAnImage("photos must be JPEG, PNG or WebP")
    if len(data) == total and hashlib.sha256(data).hexdigest() != sha256:
        return HashMismatch("the photo's SHA-256 is not the one it was sent under: resend it")
    return None


async def get(db: Database, sha256: str, team: str | None) -> tuple[str, bytes]:
    """(media type, bytes) of a photo, for the phones of a team that sent it (`team`) or
    for staff (`team` None)."""
    async with db.read() as tx:
        if team is None:
            found = await sql.photo(tx, sha256, None)
        else:
            team_id = await sync_sql.team_id(tx, team)
            found = None if team_id is None else await sql.photo(tx, sha256, team_id)
    if found is None:
        raise NotFound(f"no photo {sha256}")
    return found
