"""Accounts and access: the role x operation table over every OpenAPI operation, sign-in,
sessions, CSRF and throttling."""

from __future__ import annotations

import re

import pytest
from litestar.testing import AsyncTestClient

from outreach.api.policy import POLICY, PUBLIC
from outreach.app import create_app
from outreach.db.database import connect
from outreach.services import sessions
from tests.conftest import PASSWORD, add_user, enrol_device, sign_in

ROLES = ("coordinator", "leadership", "admin", "field")
SAMPLE = {
    "kato": "431010000",
    "plan_id": "1",
    "device_id": "999",
    "login": "nobody-here",
    "sha256": "ab" * 32,
    "item_id": "999",
    "person_id": "nobody",
    "record_id": "nobody",
    "resident_id": "999",
    "candidate_id": "999",
    "import_id": "999",
}


def concrete(template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], template)


async def test_every_openapi_operation_is_in_the_policy_and_back(anonymous) -> None:
    spec = (await anonymous.get("/schema/openapi.json")).json()
    operations = {(method.upper(), path) for path, item in spec["paths"].items()
                  for method in item}  # fmt: skip
    assert operations == set(POLICY)


@pytest.mark.parametrize("role", [PUBLIC, *ROLES])
async def test_each_cell_of_the_policy_holds(settings, database, role: str) -> None:
    async with (
        AsyncTestClient(app=create_app(settings)) as http,
        AsyncTestClient(app=create_app(settings)) as helper,
    ):
        if role == "field":  # field users work from an enrolled phone
            await sign_in(helper, database, "coordinator")
            await enrol_device(helper, http, database, "walker", "team-1")
        elif role != PUBLIC:
            await sign_in(http, database, role)
        for (method, template), roles in sorted(POLICY.items()):
            if (method, template) == ("DELETE", "/api/v1/session"):
                continue  # signing out would end this walk's session
            response = await http.request(method, concrete(template), json={})
            denied = response.status_code in (401, 403)
            reading = POLICY.get(("GET", template), frozenset())
            if role == "field" and "{" in template and PUBLIC not in reading | roles:
                # phones see objects that are not theirs to reach as absent
                denied = response.status_code == 404 if role not in roles else denied
            may = PUBLIC in roles or role in roles
            assert denied is not may, (role, method, template, response.status_code, response.text)


async def test_anonymous_write_is_401_and_wrong_role_is_403(anonymous, database) -> None:
    response = await anonymous.patch("/api/v1/villages/431010000", json={"population": 1})
    assert (response.status_code, response.json()["code"]) == (401, "sign_in_required")
    await sign_in(anonymous, database, "leadership")
    response = await anonymous.patch("/api/v1/villages/431010000", json={"population": 1})
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


async def test_wrong_password_and_unknown_login_look_the_same(anonymous, database) -> None:
    add_user(database, "aigerim", "coordinator")
    wrong = await anonymous.post("/api/v1/session", json={"login": "aigerim", "password": "x" * 20})
    unknown = await anonymous.post(
        "/api/v1/session", json={"login": "nobody", "password": "x" * 20}
    )
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda r: {k: v for k, v in r.json().items() if k != "request_id"}  # noqa: E731
    assert strip(wrong) == strip(unknown)


async def test_session_cookie_is_httponly_strict_and_secure(database) -> None:
    from outreach.config import Settings

    app = create_app(Settings(database_url=database.url))
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as http:
        add_user(database, "aigerim", "coordinator")
        response = await http.post("/api/v1/session",
                                   json={"login": "aigerim", "password": PASSWORD})  # fmt: skip
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie
        assert (await http.get("/api/v1/session")).status_code == 200
        http.headers["x-csrf-token"] = response.json()["csrf_token"]
        cleared = (await http.delete("/api/v1/session")).headers["set-cookie"].lower()
        assert "max-age=0" in cleared  # cleared with the flags it was set with
        assert "httponly" in cleared and "samesite=strict" in cleared and "secure" in cleared


async def test_writes_need_the_csrf_token(client) -> None:
    token = client.headers.pop("x-csrf-token")
    response = await client.patch("/api/v1/villages/431010000", json={"population": 1})
    assert (response.status_code, response.json()["code"]) == (403, "csrf_failed")
    client.headers["x-csrf-token"] = token + "x"
    assert (await client.patch("/api/v1/villages/431010000", json={})).status_code == 403
    client.headers["x-csrf-token"] = token
    assert (await client.patch("/api/v1/villages/431010000", json={})).status_code == 200


@pytest.mark.parametrize("column", ["last_seen_at", "created_at"])
async def test_expired_session_is_refused(client, database, column: str) -> None:
    database.execute(f"UPDATE sessions SET {column} = '2020-01-01T00:00:00.000+00:00'")
    response = await client.get("/api/v1/session")
    assert (response.status_code, response.json()["code"]) == (401, "sign_in_required")


async def test_signed_out_disabled_or_tampered_sessions_are_refused(client, database) -> None:
    cookie = client.cookies.get("outreach_session")
    client.cookies.set("outreach_session", cookie[:-2] + "xx")
    assert (await client.get("/api/v1/session")).status_code == 401
    client.cookies.set("outreach_session", cookie)
    assert (await client.get("/api/v1/session")).status_code == 200
    database.execute("UPDATE users SET disabled_at = 'now'")
    assert (await client.get("/api/v1/session")).status_code == 401
    database.execute("UPDATE users SET disabled_at = NULL")
    assert (await client.delete("/api/v1/session")).status_code == 204
    client.cookies.set("outreach_session", cookie)
    assert (await client.get("/api/v1/session")).status_code == 401


async def test_field_users_are_sent_to_device_enrolment(anonymous, database) -> None:
    add_user(database, "aidos", "field", "team-2")
    response = await anonymous.post(
        "/api/v1/session", json={"login": "aidos", "password": PASSWORD}
    )
    assert (response.status_code, response.json()["code"]) == (403, "use_enrolled_phone")


async def test_failed_sign_ins_are_throttled_per_login_and_client(database) -> None:
    db = connect(database.url)
    await db.open()
    try:
        add_user(database, "aigerim", "coordinator")
        for _ in range(sessions.MAX_FAILURES_PER_LOGIN_AND_CLIENT):
            with pytest.raises(sessions.SignInRefused):
                await sessions.sign_in(db, "aigerim", "wrong password!!", "10.0.0.1")
        with pytest.raises(sessions.TooManyAttempts):  # even with the right password
            await sessions.sign_in(db, "aigerim", PASSWORD, "10.0.0.1")
        # the attacker's address is throttled; the user signing in from elsewhere is not
        token, _ = await sessions.sign_in(db, "aigerim", PASSWORD, "10.0.0.2")
        assert token
        for n in range(sessions.MAX_FAILURES_PER_CLIENT):
            with pytest.raises((sessions.SignInRefused, sessions.TooManyAttempts)):
                await sessions.sign_in(db, f"guess{n}", "wrong password!!", "10.0.0.3")
        with pytest.raises(sessions.TooManyAttempts):
            await sessions.sign_in(db, "aigerim", PASSWORD, "10.0.0.3")
    finally:
        await db.close()


async def test_sign_ins_are_audited_without_secrets(anonymous, database) -> None:
    add_user(database, "aigerim", "coordinator")
    await anonymous.post("/api/v1/session", json={"login": "aigerim", "password": "wrong!" * 3})
    await anonymous.post("/api/v1/session", json={"login": "aigerim", "password": PASSWORD})
    rows = database.rows("SELECT actor, action, outcome, client FROM audit_log ORDER BY id")
    everything = repr(database.rows("SELECT * FROM audit_log"))
    assert [r[:3] for r in rows] == [("anonymous", "session.sign_in", "refused"),
                                    ("aigerim", "session.sign_in", "ok")]  # fmt: skip
    assert all(r[3] for r in rows)
    assert PASSWORD not in everything and "wrong!" not in everything


async def test_admin_creates_users_coordinator_may_not(anonymous, database) -> None:
    body = {"login": "dana", "display_name": "Dana", "role": "field", "password": PASSWORD,
            "team": "team-3"}  # fmt: skip
    await sign_in(anonymous, database, "admin")
    created = await anonymous.post("/api/v1/users", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["team"] == "team-3"
    assert "password" not in created.text
    users = (await anonymous.get("/api/v1/users")).json()
    assert {"dana", "admin-user"} <= {u["login"] for u in users}
    await anonymous.delete("/api/v1/session")
    await sign_in(anonymous, database, "coordinator")
    assert (
        await anonymous.post("/api/v1/users", json={**body, "login": "erlan"})
    ).status_code == 403


@pytest.mark.parametrize("field", ["version", "updated_at", "team", "author", "role"])
async def test_server_owned_fields_cannot_be_set(client, field: str) -> None:
    response = await client.patch("/api/v1/villages/431010000", json={field: "x"})
    assert (response.status_code, response.json()["code"]) == (400, "validation_failed")


async def test_teams_any_number_and_membership_history(anonymous, database) -> None:
    await sign_in(anonymous, database, "admin")
    created = await anonymous.post("/api/v1/teams", json={"name": "team-4"})
    assert created.status_code == 201
    # a name in use, in any letter case, says so (it said "changed meanwhile"), naming it
    for name in ("team-4", "TEAM-4"):
        again = await anonymous.post("/api/v1/teams", json={"name": name})
        assert (again.status_code, again.json()["code"]) == (409, "name_taken")
        assert again.json()["details"] == [{"field": "team_name", "value": name}]
    twice = await anonymous.post("/api/v1/users", json={
        "login": "Bota-K", "display_name": "A", "role": "coordinator",
        "password": "a long enough password"})  # fmt: skip
    assert twice.status_code == 201
    twice = await anonymous.post("/api/v1/users", json={
        "login": "bota-k", "display_name": "A", "role": "coordinator",
        "password": "a long enough password"})  # fmt: skip
    assert (twice.status_code, twice.json()["code"]) == (409, "name_taken")
    add_user(database, "aidos", "field", "team-1")
    moved = await anonymous.post("/api/v1/users/aidos/team", json={"team": "team-4"})
    assert moved.json()["team"] == "team-4"
    history = database.rows("SELECT t.name, m.left_at IS NULL FROM team_memberships m "
                            "JOIN teams t ON t.id = m.team_id ORDER BY m.id")  # fmt: skip
    assert history == [("team-1", False), ("team-4", True)]
    teams = {t["name"]: t["members"] for t in (await anonymous.get("/api/v1/teams")).json()}
    assert teams["team-4"] == 1 and teams["team-1"] == 0


async def test_admin_changes_roles_and_disables_audited(anonymous, database) -> None:
    await sign_in(anonymous, database, "admin")
    add_user(database, "dana", "leadership")
    changed = await anonymous.patch("/api/v1/users/dana", json={"role": "coordinator"})
    assert changed.json()["role"] == "coordinator"
    disabled = await anonymous.patch("/api/v1/users/dana", json={"disabled": True})
    assert disabled.json()["disabled"] is True
    assert (await anonymous.post("/api/v1/session",
                                 json={"login": "dana", "password": PASSWORD})).status_code == 401  # fmt: skip
    actions = [e["action"] for e in (await anonymous.get("/api/v1/audit")).json()]
    assert {"user.role", "user.disable"} <= set(actions)
    assert (
        await anonymous.patch("/api/v1/users/nobody", json={"disabled": True})
    ).status_code == 404


async def test_audit_lines_say_from_where(client, database) -> None:
    await client.post("/api/v1/teams", json={"name": "team-5"})
    [(actor, client_address)] = database.rows(
        "SELECT actor, client FROM audit_log WHERE action = 'team.create'")  # fmt: skip
    assert actor == "coordinator-user"
    assert client_address
