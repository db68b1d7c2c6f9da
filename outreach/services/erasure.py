"""Erasing a resident's personal data from what sync keeps: the lines of meeting records that
listed them, their follow-up records' notes, and every review item or stored answer whose
text still holds their name or phone. Records that change get a new sequence number, so that
phones pull the erased copy in place of theirs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import msgspec

from outreach.db import resident_changes as changes
from outreach.db import sync as sync_sql
from outreach.db.database import Tx
from outreach.domain.merge import RecordState
from outreach.domain.residents import ERASED

# (table, column) of the JSON texts that may hold a copy of a record or a mutation
_COPIES = (("sync_overwrites", "value"), ("sync_parked", "content"), ("sync_mutations", "result"))
_FREE_TEXT = ("note", "reason", "interest")


async def scrub_records(
    tx: Tx, items: Iterable[tuple[str, str]], secrets: set[str], now: str
) -> int:
    """Erase the listed items (meeting id, item id) and their follow-ups; then every copy of
    the names and phones found. The sync counter after the changes."""
    by_meeting: dict[str, set[str]] = {}
    for meeting_id, item_id in items:
        by_meeting.setdefault(meeting_id, set()).add(item_id)
    item_ids = sorted(set().union(*by_meeting.values())) if by_meeting else []
    found = await sync_sql.records(tx, sorted(by_meeting) + item_ids)
    state = await sync_sql.state(tx, lock=True)
    seq = state.last_seq
    changed: list[RecordState] = []
    for record in found.values():
        if record.kind == "meeting":
            secrets |= _erase_items(record.doc, by_meeting.get(record.id, set()))
        elif record.kind == "followup" and record.doc.get("meeting_id") in by_meeting:
            _erase_followup(record.doc)
        else:
            continue
        seq += 1
        record.version += 1
        record.seq = seq
        changed.append(record)
    kept = sorted((s for s in secrets if len(s) >= 3), key=len, reverse=True)
    scrub = Scrubber(kept)
    for record in changed:  # the meeting's notes and questions may name them too
        record.doc = scrub.walk(record.doc)
    await sync_sql.save_records(tx, changed, now)
    await sync_sql.set_last_seq(tx, seq)
    await _scrub_copies(tx, kept, scrub)
    return seq


def _erase_items(doc: dict[str, Any], ids: set[str]) -> set[str]:
    """Blank the listed residents' lines; the raw names and phones they held."""
    raw: set[str] = set()
    for item in doc.get("interested", []):
        if item.get("id") in ids:
            raw.update(v for v in (item.get("name"), item.get("phone")) if v and v != ERASED)
            item.update(name=ERASED, phone=None, interest=None)
    return raw


def _erase_followup(doc: dict[str, Any]) -> None:
    for part in (doc, *doc.get("history", [])):
        for key in _FREE_TEXT:
            if part.get(key) is not None:
                part[key] = None


async def _scrub_copies(tx: Tx, secrets: list[str], scrub: Scrubber) -> None:
    if not secrets:
        return
    for table, column in _COPIES:
        for key, text in await changes.rows_holding(tx, table, column, secrets):
            await changes.rewrite(tx, table, column, key, _without(text, scrub))
    # a parked mutation's reason may quote what was sent ("Invalid enum value 'Айгүл ...'")
    for key, text in await changes.rows_holding(tx, "sync_parked", "message", secrets):
        await changes.rewrite(tx, "sync_parked", "message", key, scrub.text(text))


class Scrubber:
    """Replaces secrets (names and phones) with the erased mark: a name whatever its case, a
    phone number however it was written (`+7 777 123 45 99`, `8(777)1234599`)."""

    def __init__(self, secrets: list[str]) -> None:
        # longest first: a full name before a part of it
        self._patterns = [_pattern(secret) for secret in secrets]

    def text(self, value: str) -> str:
        for pattern in self._patterns:
            value = pattern.sub(ERASED, value)
        return value

    def walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.walk(v) for v in value]
        if isinstance(value, dict):
            return {k: self.walk(v) for k, v in value.items()}
        return value


_SEPARATORS = r"[\s\-().]*"


def _pattern(secret: str) -> re.Pattern[str]:
    digits = re.sub(r"\D", "", secret)
    if secret.startswith("+7") and len(digits) == 11:  # a phone, as stored
        national = _SEPARATORS.join(digits[1:])
        return re.compile(rf"(?<!\d)(?:(?:\+\s*7|8){_SEPARATORS})?{national}(?!\d)")
    return re.compile(re.escape(secret), re.IGNORECASE)


def _without(text: str, scrub: Scrubber) -> str:
    """The JSON text with every secret inside its strings replaced by the erased mark (the
    rest of a note stays)."""
    try:
        value = msgspec.json.decode(text)
    except msgspec.DecodeError:
        value = text
    return msgspec.json.encode(scrub.walk(value)).decode()
