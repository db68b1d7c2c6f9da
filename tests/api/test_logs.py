"""The service's log lines, read from real server processes: every process logs its access
lines, every line carries time, level, process and request id (as text or JSON), control
characters cannot forge a line, and an error is logged without the values a user sent."""

from __future__ import annotations

import io
import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest

from outreach import logs
from tests.conftest import LiveServer
from tests.sync.test_several_writers import _children

TEXT_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 (DEBUG|INFO|WARNING|ERROR|CRITICAL)"
    r" pid=\d+ req=\S+ \S+: "
)
FORGED = "/api/v1/villages/x%0d%0a2027-01-01T00:00:00.000+00:00 INFO pid=1 req=x forged: hi"


def _requests(server: LiveServer, count: int) -> list[str]:
    """`count` GETs on fresh connections at once, spread over the worker processes; their
    request ids."""

    def one(n: int) -> str:
        response = httpx.get(f"{server.url}/api/v1/districts", timeout=30,
                             headers={"x-request-id": f"probe-{n}"})  # fmt: skip
        assert response.status_code == 200
        return response.headers["x-request-id"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


@pytest.fixture
def json_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OUTREACH_LOG_FORMAT", "json")
    server = LiveServer(f"sqlite:///{tmp_path / 'logs.db'}", tmp_path / "server.log",
                        args=["--workers", "3"])  # fmt: skip
    server.start()
    yield server
    server.stop()


def test_every_worker_logs_access_lines_as_json(json_server: LiveServer) -> None:
    assert json_server.process is not None
    workers = set(_children(json_server.process.pid))
    ids = _requests(json_server, 40)
    json_server.stop()
    lines = json_server.log_path.read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert len(records) == len(lines) - sum(not line.startswith("{") for line in lines)
    assert all({"time", "level", "pid", "request_id", "logger", "message"} <= set(r)
               for r in records)  # fmt: skip
    access = {r["request_id"]: r for r in records if r["logger"] == "outreach.access"}
    assert set(ids) <= set(access)  # one access line for every request, with its id
    assert all(access[i]["message"].startswith("GET /api/v1/districts 200 ") for i in ids)
    # written by the worker processes themselves (before, workers logged nothing)
    assert {access[i]["pid"] for i in ids} <= workers


def test_text_lines_carry_time_level_pid_and_request_id_and_cannot_be_forged(tmp_path) -> None:
    server = LiveServer(f"sqlite:///{tmp_path / 'logs.db'}", tmp_path / "server.log")
    server.start()
    try:
        _requests(server, 3)
        with httpx.Client(base_url=server.url) as http:
            forged = http.get(FORGED)
            query = http.get("/api/v1/villages", params={"q": "a\nINFO forged"})
            # the router's own 404 and 405 pass no middleware: their id and line all the same
            unrouted = [http.get("/nowhere", headers={"x-request-id": "scan-1"}),
                        http.delete("/health", headers={"x-request-id": "scan-2"})]  # fmt: skip
    finally:
        server.stop()
    assert (forged.status_code, forged.json()["code"]) == (400, "control_character")
    assert (query.status_code, query.json()["code"]) == (400, "control_character")
    lines = server.log_path.read_text().splitlines()
    # besides the command's own messages on stderr (what it loaded, where it listens), every
    # line is a log line
    said = [line for line in lines if line.startswith(("loaded the ", "outreach 0"))]
    logged = [line for line in lines if TEXT_LINE.match(line)]
    assert len(said) == 2 and len(logged) == len(lines) - 2
    assert not any("forged: hi" in line and line.startswith("2027") for line in lines)
    assert any("x\\x0d\\x0a2027-01-01" in line for line in logged)  # escaped, on one line
    assert any("req=probe-0 outreach.access: GET /api/v1/districts 200" in line
               for line in logged)  # fmt: skip
    assert [(a.status_code, a.headers["x-request-id"], a.json()["request_id"])
            for a in unrouted] == [(404, "scan-1", "scan-1"), (405, "scan-2", "scan-2")]  # fmt: skip
    assert any("req=scan-1 outreach.access: GET /nowhere 404" in line for line in logged)
    assert any("req=scan-2 outreach.access: DELETE /health 405" in line for line in logged)
    assert sum("req=probe-0 outreach.access" in line for line in logged) == 1  # once each


def test_an_error_is_logged_without_the_values_in_its_message(pg_database) -> None:
    """A real PostgreSQL unique violation quotes the login in its message; the log line has
    its type, SQLSTATE and frames, and not the login."""
    login = "ақбөпе.secret-login"
    pg_database.execute("INSERT INTO teams (name, created_at) VALUES (?, '2027-01-01')", (login,))
    with pytest.raises(psycopg.errors.UniqueViolation) as caught:
        pg_database.execute("INSERT INTO teams (name, created_at) VALUES (?, '2027-01-01')",
                            (login,))  # fmt: skip
    assert login in str(caught.value)  # the message does carry it
    for style in ("text", "json"):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logs._Formatter(style))  # type: ignore[arg-type]
        logger = logging.getLogger(f"test.logs.{style}")
        logger.addHandler(handler)
        try:
            logger.error("unhandled %s on %s", "UniqueViolation", "/api/v1/teams",
                         exc_info=caught.value)  # fmt: skip
        finally:
            logger.removeHandler(handler)
        written = stream.getvalue()
        assert "psycopg.errors.UniqueViolation (SQLSTATE 23505)" in written
        assert "test_logs.py" in written  # the frames are there
        assert login not in written and "secret-login" not in written
