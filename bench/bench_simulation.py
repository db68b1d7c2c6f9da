"""Benchmark: a long simulated season for the whole oblast through the real service under
faults (the invariants checked at the end), and the load mode at 200 phones syncing at once.

Run: .venv/bin/python bench/bench_simulation.py [--days N] [--phones-per-team K] [--load N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from outreach.simulate.campaign import Options, simulate
from outreach.simulate.load import load


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--teams", type=int, default=3)
    parser.add_argument("--phones-per-team", type=int, default=4)
    parser.add_argument("--load", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        options = Options(
            days=args.days,
            district=None,
            teams=args.teams,
            phones_per_team=args.phones_per_team,
            restarts=5,
            name="Whole oblast, simulated",
        )
        report = await simulate(options, Path(folder))
    print(
        f"season: {report.days} working days, whole oblast, {report.phones} phones,"
        f" {report.records} records ({report.mutations} mutations), {report.restarts} server"
        f" kills, faults {sum(report.faults.values())} {report.faults}, {report.seconds} s"
    )
    for invariant in report.invariants:
        print(f"  {'held  ' if invariant.held else 'BROKEN'} {invariant.name}: {invariant.detail}")
    with tempfile.TemporaryDirectory() as folder:
        loaded = await load(Path(folder), args.load, batches=5, size=20)
    push, pull = loaded.push, loaded.pull
    print(
        f"load: {loaded.phones} phones at once in {loaded.teams} teams, {push.requests} pushes"
        f" of 20 records each followed by a pull, {loaded.records_per_s:,.0f} records/s;"
        f" push p50 {push.p50_ms} ms, p95 {push.p95_ms} ms, p99 {push.p99_ms} ms;"
        f" pull ({pull.requests} pages) p50 {pull.p50_ms} ms, p95 {pull.p95_ms} ms,"
        f" p99 {pull.p99_ms} ms; {loaded.errors} errors, {loaded.lost} lost,"
        f" {loaded.duplicated} duplicated, {loaded.seconds} s"
    )
    clean = loaded.errors == loaded.lost == loaded.duplicated == 0
    return 0 if report.ok and clean else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
