"""Fixtures shared by every test: settings on a tmp_path SQLite file, an app client, and a
live server process."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from litestar.testing import AsyncTestClient

from outreach.app import create_app
from outreach.config import KYZYLORDA_DIR, Settings

SETTLEMENTS_CSV = KYZYLORDA_DIR / "settlements.csv"
DISTRICTS_CSV = KYZYLORDA_DIR / "districts.csv"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "outreach.db"


PASSWORD = "a test password, long enough"
PASSWORD_HASH = PasswordHasher().hash(PASSWORD)


@pytest.fixture
def settings(db_path: Path) -> Settings:
    # the test client speaks plain HTTP, which would never carry a Secure cookie
    return Settings(database_url=f"sqlite:///{db_path}", secure_cookies=False)


def add_user(db_path: Path, login: str, role: str, team: str | None = None) -> None:
    """An account straight into the database (the API's own user creation is tested apart)."""
    with closing(sqlite3.connect(db_path)) as conn, conn:
        cursor = conn.execute(
            "INSERT INTO users (login, display_name, role, password_hash, created_at)"
            " VALUES (?, ?, ?, ?, '2027-01-01T00:00:00Z')",
            (login, login, role, PASSWORD_HASH),
        )
        if team:
            conn.execute(
                "INSERT INTO team_memberships (user_id, team_id, joined_at)"
                " SELECT ?, id, '2027-01-01T00:00:00Z' FROM teams WHERE name = ?",
                (cursor.lastrowid, team),
            )


async def sign_in(http, db_path: Path, role: str) -> dict:
    """Create an account of the role, sign the client in, send the CSRF token from now on."""
    login = f"{role}-user"
    add_user(db_path, login, role, "team-1" if role == "field" else None)
    response = await http.post("/api/v1/session", json={"login": login, "password": PASSWORD})
    assert response.status_code == 200, response.text
    http.headers["x-csrf-token"] = response.json()["csrf_token"]
    return response.json()


@pytest.fixture
async def anonymous(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
async def anonymous_phone(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """A second client (its own app on the same database), for a phone."""
    async with AsyncTestClient(app=create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
async def client(anonymous, db_path: Path) -> AsyncTestClient:  # type: ignore[type-arg]
    """A client signed in as a coordinator."""
    await sign_in(anonymous, db_path, "coordinator")
    return anonymous


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """`outreach serve` in its own process, on a loopback port."""

    def __init__(self, db_path: Path, log_path: Path, args: list[str] | None = None) -> None:
        self.args = args or []
        self.db_path = db_path
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "OUTREACH_DATABASE_URL": f"sqlite:///{self.db_path}",
               "OUTREACH_PORT": str(self.port), "OUTREACH_SECURE_COOKIES": "false"}  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "outreach", "serve", *self.args],
                env=env,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + 90  # `serve --demo` first plays a simulated season
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.process.kill()  # not left running to trouble later tests
        self.process.wait()
        self.process = None
        raise RuntimeError("server did not start:\n" + self.log_path.read_text())

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)
            self.process = None


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path / "live.db", tmp_path / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def enrol_device(coordinator, phone, db_path: Path, login: str, team: str) -> str:
    """A field user of the team, a code issued by the signed-in coordinator, the phone
    enrolled with it and sending its device token from now on; returns the token."""
    add_user(db_path, login, "field", team)
    issued = await coordinator.post("/api/v1/devices/enrolments", json={"login": login})
    assert issued.status_code == 201, issued.text
    enrolled = await phone.post("/api/v1/devices/enrol", json={"code": issued.json()["code"]})
    assert enrolled.status_code == 201, enrolled.text
    token = enrolled.json()["device_token"]
    phone.headers["authorization"] = f"Bearer {token}"
    return token
