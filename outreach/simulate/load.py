"""Load: N simulated phones pushing and pulling at once against a live server on loopback,
bounded in count and time; throughput, latency percentiles and errors."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections import Counter
from pathlib import Path

import httpx
import msgspec

from outreach.simulate.records import make_meeting
from outreach.simulate.server import ServerProcess

MAX_PHONES = 1000
MAX_BATCHES = 100


class LoadReport(msgspec.Struct, frozen=True, kw_only=True):
    """What N phones at once got from the server."""

    phones: int
    requests: int
    records: int
    seconds: float
    records_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    error_kinds: dict[str, int] = {}


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def _enrol(office: httpx.AsyncClient, count: int) -> list[str]:
    tokens = []
    for _ in range(count):
        code = await office.post("/api/v1/devices/enrolments", json={"login": "load-phone"})
        enrolled = await office.post("/api/v1/devices/enrol", json={"code": code.json()["code"]})
        tokens.append(enrolled.json()["device_token"])
    return tokens


async def _phone(
    http: httpx.AsyncClient,
    token: str,
    batches: int,
    size: int,
    seed: int,
    latencies: list[float],
    deadline: float,
    kinds: Counter[str],
) -> int:
    rng = random.Random(seed)  # noqa: S311 (made-up meetings)
    errors = 0
    headers = {"authorization": f"Bearer {token}"}
    for _ in range(batches):
        if time.monotonic() > deadline:
            break
        body = {"mutations": [make_meeting(rng) for _ in range(size)]}
        started = time.perf_counter()
        try:
            response = await http.post("/api/v1/sync/push", json=body, headers=headers)
            if response.status_code >= 400:
                errors += 1
                kinds[f"HTTP {response.status_code}"] += 1
        except httpx.HTTPError as error:
            errors += 1
            kinds[type(error).__name__] += 1
        latencies.append((time.perf_counter() - started) * 1000)
    return errors


async def load(
    folder: Path, phones: int, batches: int = 5, size: int = 20, max_seconds: float = 300
) -> LoadReport:
    """Run the load against a fresh server in `folder`."""
    from outreach.simulate.campaign import PASSWORD, _bootstrap

    phones, batches = min(phones, MAX_PHONES), min(batches, MAX_BATCHES)
    server = ServerProcess(f"sqlite:///{folder / 'load.db'}", folder / "server.log")
    await _bootstrap(server.database_url, ["team-1"], [("load-phone", "team-1")])
    await server.start()
    latencies: list[float] = []
    kinds: Counter[str] = Counter()
    try:
        base = f"http://127.0.0.1:{server.port}"
        async with httpx.AsyncClient(base_url=base, timeout=60) as office:
            signed = await office.post(
                "/api/v1/session", json={"login": "coordinator", "password": PASSWORD}
            )
            office.headers["x-csrf-token"] = signed.json()["csrf_token"]
            tokens = await _enrol(office, phones)
        limits = httpx.Limits(max_connections=phones, max_keepalive_connections=phones)
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:
            started = time.perf_counter()
            deadline = time.monotonic() + max_seconds
            errors = await asyncio.gather(
                *(
                    _phone(http, token, batches, size, n, latencies, deadline, kinds)
                    for n, token in enumerate(tokens)
                )
            )
            seconds = time.perf_counter() - started
    finally:
        await server.stop()
    records = len(latencies) * size
    return LoadReport(
        phones=phones,
        requests=len(latencies),
        records=records,
        seconds=round(seconds, 2),
        records_per_s=round(records / seconds, 1),
        p50_ms=round(statistics.median(latencies), 1),
        p95_ms=round(percentile(latencies, 0.95), 1),
        p99_ms=round(percentile(latencies, 0.99), 1),
        errors=sum(errors),
        error_kinds=dict(kinds),
    )
