"""A simulated field phone: an outbox of mutations, a synced copy of its team's records, a
clock that may be wrong; it syncs through the protocol (docs/sync.md) and retries."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

BATCH = 200


class SyncFailed(Exception):
    """A sync did not finish (a broken connection, a lost answer): try again later."""


class SimPhone:
    """One phone of one team."""

    def __init__(self, label: str, team: str, token: str, clock_offset_s: float) -> None:
        self.label = label
        self.team = team
        self.token = token
        self.clock_offset_s = clock_offset_s
        self.outbox: list[dict[str, Any]] = []
        self.held: dict[str, dict[str, Any]] = {}
        self.cursor: str | None = None
        self.plan: list[dict[str, Any]] = []
        self.made_records: set[str] = set()
        self.made_mutations: set[str] = set()
        self.statuses: Counter[str] = Counter()
        self.server_errors = 0

    def clock(self) -> str:
        """What this phone believes the time is."""
        return (datetime.now(UTC) + timedelta(seconds=self.clock_offset_s)).isoformat()

    def make(self, mutation: dict[str, Any]) -> None:
        """Keep a new mutation in the outbox."""
        mutation["made_at"] = self.clock()
        self.outbox.append(mutation)
        self.made_records.add(mutation["record_id"])
        self.made_mutations.add(mutation["mutation_id"])

    def _report(self) -> dict[str, Any]:
        return {"pending": len(self.outbox), "app_version": "sim", "clock": self.clock()}

    async def _post(self, http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Any:
        try:
            response = await http.post(
                path,
                json=body,
                headers={"authorization": f"Bearer {self.token}", "connection": "close"},
            )
        except httpx.TransportError as error:
            raise SyncFailed(str(error)) from None
        if response.status_code >= 500:
            self.server_errors += 1
            raise SyncFailed(f"HTTP {response.status_code}")
        response.raise_for_status()
        return response.json()

    async def push(self, http: httpx.AsyncClient) -> None:
        """Send the outbox in order, dropping each mutation the server answered for."""
        while self.outbox:
            batch = self.outbox[:BATCH]
            answer = await self._post(
                http, "/api/v1/sync/push", {"mutations": batch, "device": self._report()}
            )
            for result in answer["results"]:
                final = result.get("original", result)
                self.statuses[final["status"]] += 1
            self.outbox = self.outbox[len(batch) :]

    async def pull(self, http: httpx.AsyncClient) -> None:
        """Every change of the team since the cursor."""
        while True:
            page = await self._post(
                http,
                "/api/v1/sync/pull",
                {"cursor": self.cursor, "limit": 500, "device": self._report()},
            )
            if page["reset"]:
                self.held.clear()
            for record in page["records"]:
                self.held[record["id"]] = record
            if page["plan"]:
                self.plan = page["plan"]["body"]
            self.cursor = page["cursor"]
            if not page["more"]:
                return

    async def sync(self, http: httpx.AsyncClient) -> bool:
        """Push then pull; False if the network or the server broke it off."""
        try:
            await self.push(http)
            await self.pull(http)
        except SyncFailed:
            return False
        return True

    def planned_on(self, day: str) -> list[dict[str, Any]]:
        """The team's planned meetings of a day, in route order."""
        found = []
        for plan in self.plan:
            meetings = {m["id"]: m for m in plan["meetings"]}
            for d in plan["days"]:
                if d["date"] == day:
                    found += [(plan["plan_id"], meetings[s["meeting_id"]]) for s in d["stops"]]
        return [{"plan_id": p, **m} for p, m in found]


def wrong_clock(rng: random.Random) -> float:
    """Most phones are near the right time; some are hours or years off."""
    roll = rng.random()
    if roll < 0.7:
        return rng.uniform(-30, 30)
    if roll < 0.9:
        return rng.uniform(-6 * 3600, 6 * 3600)
    return rng.choice([-1, 1]) * rng.uniform(300 * 86400, 3 * 365 * 86400)
