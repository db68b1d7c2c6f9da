"""Residents: people met at meetings, matched across meetings and teams, and where each got to
in the funnel (docs/followup.md). Pure rules: name keys, when two records may be one person,
and a resident's standing computed from their history."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Annotated

import msgspec
from msgspec import Meta

from outreach.domain.name_order import name_order
from outreach.domain.records import FollowupStatus

Stage = FollowupStatus
FUNNEL: tuple[str, ...] = ("contacted", "referred", "trained", "defended", "financed")
"""The stages counted as "reached this stage or a later one", in order."""
Tenge = Annotated[int, Meta(ge=0, le=10**13, description="whole tenge")]
ERASED = "—"
"""What stands for an erased resident's name in the records that listed them."""


def stage_rank(stage: str | None) -> int:
    """0 for none or "new", then 1 (contacted) to 5 (financed); "dropped" ranks nowhere."""
    return FUNNEL.index(stage) + 1 if stage in FUNNEL else 0


_NOT_LETTER = re.compile(r"[^\w]+")


def name_key(name: str | None) -> str | None:
    """A person's name for matching: case and accents of Latin letters folded, punctuation
    gone, the words in sorted order ("Сейтқали Айгүл" and "айгүл  сейтқали" are one key)."""
    if not name:
        return None
    folded = unicodedata.normalize("NFC", name).casefold().replace("ё", "е")
    words = sorted(w for w in _NOT_LETTER.split(folded) if w and not w.isdigit())
    return " ".join(words) or None


def names_compatible(a: str | None, b: str | None) -> bool:
    """Whether two name keys may name one person: equal, or one the other with words left
    out ("айгүл" and "айгүл сейтқали"); an unknown name is compatible with any."""
    if not a or not b:
        return True
    left, right = set(a.split()), set(b.split())
    return left <= right or right <= left


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """One line of a resident's history, as the standing needs it."""

    id: int
    kind: str
    at: str
    on: date | None = None
    stage: str | None = None
    via: str | None = None
    amount_tenge: int | None = None
    funding_source: str | None = None
    reason: str | None = None
    next_contact: date | None = None
    programme: str | None = None


class Standing(msgspec.Struct, frozen=True, kw_only=True):
    """Where a resident has got to, from their whole history."""

    stage: str = "new"
    dropped: bool = False
    dropped_reason: str | None = None
    programme: str | None = None
    requested_tenge: int | None = None
    financed_tenge: int | None = None
    funding_source: str | None = None
    next_contact: date | None = None
    last_contact: date | None = None


def _when(e: Event) -> tuple[str, str, int]:
    return ((e.on.isoformat() if e.on else e.at[:10]), e.at, e.id)


def standing(events: Iterable[Event], sighting_programmes: Iterable[str | None] = ()) -> Standing:
    """The furthest stage ever reached (counted as the Chamber counts), dropped if the latest
    stage change says so, the latest amounts, programme and next contact."""
    steps = sorted((e for e in events if e.kind in ("stage", "contact")), key=_when)
    best = max((stage_rank(e.stage) for e in steps), default=0)
    staged = [e for e in steps if e.stage and e.stage != "new"]
    last = staged[-1] if staged else None
    defended = [e for e in steps if e.stage == "defended" and e.amount_tenge is not None]
    financed = [e for e in steps if e.stage == "financed"]
    programmes = [e.programme for e in steps if e.programme] or [
        p for p in sighting_programmes if p
    ]
    # a contact is a call, a visit or a stage change; a reminder set by hand is not one
    contacted = [
        e.on for e in steps if e.on and e.via != "import" and (e.stage or e.via != "coordinator")
    ]
    return Standing(
        stage="new" if best == 0 else FUNNEL[best - 1],
        dropped=last is not None and last.stage == "dropped",
        dropped_reason=last.reason if last is not None and last.stage == "dropped" else None,
        programme=programmes[-1] if programmes else None,
        requested_tenge=defended[-1].amount_tenge if defended else None,
        financed_tenge=next((e.amount_tenge for e in reversed(financed) if e.amount_tenge), None),
        funding_source=next(
            (e.funding_source for e in reversed(financed) if e.funding_source), None
        ),
        next_contact=steps[-1].next_contact if steps else None,
        last_contact=max(contacted) if contacted else None,
    )


class ResidentSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A resident as lists show them: personal data, for coordinators and the owning team."""

    id: int
    name: str | None
    phone: str | None
    village: str | None
    district: str | None
    teams: list[str]
    stage: str
    dropped: bool
    dropped_reason: str | None
    programme: str | None
    requested_tenge: int | None
    financed_tenge: int | None
    funding_source: str | None
    next_contact: date | None
    last_contact: date | None
    meetings: int
    erased: bool
    open_candidates: int


class Sighting(msgspec.Struct, frozen=True, kw_only=True):
    """A meeting that listed the resident."""

    meeting_id: str
    item_id: str
    team: str
    met_on: date
    village: str | None
    programme: str | None


class HistoryLine(msgspec.Struct, frozen=True, kw_only=True):
    """One line of a resident's history, with who and when."""

    id: int
    at: str
    on: date | None
    by: str
    kind: str
    stage: str | None
    via: str | None
    amount_tenge: int | None
    funding_source: str | None
    reason: str | None
    note: str | None
    next_contact: date | None
    programme: str | None
    import_id: int | None
    other: int | None
    origin: int
    by_name: str | None = None  # who `by` is: a user's login, a team's name, a phone's user


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """A doubtful match: two residents who may be one person, for a coordinator to decide."""

    id: int
    a: ResidentSummary
    b: ResidentSummary
    reason: str


class CandidatePage(msgspec.Struct, frozen=True, kw_only=True):
    """Open doubtful matches, oldest first, a page at a time, and how many are open."""

    candidates: list[Candidate]
    total: int


class CandidateOf(msgspec.Struct, frozen=True, kw_only=True):
    """A doubtful match seen from one of its residents."""

    id: int
    other: ResidentSummary
    reason: str


class ResidentDetail(ResidentSummary, frozen=True, kw_only=True):
    """A resident with every meeting, every history line, merges and doubtful matches."""

    sightings: list[Sighting]
    history: list[HistoryLine]
    merged_from: list[int]
    candidates: list[CandidateOf]


class ResidentPage(msgspec.Struct, frozen=True, kw_only=True):
    """A page of residents and how many match the filter."""

    residents: list[ResidentSummary]
    total: int


class ResidentFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which residents to list."""

    q: str | None = None
    district: str | None = None
    stage: str | None = None
    team: str | None = None
    limit: int = 50
    offset: int = 0


Note = Annotated[str, Meta(max_length=2000)]
Short = Annotated[str, Meta(max_length=500)]


class StageChange(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A coordinator records where a resident has got to (or only the next contact)."""

    stage: Stage | None = None
    on: date | None = None
    amount_tenge: Tenge | None = None
    funding_source: Annotated[str, Meta(max_length=200)] | None = None
    reason: Short | None = None
    note: Note | None = None
    programme: str | None = None
    next_contact: date | None = None


PROGRAMME_ERA = date(2000, 1, 1)
"""No resident reached a stage of the programmes before this (they began in the 2000s)."""
STAGE_DATE_MARGIN = timedelta(days=1)
"""A stage's date may be a day ahead of Kazakhstan's today (a clock, a time zone), no more."""


def stage_date_problem(on: date | None, today: date) -> dict[str, str] | None:
    """What is wrong with the date a stage was reached, as an error detail naming the field,
    or None: it must lie in the programme era and not in the future."""
    latest = today + STAGE_DATE_MARGIN
    if on is None or PROGRAMME_ERA <= on <= latest:
        return None
    return {"field": "on", "value": on.isoformat(),
            "message": f"from {PROGRAMME_ERA.isoformat()} to {latest.isoformat()}"}  # fmt: skip


class MergeRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Two residents who are one person: `other` goes into `into`."""

    into: Annotated[int, Meta(ge=1)]
    other: Annotated[int, Meta(ge=1)]


class SplitRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Take a resident merged earlier back out, with everything that was theirs."""

    resident: Annotated[int, Meta(ge=1)]


class FollowupItem(msgspec.Struct, frozen=True, kw_only=True):
    """A resident on a team's phone list: whom to call, and when."""

    id: int
    item_id: str
    meeting_id: str
    name: str | None
    phone: str | None
    village: str | None
    stage: str
    programme: str | None
    next_contact: date | None
    last_contact: date | None
    overdue: bool


class FollowupList(msgspec.Struct, frozen=True, kw_only=True):
    """A team's residents still in the funnel, overdue first."""

    residents: list[FollowupItem]
    as_of: date


def followup_order(item: FollowupItem) -> tuple[bool, date, str]:
    """Overdue first, then the nearest next contact (none last), then name (in the Kazakh
    alphabet's order)."""
    return (not item.overdue, item.next_contact or date.max, name_order(item.name) or "")
