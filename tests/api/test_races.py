"""Races through three app processes on one database, on each engine: every one ends in a
single winner and a clear 4xx for the others (one JSON error shape), never a 500, and the
database stays consistent. One `serve --workers 3` per engine serves the module's tests (each
with its own accounts and objects), which play their rounds against it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import Any

import httpx
import pytest

from outreach.services import sessions
from tests.conftest import PASSWORD, LiveServer, add_user
from tests.engines import TestDatabase
from tests.sync.test_several_writers import at_once

ROUNDS = 20
RACERS = 6
KATO = "431010000"
ERROR_KEYS = {"code", "message", "status", "details", "request_id"}


@pytest.fixture(scope="module")
def database(module_database: TestDatabase) -> TestDatabase:
    """One database per engine for the module (starting three processes costs 2-6 s)."""
    return module_database


@pytest.fixture(scope="module")
def server(
    database: TestDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """Three app processes behind one port, on the engine's database."""
    log = tmp_path_factory.mktemp("races-log") / "server.log"
    with LiveServer(database.url, log, args=["--workers", "3"]) as live:
        yield live


@pytest.fixture
def clients(server: LiveServer) -> Iterator[list[httpx.Client]]:
    """One client (its own connections) per racer."""
    made = [httpx.Client(base_url=server.url, timeout=60) for _ in range(RACERS)]
    yield made
    for client in made:
        client.close()


def as_staff(
    clients: list[httpx.Client], database: TestDatabase, role: str, login: str
) -> list[httpx.Client]:
    """The racers, all signed in as one new staff member (cookie and CSRF token)."""
    add_user(database, login, role)
    signed = clients[0].post("/api/v1/session", json={"login": login, "password": PASSWORD})
    assert signed.status_code == 200, signed.text
    for client in clients:
        client.cookies = clients[0].cookies
        client.headers["x-csrf-token"] = signed.json()["csrf_token"]
    return clients


def race(method: str, requests: list[tuple[httpx.Client, str, Any]]) -> list[httpx.Response]:
    """(client, path, JSON body) requests, released together."""
    return at_once([partial(c.request, method, path, json=body) for c, path, body in requests])


def outcome(responses: list[httpx.Response], winner: int) -> tuple[int, Counter[tuple[int, str]]]:
    """How many won, and the (status, code) of the others; each refusal has the one shape."""
    assert all(r.status_code < 500 for r in responses), [r.text for r in responses]
    others = Counter[tuple[int, str]]()
    for response in responses:
        if response.status_code != winner:
            assert set(response.json()) == ERROR_KEYS, response.text
            others[(response.status_code, response.json()["code"])] += 1
    return sum(r.status_code == winner for r in responses), others


def test_one_enrolment_code_enrols_one_device(server, clients, database) -> None:
    racers = as_staff(clients, database, "coordinator", "enrolling")
    add_user(database, "aidos", "field", "team-1")
    for _ in range(ROUNDS):
        code = racers[0].post("/api/v1/devices/enrolments", json={"login": "aidos"})
        body = {"code": code.json()["code"]}
        responses = race("POST", [(c, "/api/v1/devices/enrol", body) for c in racers])
        # the losers are told what a used code gets told, whether by a hair or a minute
        assert outcome(responses, 201) == (1, {(401, "invalid_enrolment_code"): RACERS - 1})
    assert database.scalar("SELECT count(*) FROM devices") == ROUNDS
    assert database.scalar("SELECT count(*) FROM enrolment_codes WHERE used_at IS NULL") == 0


def test_expected_version_admits_one_correction(server, clients, database) -> None:
    racers = as_staff(clients, database, "coordinator", "correcting")
    for n in range(ROUNDS):
        version = racers[0].get(f"/api/v1/villages/{KATO}").json()["version"]
        path = f"/api/v1/villages/{KATO}"
        responses = race("PATCH", [
            (c, path, {"population": 1000 + n * RACERS + i, "expected_version": version})
            for i, c in enumerate(racers)
        ])  # fmt: skip
        assert outcome(responses, 200) == (1, {(409, "version_conflict"): RACERS - 1})
        [won] = [r.json() for r in responses if r.status_code == 200]
        stored = racers[0].get(f"/api/v1/villages/{KATO}").json()
        assert won["version"] == stored["version"] == version + 1
        assert stored["population"] == won["population"]
    corrections = "SELECT count(*) FROM village_corrections WHERE village_kato = ?"
    assert database.scalar(corrections, (KATO,)) == ROUNDS


def test_one_login_and_one_team_name_are_created_once(server, clients, database) -> None:
    racers = as_staff(clients, database, "admin", "creating")
    for n in range(ROUNDS):
        user = {"login": f"user-{n}", "display_name": "U", "role": "coordinator",
                "password": "a long enough password"}  # fmt: skip
        # half as many: each request hashes its password (argon2id, the real parameters)
        responses = race("POST", [(c, "/api/v1/users", user) for c in racers[: RACERS // 2]])
        assert outcome(responses, 201) == (1, {(409, "name_taken"): RACERS // 2 - 1})
        team = {"name": f"team-race-{n}"}
        responses = race("POST", [(c, "/api/v1/teams", team) for c in racers])
        assert outcome(responses, 201) == (1, {(409, "name_taken"): RACERS - 1})
    assert database.scalar("SELECT count(*) FROM users WHERE login LIKE 'user-%'") == ROUNDS
    assert database.scalar("SELECT count(*) FROM teams WHERE name LIKE 'team-race-%'") == ROUNDS


def copy_plan(database: TestDatabase, plan_id: int) -> int:
    """Another draft of the same campaign, without planning it again."""
    columns = "campaign, based_on, gazetteer_version, document, road_km, meetings, " \
              "meetings_placed, created_at"  # fmt: skip
    database.execute(f"INSERT INTO plans (status, {columns}) SELECT 'draft', {columns}"
                     " FROM plans WHERE id = ?", (plan_id,))  # fmt: skip
    return int(database.scalar("SELECT max(id) FROM plans"))


def test_publishing_drafts_at_once_leaves_one_published(server, clients, database) -> None:
    racers = as_staff(clients, database, "coordinator", "publishing")
    spec = {"start": "2027-03-01", "end": "2027-05-28", "districts": ["434600000"]}
    first = racers[0].post("/api/v1/plans", json=spec)
    assert first.status_code == 201, first.text
    for _ in range(ROUNDS):
        drafts = [copy_plan(database, first.json()["summary"]["id"]) for _ in racers]
        responses = race("POST", [(c, f"/api/v1/plans/{p}/publish", None)
                                  for c, p in zip(racers, drafts, strict=True)])  # fmt: skip
        # publishes of one campaign run one after the other: each supersedes the one before
        assert outcome(responses, 200) == (RACERS, {})
        statuses = Counter(s for (s,) in database.rows("SELECT status FROM plans"))
        assert statuses["published"] == 1
        # the one published is the one published last
        last = max(r.json()["published_at"] for r in responses)
        published = "SELECT published_at FROM plans WHERE status = 'published'"
        assert database.scalar(published) == last


def test_moving_a_user_at_once_leaves_one_membership(server, clients, database) -> None:
    racers = as_staff(clients, database, "coordinator", "moving")
    add_user(database, "bota", "field", "team-1")
    teams = ["team-1", "team-2", "team-3"]
    for _ in range(ROUNDS):
        responses = race("POST", [(c, "/api/v1/users/bota/team", {"team": teams[i % 3]})
                                  for i, c in enumerate(racers)])  # fmt: skip
        # moves of one user run one after the other: the last one is where the user is
        assert outcome(responses, 200) == (RACERS, {})
        active = database.rows(
            "SELECT t.name FROM team_memberships AS m JOIN teams AS t ON t.id = m.team_id"
            " JOIN users AS u ON u.id = m.user_id WHERE u.login = 'bota' AND m.left_at IS NULL"
        )
        assert len(active) == 1
    memberships = "SELECT count(*) FROM team_memberships AS m JOIN users AS u ON u.id = m.user_id"
    assert database.scalar(memberships + " WHERE u.login = 'bota'") == 1 + ROUNDS * RACERS


def test_a_burst_of_sign_ins_checks_at_most_the_limit(server, database) -> None:
    add_user(database, "aigerim", "coordinator")
    limit = sessions.MAX_FAILURES_PER_LOGIN_AND_CLIENT
    burst = 40
    for _ in range(3):
        database.execute("DELETE FROM sign_in_failures")
        passwords = ["wrong password, long"] * burst
        passwords[burst // 2] = PASSWORD
        with httpx.Client(base_url=server.url, timeout=60) as http:
            body = [{"login": "aigerim", "password": p} for p in passwords]
            responses = race("POST", [(http, "/api/v1/session", b) for b in body])
        right = responses[burst // 2]
        wrong = [r for i, r in enumerate(responses) if i != burst // 2]
        _, others = outcome(wrong, 200)
        assert others[(401, "invalid_credentials")] <= limit, others
        assert set(others) <= {(401, "invalid_credentials"), (429, "too_many_attempts")}
        assert others[(429, "too_many_attempts")] >= burst - 1 - limit
        # the right password gets in only while the limit is not reached, never after it
        assert right.status_code in (200, 429), right.text
        if right.status_code == 429:
            assert right.json()["code"] == "too_many_attempts"
        assert database.scalar("SELECT count(*) FROM sign_in_failures") <= limit


def test_two_admins_disabling_each_other_at_once_leave_one(server, database) -> None:
    """Each of the only two enabled admins disables the other at the same moment: one wins,
    the other is told it would leave no admin (409 `last_admin`), never none left."""
    database.execute("UPDATE users SET disabled_at = '2027-01-01T00:00:00Z' WHERE role = 'admin'")
    add_user(database, "adm-a", "admin")
    add_user(database, "adm-b", "admin")
    enabled = "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL"
    for _ in range(ROUNDS):
        database.execute("UPDATE users SET disabled_at = NULL WHERE login IN ('adm-a', 'adm-b')")
        pair = [httpx.Client(base_url=server.url, timeout=60) for _ in range(2)]
        try:
            for client, login in zip(pair, ("adm-a", "adm-b"), strict=True):
                signed = client.post("/api/v1/session", json={"login": login, "password": PASSWORD})
                assert signed.status_code == 200, signed.text
                client.headers["x-csrf-token"] = signed.json()["csrf_token"]
            responses = race("PATCH", [(pair[0], "/api/v1/users/adm-b", {"disabled": True}),
                                       (pair[1], "/api/v1/users/adm-a", {"disabled": True})])  # fmt: skip
        finally:
            for client in pair:
                client.close()
        won, others = outcome(responses, 200)
        # the loser is refused as the last admin, or, its session ended by the winner first,
        # as signed out: either way one admin is left
        assert won == 1 and set(others) <= {(409, "last_admin"), (401, "sign_in_required")}, others
        assert database.scalar(enabled) == 1
