"""Matching a programme operator's list against the residents: by phone first, by name in the
same village (or district) where the phone does not decide. Each row comes out exact,
probable, new or conflicting; nothing is merged here (docs/followup.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

import msgspec

from outreach.domain.residents import names_compatible

MatchKind = Literal["exact", "probable", "new", "conflicting"]


class Known(msgspec.Struct, frozen=True):
    """A resident as matching needs them."""

    id: int
    name_key: str | None
    phone: str | None
    village: str | None
    district: str | None


class Match(msgspec.Struct, frozen=True, kw_only=True):
    """What a row is: one resident for sure (exact), one by name only (probable), nobody yet
    (new), or several or a contradiction (conflicting, with the residents involved)."""

    kind: MatchKind
    resident: int | None = None
    others: tuple[int, ...] = ()
    why: str
    code: str  # `why` as a stable code, for translations
    count: int | None = None  # the residents of this name, where that is the reason


class Index:
    """Residents by phone, and by name within a village and within a district."""

    def __init__(self, known: Iterable[Known] = ()) -> None:
        self.by_phone: dict[str, list[Known]] = defaultdict(list)
        self.by_village: dict[tuple[str, str], list[Known]] = defaultdict(list)
        self.by_district: dict[tuple[str, str], list[Known]] = defaultdict(list)
        for k in known:
            self.add(k)

    def add(self, k: Known) -> None:
        if k.phone:
            self.by_phone[k.phone].append(k)
        if k.name_key and k.village:
            self.by_village[(k.name_key, k.village)].append(k)
        if k.name_key and k.district:
            self.by_district[(k.name_key, k.district)].append(k)

    def match(self, key: str | None, phone: str | None, village: str | None,
              district: str | None) -> Match:  # fmt: skip
        """The row's match; a phone, when a resident has it, decides."""
        if phone and (same := self.by_phone.get(phone)):
            fits = [k.id for k in same if names_compatible(k.name_key, key)]
            if len(fits) == 1:
                return Match(kind="exact", resident=fits[0], why="same phone", code="same_phone")
            why, code = (("several residents have this phone", "phone_shared") if fits
                         else ("same phone, another name", "phone_other_name"))  # fmt: skip
            return Match(kind="conflicting", others=tuple(k.id for k in same), why=why, code=code)
        if not key:
            return Match(kind="new", why="no phone or name to match", code="nothing")
        if village:
            pool, where = self.by_village.get((key, village), []), "village"
        elif district:
            pool, where = self.by_district.get((key, district), []), "district"
        else:
            return Match(
                kind="new", why="no phone match, and no village or district given", code="no_place"
            )
        if len(pool) == 1:
            return Match(
                kind="probable",
                resident=pool[0].id,
                why=f"same name in the same {where}",
                code=f"same_name_{where}",
            )
        if pool:
            return Match(kind="conflicting", others=tuple(k.id for k in pool),
                         why=f"{len(pool)} residents of this name in the {where}",
                         code=f"many_{where}", count=len(pool))  # fmt: skip
        return Match(kind="new", why="nobody with this phone, or this name here", code="nobody")
