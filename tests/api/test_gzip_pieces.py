"""A pull's answer gzipped from pieces, its plan and reference data compressed once: every gzip
reader gets exactly the page's JSON, and a kept piece is compressed only the first time."""

from __future__ import annotations

import gzip
import random
import zlib

import msgspec

from outreach.api import gzip_pieces
from outreach.api.sync import _encoded, _pull_gzipped
from outreach.domain.sync import Document, PullPage, RecordOut


def noise(rng: random.Random, n: int) -> bytes:
    words = [b"village", b"\xd0\x90\xd1\x80\xd0\xb0\xd0\xbb", b"431033100", b'"x":', b"{}"]
    return b" ".join(rng.choice(words) + str(rng.randint(0, 999)).encode() for _ in range(n))


def test_pieces_compressed_apart_read_as_one_gzip_member():
    rng = random.Random(3)
    parts = [noise(rng, n) for n in (0, 1, 500, 20_000, 3)]
    kept = gzip_pieces.Kept(parts[3], gzip_pieces.deflated(parts[3], 6))
    body = gzip_pieces.gzipped([parts[0], parts[1], parts[2], kept, parts[4]], 6)
    assert gzip.decompress(body) == b"".join(parts)  # checks the CRC and the length too
    inflater = zlib.decompressobj(wbits=31)  # as the server reads a gzipped push
    assert inflater.decompress(body) == b"".join(parts) and inflater.eof
    assert not inflater.unused_data
    assert gzip.decompress(gzip_pieces.gzipped([], 6)) == b""


def test_a_kept_piece_is_compressed_once_and_the_oldest_let_go():
    pieces = gzip_pieces.Pieces(size=2)
    made: list[str] = []

    def maker(key: str):
        return lambda: made.append(key) or key.encode() * 100

    first = pieces.get("a", maker("a"), 6)
    assert pieces.get("a", maker("a"), 6) is first
    pieces.get("b", maker("b"), 6)
    pieces.get("a", maker("a"), 6)  # used again: "b" is now the oldest
    pieces.get("c", maker("c"), 6)
    pieces.get("a", maker("a"), 6)
    pieces.get("b", maker("b"), 6)
    assert made == ["a", "b", "c", "b"]
    # a run of blocks with no final one: it reads whole, and the stream goes on
    inflater = zlib.decompressobj(-15)
    assert inflater.decompress(first.deflated) == b"a" * 100 and not inflater.eof


def page(plan: bool, reference: bool) -> PullPage:
    rng = random.Random(5)
    records = [RecordOut(id=f"r{i}", kind="meeting", version=1, seq=i,
                         data=msgspec.Raw(b'{"notes":"' + noise(rng, 30) + b'"}'))
               for i in range(40)]  # fmt: skip
    document = Document(
        etag="e" * 20, body=msgspec.Raw(b'{"villages":"' + noise(rng, 9000) + b'"}')
    )
    other = Document(etag="p" * 20, body=msgspec.Raw(b'{"days":[' + b"1," * 3000 + b"2]}"))
    return PullPage(server_id="s", cursor="s.1.40", more=False, reset=False, records=records,
                    plan=other if plan else None, reference=document if reference else None)  # fmt: skip


def test_a_pull_page_gzipped_from_pieces_is_the_page_exactly():
    for plan, reference in ((True, True), (False, True), (True, False), (False, False)):
        value = page(plan, reference)
        body, zipped = _encoded(value, True)
        assert zipped
        spliced = _pull_gzipped(value)  # what _encoded sends when there is a document
        assert spliced is not None and gzip.decompress(spliced) == msgspec.json.encode(value)
        assert gzip.decompress(body) == msgspec.json.encode(value)
        whole = gzip.compress(msgspec.json.encode(value), 6)
        assert len(body) <= len(whole) * 1.02 + 64  # pieces cost next to nothing on the wire
    plain, zipped = _encoded(page(True, True), False)
    assert not zipped and plain == msgspec.json.encode(page(True, True))
