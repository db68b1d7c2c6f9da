"""The resident registry kept up with field records: every meeting's interested residents
become residents (matched by phone; a doubtful match by name is proposed, never merged), and
every follow-up's history lines become the resident's (docs/followup.md).

Pushes never wait for it: after a push commits, the Absorber catches up in its own
transaction, taking every record stored meanwhile at once; whatever reads residents (the
registry, a phone's follow-up list, coverage) first catches up itself if it is behind, and
a coordinator's change does so under the sync lock. A crash in between loses nothing: the
records are stored, and the next catch-up (at the latest, at start) absorbs them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Iterator
from datetime import date

import msgspec

from outreach.db import residents as sql
from outreach.db import sync as sync_sql
from outreach.db.database import Database, Tx
from outreach.domain.residents import standing
from outreach.services import sightings
from outreach.services.clock import now_iso

_BATCH = 2000
ABSORB_STEP = 200
"""Records the Absorber takes in one write transaction when no push is being applied: a few
tens of milliseconds of the write lock at a time."""
BUSY_STEP = 50
"""Records it takes in one while pushes are being applied (when they never pause, it runs
`max_wait_s` after being asked): each waits behind a shorter step. 200 phones syncing for a
minute (the server's log, after the first 3 s): push and pull p99 154 ms with these steps,
336 ms with steps of 200."""
log = logging.getLogger("outreach.registry")


class _Step(msgspec.Struct):
    status: str | None = None
    on: date | None = None
    by: str = "?"
    via: str | None = None
    note: str | None = None
    next_contact: date | None = None
    amount_tenge: int | None = None
    funding_source: str | None = None
    reason: str | None = None
    programme: str | None = None


class _Followup(msgspec.Struct):
    meeting_id: str | None = None
    status: str | None = None
    on: date | None = None
    programme: str | None = None
    history: list[_Step] = []


_followup = msgspec.json.Decoder(_Followup)


async def catch_up(tx: Tx, last_seq: int, limit: int | None = None) -> bool:
    """Absorb every meeting and follow-up changed since the registry last looked, up to
    `last_seq` (a committed value of the sync counter: every record up to it is committed),
    or only the first `limit` of them; whether anything changed."""
    absorbed, _ = await sql.registry(tx, lock=True)
    if absorbed >= last_seq:
        return False
    touched: set[int] = set()
    now = now_iso()
    taken, stopped = 0, False
    while rows := await sql.changed_records(
        tx, absorbed, last_seq, _BATCH if limit is None else min(_BATCH, limit - taken)
    ):
        meetings = [(r[0], int(r[2]), bool(r[3]), r[4]) for r in rows if r[1] == "meeting"]
        touched |= await sightings.absorb(tx, meetings, now)
        for record_id, kind, team_id, _, doc, _ in rows:
            if kind == "followup":  # after the meetings: a follow-up names their lines
                await _absorb_followup(tx, record_id, int(team_id), doc, touched)
        absorbed = int(rows[-1][5])
        taken += len(rows)
        if limit is not None and taken >= limit:
            stopped = True
            break
    await refresh(tx, touched)
    await sql.set_registry(tx, absorbed if stopped else max(absorbed, last_seq),
                           changed=bool(touched))  # fmt: skip
    return bool(touched)


async def absorb_some(db: Database, limit: int) -> bool:
    """Absorb at most `limit` records in one write transaction; whether more wait."""
    async with db.write() as tx:
        absorbed, _ = await sql.registry(tx)
        last = (await sync_sql.state(tx)).last_seq
        if absorbed >= last:
            return False
        await catch_up(tx, last, limit)
        absorbed, _ = await sql.registry(tx)
        return absorbed < last


async def fresh(tx: Tx) -> None:
    """Catch up if behind (normally the Absorber already has), in a write transaction."""
    absorbed, _ = await sql.registry(tx)
    last = (await sync_sql.state(tx)).last_seq
    if absorbed < last:
        await catch_up(tx, last)


async def behind(db: Database) -> bool:
    """Whether records were stored that the registry has not absorbed yet (a read)."""
    async with db.read() as tx:
        absorbed, _ = await sql.registry(tx)
        return absorbed < (await sync_sql.state(tx)).last_seq


async def fresh_db(db: Database) -> None:
    """Catch up before reading, if behind (a write only then)."""
    if await behind(db):
        async with db.write() as tx:
            await fresh(tx)


class Absorber:
    """Catches the registry up after pushes, one run at a time, when the pushes pause: a run
    starts once no push is being applied and none has ended for `pause_s`, or `max_wait_s`
    after it was asked for if they never pause. A phone pushing its outbox batch after batch
    thus does not share the interpreter with a catch-up, and a catch-up of large records does
    not hold up a push; at the end of a day, hundreds of phones' pushes are absorbed at least
    every `max_wait_s`. A run takes everything stored until it starts, a step at a time, and
    pushes meanwhile ask for one more."""

    def __init__(self, db: Database, pause_s: float = 0.5, max_wait_s: float = 5.0) -> None:
        self.db = db
        self.pause_s = pause_s
        self.max_wait_s = max_wait_s
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._kicked = 0.0
        self._pushing = 0

    @contextlib.contextmanager
    def pushing(self) -> Iterator[None]:
        """Around a push being applied: no run starts meanwhile (up to `max_wait_s`)."""
        self._pushing += 1
        try:
            yield
        finally:
            self._pushing -= 1

    def kick(self) -> None:
        """Ask for a run, after a push has stored records."""
        self._kicked = asyncio.get_running_loop().time()
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        self._again = True
        while self._again:
            await self._pause()
            self._again = False  # this run takes what they stored
            try:
                more = True
                while more:  # a step at a time: pushes take the write lock in between
                    step = BUSY_STEP if self._pushing else ABSORB_STEP
                    more = await absorb_some(self.db, step)
            except Exception:  # the next kick, or the next reader, tries again
                log.exception("the resident registry could not catch up")
                return

    async def _pause(self) -> None:
        """Until no push is applied and none has ended for `pause_s`; `max_wait_s` at most."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_wait_s
        while (now := loop.time()) < deadline:
            quiet_at = now + self.pause_s if self._pushing else self._kicked + self.pause_s
            if quiet_at <= now:
                return
            await asyncio.sleep(min(quiet_at, deadline) - now)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def changed(tx: Tx, ids: Iterable[int]) -> None:
    """After a coordinator's change: recompute those residents and move the version on."""
    await refresh(tx, ids)
    absorbed, _ = await sql.registry(tx)
    await sql.set_registry(tx, absorbed, changed=True)


async def refresh(tx: Tx, ids: Iterable[int]) -> None:
    """Recompute residents' standing (stage, amounts, next contact) from their history."""
    ordered = sorted(set(ids))
    events = await sql.events_of(tx, ordered)
    programmes = await sql.sighting_programmes(tx, ordered)
    standings = []
    for n, i in enumerate(i for i in ordered if i in events):
        if n and n % 200 == 0:
            await asyncio.sleep(0)  # thousands of residents: let other requests in between
        standings.append((i, standing(events[i], programmes[i])))
    await sql.save_standings(tx, standings)


async def _absorb_followup(tx: Tx, record_id: str, team_id: int, doc: str,
                           touched: set[int]) -> None:  # fmt: skip
    followup = _followup.decode(doc)
    found = await sql.sighting_of_item(tx, followup.meeting_id, team_id, record_id)
    if found is None:
        return  # no meeting of the team lists this resident (a coordinator's review sorts it)
    resident_id, origin = int(found[0]), int(found[1])
    steps = followup.history or [_Step(status=followup.status, on=followup.on)]
    now = now_iso()
    for index, step in enumerate(steps):
        await sql.add_event(
            tx, resident_id, origin, at=now, by=step.by,
            kind="contact" if step.via in ("call", "visit") else "stage",
            source=f"followup:{record_id}:{index}", on_date=step.on, stage=step.status,
            via=step.via, note=step.note, next_contact=step.next_contact,
            amount_tenge=step.amount_tenge, funding_source=step.funding_source,
            reason=step.reason, programme=step.programme or followup.programme,
        )  # fmt: skip
    touched.add(resident_id)
