"""A short season through the real service under faults, and the load mode, in the default
suite."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from click.testing import CliRunner

from outreach.__main__ import main
from outreach.simulate.campaign import Options, simulate
from outreach.simulate.proxy import Faults


def test_simulation_short_season_keeps_every_invariant(empty_database, tmp_path: Path):
    faults = Faults(drop=0.1, lose_response=0.1, duplicate=0.1, delay=0.2)
    options = Options(days=6, seed=5, restarts=2, faults=faults)
    report = asyncio.run(simulate(options, tmp_path, empty_database.url))
    assert report.ok, report.invariants
    assert [i.name for i in report.invariants] == [
        "every record made on a phone is on the server exactly once",
        "every phone holds exactly its team's records",
        "coverage equals what the phones really did",
        "no mutation was refused",
        "no request got a 5xx",
    ]
    assert report.records > 10
    assert report.restarts == 2
    assert sum(report.faults.values()) > 3
    assert empty_database.scalar("SELECT count(*) FROM sync_records") == report.records


def test_simulation_load_mode_reports_latency_and_no_errors(empty_database, tmp_path: Path):
    result = CliRunner().invoke(main, ["simulate", "--load", "8", "--batches", "2",
                                       "--folder", str(tmp_path),
                                       "--database-url", empty_database.url])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["phones"], report["requests"], report["errors"]) == (8, 16, 0)
    assert report["records"] == 16 * 20
    assert 0 < report["p50_ms"] <= report["p95_ms"] <= report["p99_ms"]
    # each push is followed by a pull of the team's changes, as the app does
    assert report["pull"]["requests"] >= 16
    assert 0 < report["pull"]["p50_ms"] <= report["pull"]["p99_ms"]
    assert (report["lost"], report["duplicated"]) == (0, 0)  # a fresh pull holds each once


def test_simulation_load_mode_for_a_duration_syncs_again_and_again(empty_database, tmp_path):
    result = CliRunner().invoke(main, ["simulate", "--load", "4", "--seconds", "3",
                                       "--think-ms", "300", "--folder", str(tmp_path),
                                       "--database-url", empty_database.url])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["requests"] > 4 * 2  # each phone synced several times, not once
    assert report["pull"]["requests"] >= report["requests"]
    assert report["seconds"] < 3 + 2  # the pauses end at the deadline
    assert (report["errors"], report["lost"], report["duplicated"]) == (0, 0, 0)
    assert report["records"] == report["requests"] * 20
