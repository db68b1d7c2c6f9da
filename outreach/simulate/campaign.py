"""A season in the field, played through the real service: a coordinator plans and publishes
a campaign; each team's phones log the day's meetings (and some unplanned ones), go offline
for days, have wrong clocks, and sync through a fault-injecting proxy while the server is
killed and restarted. At the end the invariants are checked."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec

from outreach.simulate.phone import SimPhone, wrong_clock
from outreach.simulate.proxy import FaultProxy, Faults
from outreach.simulate.records import make_meeting, new_id
from outreach.simulate.server import ServerProcess

PASSWORD = "simulated coordinator password"  # noqa: S105 (a throwaway database's account)


class Options(msgspec.Struct, frozen=True, kw_only=True):
    """What to simulate: working days, where, how many phones, how bad the network is."""

    days: int = 8
    seed: int = 1
    district: str | None = "434600000"  # None: the whole region
    name: str = "Simulated season"
    teams: int = 3
    phones_per_team: int = 1
    restarts: int = 2
    offline_chance: float = 0.3
    start: date = date(2027, 3, 1)
    faults: Faults = msgspec.field(default_factory=Faults)


class Invariant(msgspec.Struct, frozen=True):
    """One property the run must keep, whether it held, and the figures behind it."""

    name: str
    held: bool
    detail: str


class Report(msgspec.Struct, frozen=True, kw_only=True):
    """What happened, and whether every invariant held."""

    days: int
    phones: int
    records: int
    mutations: int
    faults: dict[str, int]
    restarts: int
    seconds: float
    invariants: list[Invariant]

    @property
    def ok(self) -> bool:
        return all(i.held for i in self.invariants)


class Truth:
    """What the phones really did, kept apart from the server."""

    def __init__(self) -> None:
        self.held = 0
        self.villages: set[str] = set()
        self.attendance = 0


async def _bootstrap(database_url: str, teams: list[str], logins: list[tuple[str, str]]) -> None:
    """A database with the gazetteer, a coordinator and the field users."""
    from outreach.db.database import connect
    from outreach.domain.accounts import Actor, NewUser
    from outreach.services.accounts import create_team, create_user, list_teams
    from outreach.services.gazetteer_import import load_packaged_if_empty

    db = connect(database_url, connections=1)
    await db.open()
    try:
        await load_packaged_if_empty(db)
        actor = Actor("simulator")
        existing = {team.name for team in await list_teams(db)}
        for team in teams:
            if team not in existing:
                await create_team(db, team, actor=actor)
        await create_user(
            db,
            NewUser(
                login="coordinator",
                display_name="Coordinator",
                role="coordinator",
                password=PASSWORD,
            ),
            actor=actor,
        )
        for login, team in logins:
            await create_user(
                db,
                NewUser(
                    login=login, display_name=login, role="field", password=PASSWORD, team=team
                ),
                actor=actor,
            )
    finally:
        await db.close()


class Season:
    """One run: the server, the proxy, the coordinator, the phones."""

    def __init__(self, options: Options, folder: Path, database_url: str | None = None) -> None:
        self.options = options
        self.rng = random.Random(options.seed)  # noqa: S311 (a simulation, not secrets)
        self.server = ServerProcess(
            database_url or f"sqlite:///{folder / 'simulation.db'}", folder / "server.log"
        )
        self.proxy = FaultProxy(self.server.port, options.faults, self.rng)
        self.truth = Truth()
        self.phones: list[SimPhone] = []
        self.people: dict[str, list[tuple[str, str]]] = {}

    async def setup(self, office: httpx.AsyncClient) -> list[str]:
        """Accounts, a published plan, enrolled phones; returns the plan's working days."""
        o = self.options
        teams = [f"team-{n + 1}" for n in range(o.teams)]
        logins = [(f"{t}-phone-{i + 1}", t) for t in teams for i in range(o.phones_per_team)]
        await _bootstrap(self.server.database_url, teams, logins)
        await self.server.start()
        await self.proxy.start()
        signed = await office.post(
            "/api/v1/session", json={"login": "coordinator", "password": PASSWORD}
        )
        office.headers["x-csrf-token"] = signed.json()["csrf_token"]
        end = o.start + timedelta(days=max(14, o.days * 2))
        plan = await office.post(
            "/api/v1/plans",
            json={
                "name": o.name,
                "start": o.start.isoformat(),
                "end": end.isoformat(),
                "districts": [o.district] if o.district else [],
                "teams": o.teams,
            },
        )
        plan.raise_for_status()
        plan_id = plan.json()["summary"]["id"]
        (await office.post(f"/api/v1/plans/{plan_id}/publish")).raise_for_status()
        for login, team in logins:
            code = (await office.post("/api/v1/devices/enrolments", json={"login": login})).json()
            enrolled = await office.post("/api/v1/devices/enrol", json={"code": code["code"]})
            token = enrolled.json()["device_token"]
            self.phones.append(SimPhone(login, team, token, wrong_clock(self.rng)))
        days = sorted({d["date"] for d in plan.json()["document"]["days"]})
        return days[: o.days]

    def log_day(self, phone: SimPhone, day: str, index: int) -> None:
        """The day's planned meetings (shared among the team's phones: phone `index` logs
        every n-th), held or cancelled, an unplanned one now and then, follow-ups of earlier
        residents."""
        share = self.options.phones_per_team
        for planned in phone.planned_on(day)[index % share :: share]:
            hub = planned["hub"]["id"].removeprefix("g-")
            members = tuple(m["kato"] for m in planned["members"]) or (hub,)
            ids = {"plan_id": planned["plan_id"], "plan_meeting": planned["id"]}
            if self.rng.random() < 0.12:
                phone.make(
                    {
                        "mutation_id": new_id(self.rng),
                        "record_id": new_id(self.rng),
                        "kind": "meeting",
                        "set": {
                            "status": "cancelled",
                            "date": day,
                            "hub": hub,
                            "reason": "flooded road",
                            **ids,
                        },
                    }
                )
                continue
            self._held(phone, make_meeting(self.rng, hub=hub, villages=members, date=day, **ids))
        invited = [m["kato"] for p in phone.plan for x in p["meetings"] for m in x["members"]]
        if self.rng.random() < 0.15 and invited:
            village = self.rng.choice(invited)
            self._held(phone, make_meeting(self.rng, hub=village, villages=(village,), date=day))
        known = self.people.get(phone.label, [])
        if known and self.rng.random() < 0.3:
            person, meeting = self.rng.choice(known)
            phone.make(
                {
                    "mutation_id": new_id(self.rng),
                    "record_id": person,
                    "kind": "followup",
                    "base_version": phone.held.get(person, {}).get("version", 0),
                    "set": {"meeting_id": meeting, "status": "contacted", "on": day},
                }
            )

    def _held(self, phone: SimPhone, mutation: dict[str, Any]) -> None:
        phone.make(mutation)
        self.truth.held += 1
        self.truth.villages.update(mutation["add"]["villages"])
        self.truth.attendance += mutation["set"]["attendance"]["total"]
        people = [(p["id"], mutation["record_id"]) for p in mutation["add"]["interested"]]
        self.people.setdefault(phone.label, []).extend(people)

    async def play(self, days: list[str], field: httpx.AsyncClient) -> None:
        """Every day: log, sync when online; kill the server in the middle of some syncs."""
        for phone in self.phones:
            await self._until_synced(phone, field)
        kills = set(self.rng.sample(range(len(days)), min(self.options.restarts, len(days))))
        away = self._stretches(len(days))
        for index, day in enumerate(days):
            online = []
            for n, phone in enumerate(self.phones):
                self.log_day(phone, day, n % self.options.phones_per_team)
                if index not in away[n] and self.rng.random() >= self.options.offline_chance:
                    online.append(phone)
            syncs = asyncio.gather(*(p.sync(field) for p in online))
            if index in kills:
                await asyncio.sleep(self.rng.uniform(0, 0.2))
                await self.server.restart()
            await syncs

    def _stretches(self, days: int) -> list[set[int]]:
        """For every other phone, two to five days in a row with no signal at all."""
        away: list[set[int]] = []
        for n in range(len(self.phones)):
            length = self.rng.randint(2, 5)
            first = self.rng.randrange(max(1, days - length))
            away.append(set(range(first, first + length)) if n % 2 == 0 else set())
        return away

    async def _until_synced(self, phone: SimPhone, field: httpx.AsyncClient) -> None:
        for _ in range(100):
            if await phone.sync(field) and not phone.outbox:
                return
        raise RuntimeError(f"{phone.label} could not sync in 100 tries")

    async def finish(self, field: httpx.AsyncClient, office: httpx.AsyncClient) -> list[Invariant]:
        """Everyone back online until the outboxes are empty; then a full pull and checks."""
        for phone in self.phones:
            await self._until_synced(phone, field)
        for phone in self.phones:
            phone.cursor = None
            phone.held.clear()
            await phone.pull(office)
        coverage = (await office.get("/api/v1/coverage")).json()["headline"]
        return self.check(coverage, *await self.stored())

    async def stored(self) -> tuple[dict[str, str], set[str]]:
        """What the server's database holds: records with their teams, mutation ids."""
        from outreach.db import sync as sync_sql
        from outreach.db.database import connect

        db = connect(self.server.database_url, connections=1)
        await db.open()
        try:
            async with db.read() as tx:
                return await sync_sql.record_teams(tx), await sync_sql.mutation_ids(tx)
        finally:
            await db.close()

    def check(
        self, coverage: dict[str, Any], records: dict[str, str], mutations: set[str]
    ) -> list[Invariant]:
        """The invariants, from the coverage answer and what the database holds."""
        made = set().union(*(p.made_records for p in self.phones))
        sent = set().union(*(p.made_mutations for p in self.phones))
        truth = self.truth
        return [
            Invariant(
                "every record made on a phone is on the server exactly once",
                set(records) == made and sent == mutations,
                f"{len(made)} records made, {len(records)} on the server;"
                f" {len(sent)} mutations sent, {len(mutations)} stored",
            ),
            Invariant(
                "every phone holds exactly its team's records",
                all(
                    set(p.held) == {r for r, t in records.items() if t == p.team}
                    for p in self.phones
                ),
                ", ".join(f"{p.label}: {len(p.held)}" for p in self.phones),
            ),
            Invariant(
                "coverage equals what the phones really did",
                coverage["meetings_held"] == truth.held
                and coverage["villages_reached"] == len(truth.villages)
                and abs(coverage["residents_reached"] - truth.attendance) < 0.05,
                f"held {coverage['meetings_held']}/{truth.held}, villages"
                f" {coverage['villages_reached']}/{len(truth.villages)}, residents"
                f" {coverage['residents_reached']}/{truth.attendance}",
            ),
            Invariant(
                "no mutation was refused",
                not any(p.statuses["rejected"] for p in self.phones),
                f"{sum(p.statuses['rejected'] for p in self.phones)} refused; answers: "
                + str(sum((p.statuses for p in self.phones), Counter())),
            ),
            Invariant(
                "no request got a 5xx",
                sum(p.server_errors for p in self.phones) == 0,
                f"{sum(p.server_errors for p in self.phones)} answers 500 or above",
            ),
        ]


async def simulate(options: Options, folder: Path, database_url: str | None = None) -> Report:
    """Run a season in `folder` (its database, unless `database_url` names another, and the
    server log stay there)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    started = time.perf_counter()
    season = Season(options, folder, database_url)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{season.server.port}", timeout=120
        ) as office:
            days = await season.setup(office)
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{season.proxy.port}", timeout=60
            ) as field:
                await season.play(days, field)
                invariants = await season.finish(field, office)
    finally:
        await season.proxy.close()
        await season.server.stop()
    phones = season.phones
    return Report(
        days=len(days),
        phones=len(phones),
        records=sum(len(p.made_records) for p in phones),
        mutations=sum(len(p.made_mutations) for p in phones),
        faults=dict(season.proxy.injected),
        restarts=season.server.restarts,
        seconds=round(time.perf_counter() - started, 1),
        invariants=invariants,
    )


async def retire_accounts(database_url: str, teams: int, phones_per_team: int) -> None:
    """Disable the simulator's accounts (their password is in this source file)."""
    from outreach.db.database import connect
    from outreach.domain.accounts import Actor, UserChange
    from outreach.services.accounts import change_user

    db = connect(database_url, connections=1)
    await db.open()
    try:
        logins = ["coordinator"] + [f"team-{t + 1}-phone-{i + 1}" for t in range(teams)
                                    for i in range(phones_per_team)]  # fmt: skip
        for login in logins:
            await change_user(db, login, UserChange(disabled=True), actor=Actor("simulator"))
    finally:
        await db.close()
