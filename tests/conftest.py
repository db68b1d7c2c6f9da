"""Fixtures shared by every test: a database on each engine (tests/engines.py), settings on
it, an app client, and a live server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from argon2 import PasswordHasher
from litestar.testing import AsyncTestClient

from outreach.app import create_app
from outreach.config import KYZYLORDA_DIR, Settings
from tests import engines
from tests.engines import TestDatabase

SETTLEMENTS_CSV = KYZYLORDA_DIR / "settlements.csv"
DISTRICTS_CSV = KYZYLORDA_DIR / "districts.csv"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite file, for what only SQLite has (its file, its pragmas)."""
    return tmp_path / "outreach.db"


_postgres_skipped: list[str] = []
_SKIPPED_POSTGRES = "PostgreSQL tests not run: "


def _require_postgres(request: pytest.FixtureRequest) -> str:
    try:
        return engines.postgres_admin_url()
    except engines.PostgresUnavailable as exc:
        if engines.REQUIRE_POSTGRES:
            pytest.fail(f"OUTREACH_REQUIRE_POSTGRES=1 but {exc}", pytrace=False)
        pytest.skip(f"{_SKIPPED_POSTGRES}{exc}")


@pytest.fixture(params=engines.ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each storage-backed test runs once per engine."""
    if request.param == "postgresql":
        _require_postgres(request)
    return str(request.param)


@pytest.fixture
def postgres(request: pytest.FixtureRequest) -> str:
    """For tests of PostgreSQL alone: the server's admin URL."""
    return _require_postgres(request)


@pytest.fixture
def database(engine: str, tmp_path: Path) -> Iterator[TestDatabase]:
    """A new database on the test's engine."""
    with engines.fresh_database(engine, tmp_path) as fresh:
        yield fresh


@pytest.fixture(scope="module", params=engines.ENGINES)
def module_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestDatabase]:
    """One new database per engine for a whole module, for tests that can share one (each
    with its own objects, or none that write): a module overrides `database` with it."""
    if request.param == "postgresql":
        _require_postgres(request)
    folder = tmp_path_factory.mktemp(f"module-{request.param}")
    with engines.fresh_database(request.param, folder) as fresh:
        yield fresh


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_client(
    module_database: TestDatabase,
) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """A coordinator's client of one app on the module's database (building the app takes
    0.1 s): the module's tests run on the module's event loop,
    `pytestmark = pytest.mark.asyncio(loop_scope="module")`."""
    settings = Settings(database_url=module_database.url, secure_cookies=False)
    async with AsyncTestClient(app=create_app(settings)) as http:
        await sign_in(http, module_database, "coordinator")
        yield http


@pytest.fixture
def empty_database(engine: str, tmp_path: Path) -> Iterator[TestDatabase]:
    """A new database on the test's engine with nothing loaded yet (a SQLite file does not
    exist yet; a PostgreSQL database is migrated only)."""
    with engines.fresh_database(engine, tmp_path, empty=True) as fresh:
        yield fresh


@pytest.fixture
def pg_database(postgres: str) -> Iterator[TestDatabase]:
    """For tests of PostgreSQL alone: a new database on it."""
    with engines.postgres_database() as fresh:
        yield fresh


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    engines.drop_templates()


def skip_reason(report: pytest.TestReport) -> str:
    """Why a test was skipped ("" if it was not), from its report: reports reach the process
    that prints the summary also when pytest-xdist's workers ran the tests."""
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return ""


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if skip_reason(report).startswith(_SKIPPED_POSTGRES):
        _postgres_skipped.append(report.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _postgres_skipped:
        terminalreporter.write_sep("!", "POSTGRESQL TESTS NOT RUN", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(_postgres_skipped)} tests were run on SQLite only. To run them on PostgreSQL"
            " too, set OUTREACH_TEST_POSTGRES_URL=postgresql://user:password@host/postgres"
            " (a role that may create databases); .ci/run does this."
        )


PASSWORD = "a test password, long enough"
# cheap parameters: signing in verifies with the hash's own, and tests sign in hundreds of times
# (the service's own hashes use the library's recommended ones: tests/services/test_accounts.py)
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


@pytest.fixture
def settings(database: TestDatabase) -> Settings:
    # the test client speaks plain HTTP, which would never carry a Secure cookie
    return Settings(database_url=database.url, secure_cookies=False)


def add_user(database: TestDatabase, login: str, role: str, team: str | None = None) -> None:
    """An account straight into the database (the API's own user creation is tested apart)."""
    database.execute(
        "INSERT INTO users (login, display_name, role, password_hash, created_at)"
        " VALUES (?, ?, ?, ?, '2027-01-01T00:00:00Z')",
        (login, login, role, PASSWORD_HASH),
    )
    if team:
        database.execute(
            "INSERT INTO team_memberships (user_id, team_id, joined_at)"
            " SELECT u.id, t.id, '2027-01-01T00:00:00Z' FROM users AS u, teams AS t"
            " WHERE u.login = ? AND t.name = ?",
            (login, team),
        )


async def sign_in(http, database: TestDatabase, role: str) -> dict:
    """Create an account of the role, sign the client in, send the CSRF token from now on."""
    login = f"{role}-user"
    add_user(database, login, role, "team-1" if role == "field" else None)
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
async def client(anonymous, database: TestDatabase) -> AsyncTestClient:  # type: ignore[type-arg]
    """A client signed in as a coordinator."""
    await sign_in(anonymous, database, "coordinator")
    return anonymous


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """`outreach serve` in its own process, on a loopback port."""

    def __init__(self, database_url: str, log_path: Path, args: list[str] | None = None) -> None:
        self.args = args or []
        self.database_url = database_url
        self.database = TestDatabase(database_url)
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.spawn()
        self.wait_ready()

    def spawn(self) -> None:
        """The process started, not yet answering (several are started at once this way)."""
        env = {**os.environ, "OUTREACH_DATABASE_URL": self.database_url,
               "OUTREACH_PORT": str(self.port), "OUTREACH_SECURE_COOKIES": "false"}  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "outreach", "serve", *self.args],
                env=env,
                stdout=log,
                stderr=log,
            )

    def wait_ready(self) -> None:
        """Until the spawned process answers /health; killed, and an error, if it never does."""
        assert self.process is not None
        deadline = time.monotonic() + 90  # `serve --demo` first plays a simulated season
        while time.monotonic() < deadline and self.process.poll() is None:
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

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A live server on SQLite (the browser tests' server), on a copy of the run's template
    file: migrated and loaded as a first start leaves it, without the 0.15 s of doing it."""
    with LiveServer(engines.sqlite_database(tmp_path).url, tmp_path / "server.log") as server:
        yield server


@pytest.fixture
def engine_server(database: TestDatabase, tmp_path: Path) -> Iterator[LiveServer]:
    """A live server on the test's engine."""
    with LiveServer(database.url, tmp_path / "server.log") as server:
        yield server


async def enrol_device(coordinator, phone, database: TestDatabase, login: str, team: str) -> str:
    """A field user of the team, a code issued by the signed-in coordinator, the phone
    enrolled with it and sending its device token from now on; returns the token."""
    add_user(database, login, "field", team)
    issued = await coordinator.post("/api/v1/devices/enrolments", json={"login": login})
    assert issued.status_code == 201, issued.text
    enrolled = await phone.post("/api/v1/devices/enrol", json={"code": issued.json()["code"]})
    assert enrolled.status_code == 201, enrolled.text
    token = enrolled.json()["device_token"]
    phone.headers["authorization"] = f"Bearer {token}"
    return token


@asynccontextmanager
async def two_phones(coordinator, phone, settings: Settings, database: TestDatabase,
                     teams: tuple[str, str]) -> AsyncIterator[tuple]:  # fmt: skip
    """`phone` enrolled as field-a of the first team and a second phone (its own client) as
    field-b of the second; yields both."""
    await enrol_device(coordinator, phone, database, "field-a", teams[0])
    async with AsyncTestClient(app=create_app(settings)) as other:
        await enrol_device(coordinator, other, database, "field-b", teams[1])
        yield phone, other
