"""Pushes written: those that arrive together are applied in one transaction and one fsync
(group_commit.py), each numbered after the last, each with its own result; the reports that
pulls leave behind go with them."""

from __future__ import annotations

import asyncio
import logging
import weakref
from datetime import UTC, datetime

import msgspec

from outreach.db import sync as sql
from outreach.db.database import Database, Tx
from outreach.domain.accounts import User
from outreach.domain.errors import DomainError
from outreach.domain.records import katos_in
from outreach.domain.sync import CheckedMutation, DeviceReport, PushRequest, PushResponse, Rejection
from outreach.services.group_commit import GroupCommit
from outreach.services.sync_batch import Applied, Batch

log = logging.getLogger(__name__)


class NoTeam(DomainError):
    """The device's user belongs to no team, so there is nothing to sync."""

    code = "no_team"
    status = 409


async def team_of(tx: Tx, user: User) -> int:
    """The id of the device's user's team; NoTeam if there is none."""
    found = None if user.team is None else await sql.team_id(tx, user.team)
    if found is None:
        raise NoTeam("this device's user belongs to no team: ask a coordinator")
    return found


def clock_offset_s(clock: str | None, now: datetime) -> float | None:
    """How far the phone's clock is ahead of the server's (negative: behind), in seconds."""
    if not clock:
        return None
    try:
        reported = datetime.fromisoformat(clock)
    except ValueError:
        return None
    if reported.tzinfo is None:
        return None
    return round((reported - now).total_seconds(), 1)


def said(device_id: int, report: DeviceReport | None, now: datetime) -> sql.Report:
    """A device's report as it is kept."""
    report = report or DeviceReport()
    return sql.Report(device_id, now.isoformat(timespec="milliseconds"), report.pending,
                      report.app_version, clock_offset_s(report.clock, now))  # fmt: skip


class Prepared(msgspec.Struct, frozen=True):
    """A push checked and ready for its group: what was worked out before the write."""

    device_id: int
    user: User
    request: PushRequest
    checked: list[CheckedMutation | Rejection]
    plan_meetings: set[tuple[int, str]]


MAX_GROUP_MUTATIONS = 5000
"""At most this many mutations share a transaction (a larger push is a group alone)."""


class Writer:
    """Sync's writer for one database: pushes that arrive together are applied in one
    transaction (group_commit.py), each in a savepoint of its own, numbered one after another
    in the order they are applied, under the one lock of the sequence counter; and the device
    reports that pulls leave behind are written with the next group, so that a pull never
    waits for a writer."""

    def __init__(self, db: Database) -> None:
        self._db = weakref.ref(db)  # not kept alive by its own writer (_kept is weak)
        self.reports: dict[int, tuple[DeviceReport | None, datetime]] = {}
        self.groups: GroupCommit[Prepared, PushResponse] = GroupCommit(
            self._commit,
            weigh=lambda push: max(1, len(push.request.mutations)),
            besides=lambda: bool(self.reports),
            max_weight=MAX_GROUP_MUTATIONS,
        )

    def report(self, device_id: int, report: DeviceReport | None, now: datetime) -> None:
        """Keep a device's report with the next group (written soon, not waited for)."""
        self.reports[device_id] = (report, now)
        self.groups.wake()

    async def _commit(self, pushes: list[Prepared]) -> list[PushResponse | Exception]:
        reports, self.reports = self.reports, {}
        try:
            db = self._db()
            assert db is not None, "a database being written to is alive"
            async with db.write() as tx:
                seq = (await sql.state(tx, lock=True)).last_seq  # first: one group at a time
                await sql.reports(tx, [said(d, r, at) for d, (r, at) in reports.items()])
                try:
                    async with tx.savepoint():
                        outcomes, seq = await _together(tx, pushes, seq)
                except Exception:
                    log.warning("a group of %d pushes failed together: each again alone",
                                len(pushes), exc_info=True)  # fmt: skip
                    outcomes, seq = await _one_by_one(tx, pushes, seq)
                await sql.set_last_seq(tx, seq)
        except BaseException:
            for device_id, kept in reports.items():  # for the next group
                self.reports.setdefault(device_id, kept)
            raise
        return outcomes


_kept: weakref.WeakKeyDictionary[Database, Writer] = weakref.WeakKeyDictionary()


def writer(db: Database) -> Writer:
    found = _kept.get(db)
    if found is None:
        found = _kept[db] = Writer(db)
    return found


Outcomes = list[PushResponse | Exception]


async def _together(tx: Tx, pushes: list[Prepared], seq: int) -> tuple[Outcomes, int]:
    """The group's pushes applied as one: each table read once for all of them, every batch
    applied in one worker thread (each sees the records and mutations of those before it, as
    if they had been applied one by one), each table written once. Any error undoes it all
    (the caller then applies them one by one)."""
    names = sorted({p.user.team for p in pushes if p.user.team is not None})
    teams = await sql.team_ids(tx, names)
    outcomes: list[PushResponse | Exception | None] = [None] * len(pushes)
    live: list[tuple[int, Prepared, int]] = []
    for index, push in enumerate(pushes):
        team = teams.get(push.user.team) if push.user.team is not None else None
        if team is None:
            outcomes[index] = NoTeam("this device's user belongs to no team: ask a coordinator")
        else:
            live.append((index, push, team))
    seen: dict[int, dict[str, sql.StoredMutation]] = {}
    for team in {team for _, _, team in live}:
        ids = [mid for _, push, t in live if t == team for mid in _mutation_ids(push)]
        seen[team] = await sql.stored_mutations(tx, team, ids)
    wanted = sorted(set().union(*(_wanted(push) for _, push, _ in live)))
    stored = await sql.stored_records(tx, wanted)
    named = sorted(set().union(*(_named(push) for _, push, _ in live)))
    villages = await sql.known_villages(tx, named)
    done, seq = await asyncio.to_thread(_run_all, live, seen, stored, villages, seq)
    now = datetime.now(UTC)
    stamp = now.isoformat(timespec="milliseconds")
    records = {record.id: record for _, applied, _ in done for record in applied.records}
    await sql.save_encoded(tx, records.values(), stamp)
    for team in seen:
        rows = [row for t, applied, _ in done if t == team for row in applied.mutations]
        await sql.save_mutations(tx, team, rows, stamp)
    await sql.save_overwrites(tx, [o for _, _, b in done for o in b.overwrites], stamp)
    await sql.park(tx, await _within_cap(tx, [p for _, _, b in done for p in b.parked]), stamp)
    await sql.reports(tx, [said(push.device_id, push.request.device, now) for _, push, _ in live])
    for (index, _, _), (_, applied, _) in zip(live, done, strict=True):
        outcomes[index] = PushResponse(results=applied.results, server_time=stamp)
    return [o for o in outcomes if o is not None], seq


MAX_OPEN_PARKED = 1000
"""Refused mutations of one device waiting for review at most; more are answered (refused)
but not kept: a flood from one phone must not bury the others' in the review queue, nor fill
the disk (the phone keeps each, to be corrected there)."""


async def _within_cap(tx: Tx, parked: list[sql.Parked]) -> list[sql.Parked]:
    """The refused mutations to keep: each device's, up to MAX_OPEN_PARKED open in all."""
    if not parked:
        return parked
    waiting = await sql.parked_waiting(tx, sorted({p[1] for p in parked}))
    room = {device: MAX_OPEN_PARKED - count for device, count in waiting.items()}
    kept = []
    for row in parked:
        left = room.get(row[1], MAX_OPEN_PARKED)
        if left > 0:
            kept.append(row)
        room[row[1]] = left - 1
    if len(kept) < len(parked):
        log.warning("%d refused mutations not kept for review: their devices have %d waiting",
                    len(parked) - len(kept), MAX_OPEN_PARKED)  # fmt: skip
    return kept


def _run_all(
    live: list[tuple[int, Prepared, int]],
    seen: dict[int, dict[str, sql.StoredMutation]],
    stored: dict[str, sql.StoredRecord],
    villages: set[str],
    seq: int,
) -> tuple[list[tuple[int, Applied, Batch]], int]:
    """Every batch of the group in order, each on the records as the ones before it left
    them: (team, what to write, the batch) each, and the last number used."""
    current = dict(stored)
    taken = {team: dict(mutations) for team, mutations in seen.items()}
    done = []
    for _, push, team in live:
        batch = Batch(push.device_id, team, seq)
        batch.plan_meetings = push.plan_meetings
        batch.villages = villages
        batch.seen = taken[team]
        mine = {key: current[key] for key in _wanted(push) if key in current}
        applied = batch.run(push.request.mutations, push.checked, mine)
        current.update((record.id, record) for record in applied.records)
        taken[team].update((m[0], sql.StoredMutation(m[3], m[4])) for m in applied.mutations)
        seq = batch.seq
        done.append((team, applied, batch))
    return done, seq


def _mutation_ids(push: Prepared) -> list[str]:
    """The ids of the mutations whose identity could be read (to look for replays)."""
    return [c.mutation_id for c in push.checked if isinstance(c, CheckedMutation)] + [
        c.checked.mutation_id for c in push.checked if isinstance(c, Rejection) and c.checked
    ]


def _wanted(push: Prepared) -> set[str]:
    """The records a push's mutations name: their own, and the meetings they belong to."""
    good = [c for c in push.checked if isinstance(c, CheckedMutation)]
    return {c.record_id for c in good} | {
        c.fields["meeting_id"] for c in good if "meeting_id" in c.fields
    }


def _named(push: Prepared) -> set[str]:
    """The villages a push's mutations name."""
    good = [c for c in push.checked if isinstance(c, CheckedMutation)]
    return set().union(*(katos_in({**c.fields, **c.adds}) for c in good))


async def _one_by_one(tx: Tx, pushes: list[Prepared], seq: int) -> tuple[Outcomes, int]:
    """Each push in a savepoint of its own: one that fails is undone alone, with its error
    for its answer, and the rest of the group goes on."""
    outcomes: Outcomes = []
    for push in pushes:
        try:
            async with tx.savepoint():
                (outcome,), seq = await _together(tx, [push], seq)
        except Exception as exc:
            outcome = exc
        outcomes.append(outcome)
    return outcomes, seq
