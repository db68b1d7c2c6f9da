"""Targets: what a campaign aims at in each district, set by coordinators and shown beside
the actual figures (coverage)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

Figure = Annotated[int, Meta(ge=0, le=10_000_000)] | None
TengeFigure = Annotated[int, Meta(ge=0, le=10**15)] | None


class Target(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A campaign's targets in one district (null: no target for that figure)."""

    campaign: Annotated[str, Meta(min_length=1, max_length=200)]
    district: Annotated[str, Meta(pattern=r"^\d{9}$")]
    villages: Figure = None
    residents: Figure = None
    trained: Figure = None
    financed: Figure = None
    financed_tenge: TengeFigure = None
