"""Photos over HTTP: resumable uploads from phones, and the images for those allowed to see."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, put
from litestar.params import PathParameter
from litestar.status_codes import HTTP_200_OK

from outreach.api.auth import current_session
from outreach.api.deps import DB
from outreach.api.sync import device_id
from outreach.domain.errors import InvalidInput
from outreach.domain.photos import UploadState, parse_range
from outreach.services import photos as service

Sha256 = Annotated[
    str, PathParameter(pattern=r"^[0-9a-f]{64}$", description="the photo's SHA-256, lowercase hex")
]


class PhotoUploadController(Controller):
    """Phones upload attendance-sheet photos under their SHA-256, in one go or in chunks."""

    path = "/api/v1/sync/photos"
    tags = ["sync"]

    @put("/{sha256:str}", status_code=HTTP_200_OK)
    async def upload(self, db: DB, request: Request[Any, Any, Any], sha256: Sha256) -> UploadState:
        """Send the photo's bytes (JPEG, PNG or WebP, at most 8 MiB), whole or as the chunk
        named by `Content-Range: bytes first-last/total`. A chunk must start where the
        server's copy ends (409 `upload_offset_mismatch` tells where); the last one is
        verified against the SHA-256 (422 `photo_hash_mismatch` discards it)."""
        body = await request.body()
        found = parse_range(request.headers.get("content-range"), len(body))
        if found is None:
            raise InvalidInput("Content-Range must be `bytes first-last/total` and match the body")
        first, total = found
        session = current_session(request)
        return await service.put_chunk(
            db, device_id(request), session.user, sha256, first, total, body
        )

    @get("/{sha256:str}")
    async def progress(
        self, db: DB, request: Request[Any, Any, Any], sha256: Sha256
    ) -> UploadState:
        """How far this team's upload has got, to resume it after a broken connection
        (`complete` once this team has sent the photo whole)."""
        return await service.state(db, current_session(request).user, sha256)


class PhotoController(Controller):
    """Stored photos: attendance sheets carry names, so only coordinators and the team's own
    phones may see them."""

    path = "/api/v1/photos"
    tags = ["sync"]

    @get("/{sha256:str}")
    async def image(
        self, db: DB, request: Request[Any, Any, Any], sha256: Sha256
    ) -> Response[bytes]:
        """The photo's bytes, with its media type."""
        session = current_session(request)
        team = session.user.team if session.device_id is not None else None
        media_type, data = await service.get(db, sha256, team)
        return Response(
            data,
            media_type=media_type,
            headers={"cache-control": "private, max-age=31536000, immutable"},
        )
