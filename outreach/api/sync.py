"""Sync over HTTP: phones push batches of mutations and pull their team's changes; coordinators
review overwritten values and parked mutations."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec
from litestar import Controller, MediaType, Request, get, post
from litestar.openapi import ResponseSpec
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK

from outreach.api import gzip_pieces
from outreach.api.auth import current_actor, current_session
from outreach.api.deps import DB
from outreach.api.wire import COMPRESSES_ITSELF, PER_ITEM
from outreach.domain.errors import DomainError
from outreach.domain.review import Resolution, Resolved, ReviewQueue
from outreach.domain.sync import (
    MAX_BATCH_MUTATIONS,
    Document,
    PullPage,
    PullRequest,
    PushRequest,
    PushResponse,
)
from outreach.domain.wire import MAX_INT64, printable
from outreach.services import review
from outreach.services import sync as service


class BodyUnreadable(DomainError):
    """The body is not what the operation takes (bad JSON, bad gzip)."""

    code = "bad_request"
    status = 400


class BatchTooLarge(DomainError):
    """More mutations or bytes than one push may carry."""

    code = "batch_too_large"
    status = 413


def device_id(request: Request[Any, Any, Any]) -> int:
    session = current_session(request)
    if session.device_id is None:
        raise DomainError("sync is for enrolled devices: send the device token")
    return session.device_id


def _unpacked(body: bytes, encoding: str, limit: int) -> bytes:
    """The body, gunzipped when sent with `Content-Encoding: gzip` (bounded, so a small
    compressed body cannot unpack into an unbounded one)."""
    if encoding == "identity":
        return body
    if encoding != "gzip":
        raise BodyUnreadable(f"unsupported Content-Encoding {encoding!r}: send gzip or nothing")
    inflater = zlib.decompressobj(wbits=31)
    try:
        plain = inflater.decompress(body, limit + 1)
    except zlib.error as error:
        raise BodyUnreadable(f"the gzip body is damaged: {error}") from None
    if len(plain) > limit or inflater.unconsumed_tail:
        raise BatchTooLarge(f"the body unpacks to more than {limit} bytes")
    return plain


_push_decoder = msgspec.json.Decoder(PushRequest)


def _push_request(body: bytes, encoding: str, limit: int) -> PushRequest:
    """A push from its body: unpacking and decoding 16 MiB is work for a worker thread."""
    try:
        batch = _push_decoder.decode(_unpacked(body, encoding, limit))
    except msgspec.ValidationError as error:
        raise BodyUnreadable(printable(f"not a push: {error}")) from None
    except msgspec.DecodeError as error:
        raise BodyUnreadable(printable(f"not JSON: {error}")) from None
    if len(batch.mutations) > MAX_BATCH_MUTATIONS:
        raise BatchTooLarge(f"at most {MAX_BATCH_MUTATIONS} mutations a push")
    return batch


_PIECE = 16_384
GZIP_LEVEL = 6  # as the compression middleware's (app.py)
MIN_GZIP_BYTES = 1024


async def _streamed(value: msgspec.Struct, request: Request[Any, Any, Any]) -> Stream:
    """An answer encoded, and gzipped if the phone accepts it, in a worker thread (zlib lets
    go of the GIL: a large page compresses on the other core while the event loop serves
    other phones), then sent in pieces."""
    gzipped = "gzip" in request.headers.get("accept-encoding", "").lower()
    body, encoded = await asyncio.to_thread(_encoded, value, gzipped)
    headers = {"vary": "accept-encoding"}
    if encoded:
        headers["content-encoding"] = "gzip"

    async def pieces() -> AsyncIterator[bytes]:
        for start in range(0, len(body), _PIECE):
            if start:
                await asyncio.sleep(0)  # let other requests in between pieces
            yield body[start : start + _PIECE]

    return Stream(pieces(), media_type=MediaType.JSON, headers=headers)


def _encoded(value: msgspec.Struct, gzipped: bool) -> tuple[bytes, bool]:
    """The answer's bytes, and whether they are gzipped (not when too small to gain)."""
    if gzipped and isinstance(value, PullPage) and (value.plan or value.reference):
        spliced = _pull_gzipped(value)
        if spliced is not None:
            return spliced, True
    body = msgspec.json.encode(value)
    if gzipped and len(body) >= MIN_GZIP_BYTES:
        return gzip.compress(body, GZIP_LEVEL, mtime=0), True
    return body, False


_documents = gzip_pieces.Pieces()
_DOCUMENTS_LAST = b'"plan":null,"reference":null}'


def _pull_gzipped(page: PullPage) -> bytes | None:
    """A last page gzipped with its plan and reference data as pieces compressed once per
    version (gzip_pieces.py), the rest now; None if the page does not end with them."""
    rest = msgspec.json.encode(msgspec.structs.replace(page, plan=None, reference=None))
    if not rest.endswith(_DOCUMENTS_LAST):
        return None
    pieces = [rest[: -len(_DOCUMENTS_LAST)] + b'"plan":', _piece(page.plan), b',"reference":',
              _piece(page.reference), b"}"]  # fmt: skip
    return gzip_pieces.gzipped(pieces, GZIP_LEVEL)


def _piece(document: Document | None) -> bytes | gzip_pieces.Kept:
    if document is None:
        return b"null"
    return _documents.get(document.etag, lambda: msgspec.json.encode(document), GZIP_LEVEL)


def _answer(shape: type[msgspec.Struct], description: str) -> ResponseSpec:
    """The documented answer of an operation that streams it (no generated examples: a
    `msgspec.Raw` field has none that is valid JSON)."""
    return ResponseSpec(shape, description=description, generate_examples=False)


class SyncController(Controller):
    """The sync protocol (docs/sync.md) for field teams' phones."""

    path = "/api/v1/sync"
    tags = ["sync"]

    @post("/push", status_code=HTTP_200_OK,
          opt={"body_media_type": "application/json", PER_ITEM: True, COMPRESSES_ITSELF: True},
          responses={200: _answer(PushResponse, "one result per mutation, in order")})  # fmt: skip
    async def push(self, db: DB, request: Request[Any, Any, Any]) -> Stream:
        """Apply a batch of at most 500 mutations (JSON, optionally gzipped with
        `Content-Encoding: gzip`). The answer comes only after the batch is stored durably;
        each mutation has its own result, in order: `applied`, `duplicate` (with the first
        result), `conflict` (stored, with the server's record) or `rejected` (with a reason;
        parked for a coordinator and not to be retried)."""
        encoding = request.headers.get("content-encoding", "identity").strip().lower()
        limit = request.app.state.settings.max_import_bytes
        body = await request.body()
        batch = await asyncio.to_thread(_push_request, body, encoding, limit)
        session = current_session(request)
        absorber = request.app.state.absorber  # the resident registry: after the pushes
        with absorber.pushing():
            answer = await service.push(db, device_id(request), session.user, batch)
        absorber.kick()
        return await _streamed(answer, request)

    @post("/pull", status_code=HTTP_200_OK,
          opt={"body_media_type": "application/json", COMPRESSES_ITSELF: True},
          responses={200: _answer(PullPage, "a page of changes")})  # fmt: skip
    async def pull(
        self, db: DB, request: Request[Any, Any, Any], data: JSONBody[PullRequest]
    ) -> Stream:
        """A page of the team's changes after `cursor`, in server order, from one snapshot;
        the team's plan and the reference data when their etags differ from the ones sent."""
        session = current_session(request)
        page = await service.pull(db, device_id(request), session.user, data)
        return await _streamed(page, request)


ItemId = Annotated[int, PathParameter(ge=1, le=MAX_INT64, description="review item id")]
Limit = Annotated[int, QueryParameter(ge=1, le=1000, description="items of each list")]


class ReviewController(Controller):
    """What sync could not settle alone, for coordinators."""

    path = "/api/v1/sync/review"
    tags = ["sync"]

    @get("/")
    async def queue(
        self, db: DB, request: Request[Any, Any, Any], limit: Limit = 200
    ) -> ReviewQueue:
        """Values overwritten by a later writer although their own change was newer than
        what that writer had seen, and mutations parked as rejected; oldest first. Contains
        residents' personal data: every read is audited."""
        return await review.queue(db, limit, current_actor(request))

    @get("/resolved")
    async def resolved(self, db: DB, limit: Limit = 50) -> list[Resolved]:
        """Decisions already taken on review items, newest first: keep or restore, who, when
        and the comment."""
        return await review.resolved(db, limit)

    @post("/overwrites/{item_id:int}/resolve", status_code=HTTP_200_OK)
    async def resolve_overwrite(
        self, db: DB, request: Request[Any, Any, Any], item_id: ItemId,
        data: JSONBody[Resolution | None] = None,
    ) -> Resolved:  # fmt: skip
        """Decide an overwritten value: `keep` (the default; no body works) or `restore` it,
        which makes it the record's current value again in the same transaction, as a
        server-made change the team's phones receive at their next pull; an optional
        `comment` is kept with the decision."""
        decision = data or Resolution()
        return await review.resolve(db, "overwrites", item_id, decision, current_actor(request))

    @post("/parked/{item_id:int}/resolve", status_code=HTTP_200_OK)
    async def resolve_parked(
        self, db: DB, request: Request[Any, Any, Any], item_id: ItemId,
        data: JSONBody[Resolution | None] = None,
    ) -> Resolved:  # fmt: skip
        """Mark a parked mutation as dealt with (`keep`), with an optional `comment`."""
        decision = data or Resolution()
        return await review.resolve(db, "parked", item_id, decision, current_actor(request))
