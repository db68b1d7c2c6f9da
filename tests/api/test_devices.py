"""Field devices: enrolment, bearer tokens, revocation, and each team seeing only its own."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from outreach.app import create_app
from tests.conftest import PASSWORD, add_user, enrol_device, sign_in

SPRING = {"start": "2027-03-01", "end": "2027-05-28", "districts": ["434600000"]}


@pytest.fixture
async def phones(settings, database):
    """A coordinator's client and two phones, each its own app process on one database."""
    async with (
        AsyncTestClient(app=create_app(settings)) as coordinator,
        AsyncTestClient(app=create_app(settings)) as one,
        AsyncTestClient(app=create_app(settings)) as two,
    ):
        await sign_in(coordinator, database, "coordinator")
        yield coordinator, one, two


def db_exec(database, sql: str) -> None:
    database.execute(sql)


async def test_enrolment_code_is_text_and_qr_and_works_once(phones, database) -> None:
    coordinator, phone, other = phones
    add_user(database, "aidos", "field", "team-1")
    issued = (await coordinator.post("/api/v1/devices/enrolments", json={"login": "aidos"})).json()
    assert len(issued["code"]) == 14 and issued["qr_svg"].startswith("<svg")
    first = await phone.post("/api/v1/devices/enrol", json={"code": issued["code"].lower()})
    assert first.status_code == 201
    again = await other.post("/api/v1/devices/enrol", json={"code": issued["code"]})
    assert (again.status_code, again.json()["code"]) == (401, "invalid_enrolment_code")
    token = first.json()["device_token"]
    stored = repr(database.rows("SELECT * FROM devices"))
    codes = repr(database.rows("SELECT * FROM enrolment_codes"))
    assert token not in stored and issued["code"].replace("-", "") not in codes


async def test_expired_code_is_refused(phones, database) -> None:
    coordinator, phone, _ = phones
    add_user(database, "aidos", "field", "team-1")
    issued = (await coordinator.post("/api/v1/devices/enrolments", json={"login": "aidos"})).json()
    db_exec(database, "UPDATE enrolment_codes SET expires_at = '2020-01-01T00:00:00.000+00:00'")
    response = await phone.post("/api/v1/devices/enrol", json={"code": issued["code"]})
    assert response.status_code == 401


async def test_codes_only_for_enabled_field_users(phones, database) -> None:
    coordinator, _, _ = phones
    response = await coordinator.post("/api/v1/devices/enrolments",
                                      json={"login": "coordinator-user"})  # fmt: skip
    assert response.status_code == 422


@pytest.mark.parametrize(("sql", "code"), [
    ("UPDATE devices SET revoked_at = 'now'", "device_revoked"),
    ("UPDATE users SET disabled_at = 'now' WHERE role = 'field'", "user_disabled"),
    ("UPDATE devices SET expires_at = '2020-01-01T00:00:00.000+00:00'", "device_expired"),
])  # fmt: skip
async def test_device_refused_on_the_very_next_request(phones, database, sql, code) -> None:
    coordinator, phone, _ = phones
    await enrol_device(coordinator, phone, database, "aidos", "team-1")
    assert (await phone.get("/api/v1/field/plan")).status_code == 200
    db_exec(database, sql)
    response = await phone.get("/api/v1/field/plan")
    assert (response.status_code, response.json()["code"]) == (401, code)


async def test_revoke_through_the_api(phones, database) -> None:
    coordinator, phone, _ = phones
    await enrol_device(coordinator, phone, database, "aidos", "team-1")
    (device,) = (await coordinator.get("/api/v1/devices")).json()
    revoked = await coordinator.post(f"/api/v1/devices/{device['id']}/revoke")
    assert revoked.json()["revoked"] is True
    assert (await phone.get("/api/v1/field/plan")).json()["code"] == "device_revoked"


async def test_tampered_missing_or_url_token_is_refused(phones, database) -> None:
    coordinator, phone, _ = phones
    token = await enrol_device(coordinator, phone, database, "aidos", "team-1")
    phone.headers["authorization"] = f"Bearer {token[:-2]}zz"
    assert (await phone.get("/api/v1/field/plan")).status_code == 401
    del phone.headers["authorization"]
    assert (await phone.get("/api/v1/field/plan")).status_code == 401
    assert (await phone.get("/api/v1/field/plan", params={"token": token})).status_code == 401
    assert (await phone.get("/api/v1/field/plan",
                            params={"access_token": token})).status_code == 401  # fmt: skip


async def test_each_team_sees_only_its_own_plan(phones, database) -> None:
    coordinator, one, two = phones
    await enrol_device(coordinator, one, database, "aidos", "team-1")
    await enrol_device(coordinator, two, database, "bota", "team-2")
    plan = (await coordinator.post("/api/v1/plans", json={**SPRING, "teams": 2})).json()
    await coordinator.post(f"/api/v1/plans/{plan['summary']['id']}/publish")
    mine, theirs = (
        (await one.get("/api/v1/field/plan")).json(),
        (await two.get("/api/v1/field/plan")).json(),
    )
    assert {d["team"] for d in mine[0]["days"]} == {"team-1"}
    assert {d["team"] for d in theirs[0]["days"]} == {"team-2"}
    assert {m["team"] for m in mine[0]["meetings"]} == {"team-1"}
    ids_one = {m["id"] for m in mine[0]["meetings"]}
    assert not ids_one & {m["id"] for m in theirs[0]["meetings"]}
    # the whole plan, with the other team's part, is invisible to phones: 404, not 403
    for path in ("", "/itinerary.csv", "/routes.geojson"):
        response = await one.get(f"/api/v1/plans/{plan['summary']['id']}{path}")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


async def test_device_writes_need_no_csrf_token_but_stay_in_their_role(phones, database) -> None:
    coordinator, phone, _ = phones
    await enrol_device(coordinator, phone, database, "aidos", "team-1")
    response = await phone.patch("/api/v1/villages/431010000", json={"population": 1})
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


@pytest.fixture
async def admin_and_phone(settings, database):
    """An admin's client, a phone of `aidos` (team-1), and the coordinator who enrolled it."""
    async with (
        AsyncTestClient(app=create_app(settings)) as admin,
        AsyncTestClient(app=create_app(settings)) as phone,
        AsyncTestClient(app=create_app(settings)) as coordinator,
    ):
        await sign_in(admin, database, "admin")
        await sign_in(coordinator, database, "coordinator")
        await enrol_device(coordinator, phone, database, "aidos", "team-1")
        assert (await phone.get("/api/v1/field/plan")).status_code == 200
        yield admin, phone, coordinator


@pytest.mark.parametrize("role", ["coordinator", "admin"])
async def test_promoted_users_phone_no_longer_acts(admin_and_phone, database, role) -> None:
    admin, phone, _ = admin_and_phone
    promoted = await admin.patch("/api/v1/users/aidos", json={"role": role})
    assert promoted.json()["role"] == role
    new_user = {"login": "mallory", "display_name": "M", "role": "admin",
                "password": "a long enough password"}  # fmt: skip
    for response in [await phone.get("/api/v1/sync/review"), await phone.get("/api/v1/audit"),
                     await phone.post("/api/v1/users", json=new_user)]:  # fmt: skip
        assert (response.status_code, response.json()["code"]) == (401, "device_role_changed")
    assert database.scalar("SELECT count(*) FROM users WHERE login = 'mallory'") == 0
    assert database.scalar("SELECT count(*) FROM devices WHERE revoked_at IS NULL") == 0
    # demoted back to field, the old token stays dead: the phone enrols again
    await admin.patch("/api/v1/users/aidos", json={"role": "field"})
    response = await phone.get("/api/v1/field/plan")
    assert (response.status_code, response.json()["code"]) == (401, "device_revoked")
    actions = [e["action"] for e in (await admin.get("/api/v1/audit")).json()]
    assert "user.signed_out" in actions


async def test_token_of_a_user_no_longer_field_is_refused(admin_and_phone, database) -> None:
    _, phone, _ = admin_and_phone
    database.execute("UPDATE users SET role = 'admin' WHERE login = 'aidos'")  # not revoked
    response = await phone.get("/api/v1/audit")
    assert (response.status_code, response.json()["code"]) == (401, "device_role_changed")


async def test_team_move_ends_the_old_device(admin_and_phone, database) -> None:
    admin, phone, _ = admin_and_phone
    moved = await admin.post("/api/v1/users/aidos/team", json={"team": "team-2"})
    assert moved.json()["team"] == "team-2"
    response = await phone.get("/api/v1/field/plan")
    assert (response.status_code, response.json()["code"]) == (401, "device_revoked")


async def test_reenabling_revives_no_session_or_device(admin_and_phone, database) -> None:
    admin, phone, other = admin_and_phone
    assert (await other.get("/api/v1/session")).status_code == 200
    for login in ("coordinator-user", "aidos"):
        assert (await admin.patch(f"/api/v1/users/{login}", json={"disabled": True})).is_success
        assert (await admin.patch(f"/api/v1/users/{login}", json={"disabled": False})).is_success
    response = await other.get("/api/v1/session")
    assert (response.status_code, response.json()["code"]) == (401, "sign_in_required")
    response = await phone.get("/api/v1/field/plan")
    assert (response.status_code, response.json()["code"]) == (401, "device_revoked")
    # signing in again works: only the old session ended
    again = {"login": "coordinator-user", "password": PASSWORD}
    assert (await other.post("/api/v1/session", json=again)).status_code == 200
