"""Load: N simulated phones syncing at once against a live server on loopback, as the app
does: each push is followed by a pull of its team's changes from the phone's cursor. At the
end a fresh pull of every team must hold each acknowledged record exactly once. Latency
percentiles for pushes and pulls apart, throughput, errors, lost and duplicated records."""

from __future__ import annotations

import asyncio
import functools
import math
import random
import ssl
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgspec

from outreach.simulate.records import make_meeting
from outreach.simulate.server import ServerProcess

MAX_PHONES = 1000
MAX_BATCHES = 100
PHONES_PER_TEAM = 10  # a team's phones share its records; a large load has many teams
PULL_PAGE = 500
_encode = msgspec.json.encode
_decode = msgspec.json.decode


class Latency(msgspec.Struct, frozen=True, kw_only=True):
    """Percentiles of one kind of request, in milliseconds."""

    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


class LoadReport(msgspec.Struct, frozen=True, kw_only=True):
    """What N phones at once got from the server. `p50_ms`..`p99_ms` are the pushes' (as
    `push`); `pull` is the pulls'. `lost`: acknowledged records a fresh pull does not hold;
    `duplicated`: records a fresh pull holds more than once."""

    phones: int
    teams: int
    requests: int
    records: int
    seconds: float
    records_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    push: Latency
    pull: Latency
    errors: int
    lost: int
    duplicated: int
    error_kinds: dict[str, int] = {}


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def latency(values: list[float]) -> Latency:
    if not values:
        return Latency(requests=0, p50_ms=0.0, p95_ms=0.0, p99_ms=0.0)
    return Latency(requests=len(values), p50_ms=round(statistics.median(values), 1),
                   p95_ms=round(percentile(values, 0.95), 1),
                   p99_ms=round(percentile(values, 0.99), 1))  # fmt: skip


@dataclass
class Tally:
    """What the phones saw, shared by all of them."""

    pushes: list[float] = field(default_factory=list)
    pulls: list[float] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    acknowledged: dict[str, set[str]] = field(default_factory=dict)  # team -> record ids
    errors: int = 0

    def failed(self, kind: str) -> None:
        self.errors += 1
        self.kinds[kind] += 1


def _login(team: int) -> str:
    return f"load-phone-{team}"


async def _enrol(office: httpx.AsyncClient, teams: list[int]) -> list[str]:
    tokens = []
    for team in teams:
        code = await office.post("/api/v1/devices/enrolments", json={"login": _login(team)})
        enrolled = await office.post("/api/v1/devices/enrol", json={"code": code.json()["code"]})
        tokens.append(enrolled.json()["device_token"])
    return tokens


async def _request(http: httpx.AsyncClient, path: str, body: dict[str, Any],
                   headers: dict[str, str], times: list[float], tally: Tally
                   ) -> dict[str, Any] | None:  # fmt: skip
    started = time.perf_counter()
    try:
        response = await http.post(path, content=_encode(body), headers=headers)
    except httpx.HTTPError as error:
        tally.failed(type(error).__name__)
        return None
    finally:
        times.append((time.perf_counter() - started) * 1000)
    if response.status_code >= 400:
        tally.failed(f"HTTP {response.status_code}")
        return None
    answer: dict[str, Any] = _decode(response.content)
    return answer


class _Held:
    """What a phone keeps between syncs: its cursor and the etags of what it holds."""

    def __init__(self) -> None:
        self.cursor: str | None = None
        self.plan_etag: str | None = None
        self.reference_etag: str | None = None


async def _pull(http: httpx.AsyncClient, headers: dict[str, str], held: _Held,
                times: list[float], tally: Tally) -> list[str]:  # fmt: skip
    """Every change after the phone's cursor, page by page, sending the etags of the plan and
    reference data it holds, as the app does: the record ids seen."""
    seen: list[str] = []
    while True:
        body = {"cursor": held.cursor, "limit": PULL_PAGE, "plan_etag": held.plan_etag,
                "reference_etag": held.reference_etag}  # fmt: skip
        page = await _request(http, "/api/v1/sync/pull", body, headers, times, tally)
        if page is None:
            return seen
        if page["reset"]:
            seen.clear()
        seen += [record["id"] for record in page["records"]]
        held.cursor = page["cursor"]
        held.plan_etag = (page.get("plan") or {}).get("etag", held.plan_etag)
        held.reference_etag = (page.get("reference") or {}).get("etag", held.reference_etag)
        if not page["more"]:
            return seen


async def _phone(base: str, token: str, team: str, batches: int | None, size: int,
                 think_s: float, seed: int, deadline: float, tally: Tally) -> None:  # fmt: skip
    """Push a batch, pull the team's changes, pause (`think_s` on average), again: `batches`
    times, or (None) until the deadline. Each phone has its own connection, as phones do
    (one client's pool of hundreds of connections costs more than the server's work)."""
    async with httpx.AsyncClient(base_url=base, timeout=120, verify=_tls()) as http:
        await _syncs(http, token, team, batches, size, think_s, seed, deadline, tally)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every phone's client. httpx makes one for each client otherwise,
    30 ms of the event loop each: 200 phones' clients took 6 s, and the phones meant to start
    spread over a pause all started together once it was over."""
    return ssl.create_default_context()


async def _syncs(http: httpx.AsyncClient, token: str, team: str, batches: int | None,
                 size: int, think_s: float, seed: int, deadline: float, tally: Tally
                 ) -> None:  # fmt: skip
    rng = random.Random(seed)  # noqa: S311 (made-up meetings)
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    held = _Held()
    mine = tally.acknowledged.setdefault(team, set())
    if think_s:  # phones do not all start on the same millisecond
        await asyncio.sleep(rng.uniform(0, think_s))
    done = 0
    while (batches is None or done < batches) and time.monotonic() < deadline:
        body = {"mutations": [make_meeting(rng) for _ in range(size)]}
        answer = await _request(http, "/api/v1/sync/push", body, headers, tally.pushes, tally)
        for result in (answer or {}).get("results", []):
            if result["status"] in ("applied", "duplicate"):
                mine.add(result["record_id"])
            else:
                tally.failed(f"refused {result.get('reason')}")
        await _pull(http, headers, held, tally.pulls, tally)
        done += 1
        if think_s:  # not past the deadline: the run lasts as long as it says
            await asyncio.sleep(min(rng.uniform(0, 2 * think_s), deadline - time.monotonic()))


async def _audit(http: httpx.AsyncClient, tokens: dict[str, str], tally: Tally) -> tuple[int, int]:
    """A fresh pull per team: (acknowledged records missing, records held twice or more)."""
    lost = duplicated = 0
    for team, token in tokens.items():
        headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
        seen = await _pull(http, headers, _Held(), [], tally)
        counts = Counter(seen)
        duplicated += sum(1 for n in counts.values() if n > 1)
        lost += len(tally.acknowledged.get(team, set()) - set(counts))
    return lost, duplicated


async def load(
    folder: Path,
    phones: int,
    batches: int = 5,
    size: int = 20,
    max_seconds: float = 300,
    database_url: str | None = None,
    seconds: float | None = None,
    think_s: float = 0.0,
) -> LoadReport:
    """Run the load against a fresh server in `folder` (on an empty database at
    `database_url` when given, e.g. PostgreSQL): each phone syncs `batches` times, or with
    `seconds`, for that long, pausing `think_s` on average between its syncs."""
    from outreach.simulate.campaign import PASSWORD, _bootstrap

    phones, batches = min(phones, MAX_PHONES), min(batches, MAX_BATCHES)
    teams = max(1, math.ceil(phones / PHONES_PER_TEAM))
    team_of = [n % teams for n in range(phones)]
    server = ServerProcess(database_url or f"sqlite:///{folder / 'load.db'}",
                           folder / "server.log")  # fmt: skip
    await _bootstrap(server.database_url, [f"team-{t + 1}" for t in range(teams)],
                     [(_login(t), f"team-{t + 1}") for t in range(teams)])  # fmt: skip
    await server.start()
    tally = Tally()
    try:
        base = f"http://127.0.0.1:{server.port}"
        async with httpx.AsyncClient(base_url=base, timeout=60) as office:
            signed = await office.post(
                "/api/v1/session", json={"login": "coordinator", "password": PASSWORD}
            )
            office.headers["x-csrf-token"] = signed.json()["csrf_token"]
            tokens = await _enrol(office, team_of)
            auditors = dict(zip((f"team-{t + 1}" for t in range(teams)),
                                await _enrol(office, list(range(teams))), strict=True))  # fmt: skip
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            started = time.perf_counter()
            deadline = time.monotonic() + (seconds or max_seconds)
            rounds = None if seconds else batches
            await asyncio.gather(*(
                _phone(base, token, f"team-{team_of[n] + 1}", rounds, size, think_s, n,
                       deadline, tally)
                for n, token in enumerate(tokens)
            ))  # fmt: skip
            seconds = time.perf_counter() - started
            lost, duplicated = await _audit(http, auditors, tally)
    finally:
        await server.stop()
    records = sum(len(ids) for ids in tally.acknowledged.values())
    push = latency(tally.pushes)
    return LoadReport(
        phones=phones, teams=teams, requests=push.requests, records=records,
        seconds=round(seconds, 2), records_per_s=round(records / seconds, 1),
        p50_ms=push.p50_ms, p95_ms=push.p95_ms, p99_ms=push.p99_ms, push=push,
        pull=latency(tally.pulls), errors=tally.errors, lost=lost, duplicated=duplicated,
        error_kinds=dict(tally.kinds),
    )  # fmt: skip
