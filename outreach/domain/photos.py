"""Photos of attendance sheets: which image types are taken, and how an upload is described."""

from __future__ import annotations

import re

import msgspec

MAX_PHOTO_BYTES = 8 * 1024 * 1024
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def sniff(head: bytes) -> str | None:
    """The image type from the first bytes (never from what the client claims), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def parse_range(header: str | None, length: int) -> tuple[int, int] | None:
    """(first byte, total size) from `Content-Range: bytes first-last/total`; a body sent whole
    without the header is (0, its length). None if the header is malformed or disagrees with
    the body's length."""
    if header is None:
        return 0, length
    found = _RANGE.match(header.strip())
    if found is None:
        return None
    first, last, total = (int(g) for g in found.groups())
    if last - first + 1 != length or last >= total:
        return None
    return first, total


class UploadState(msgspec.Struct, frozen=True, kw_only=True):
    """How far a photo's upload has got: send the bytes from `received_bytes` on next."""

    sha256: str
    received_bytes: int
    total_bytes: int | None
    complete: bool
