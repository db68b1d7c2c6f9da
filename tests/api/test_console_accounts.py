"""What the console needs of accounts: coordinators list the field users (to enrol their
phones and move them), never staff accounts; admins list everyone; a team filter."""

from __future__ import annotations

from tests.conftest import PASSWORD, add_user, sign_in


async def test_a_coordinator_lists_only_field_users(client, database):
    add_user(database, "walker", "field", "team-1")
    add_user(database, "runner", "field", "team-2")
    add_user(database, "boss", "leadership")
    add_user(database, "root", "admin")
    users = (await client.get("/api/v1/users")).json()
    assert {u["login"] for u in users} == {"walker", "runner"}
    assert {u["role"] for u in users} == {"field"}
    team = (await client.get("/api/v1/users", params={"team": "team-2"})).json()
    assert [u["login"] for u in team] == ["runner"]


async def test_an_admin_lists_every_account(anonymous, database):
    await sign_in(anonymous, database, "admin")
    add_user(database, "walker", "field", "team-1")
    add_user(database, "boss", "leadership")
    users = {u["login"]: u["role"] for u in (await anonymous.get("/api/v1/users")).json()}
    assert users == {"admin-user": "admin", "walker": "field", "boss": "leadership"}


async def test_a_field_user_signing_in_on_the_web_is_told_to_use_the_phone(anonymous, database):
    add_user(database, "walker", "field", "team-1")
    signed = await anonymous.post("/api/v1/session",
                                  json={"login": "walker", "password": PASSWORD})  # fmt: skip
    assert signed.status_code == 403
    assert signed.json()["code"] == "use_enrolled_phone"


async def test_the_last_enabled_admin_cannot_be_disabled_or_demoted(anonymous, database):
    await sign_in(anonymous, database, "admin")  # admin-user: the only admin
    for change, field in (({"disabled": True}, "disabled"), ({"role": "coordinator"}, "role")):
        refused = await anonymous.patch("/api/v1/users/admin-user", json=change)
        assert refused.status_code == 409, refused.text
        body = refused.json()
        assert (body["code"], body["details"][0]["field"]) == ("last_admin", field)
    add_user(database, "second", "admin")
    demoted = await anonymous.patch("/api/v1/users/second", json={"role": "coordinator"})
    assert demoted.status_code == 200, demoted.text  # another admin remains: allowed
    add_user(database, "third", "admin")
    gone = await anonymous.patch("/api/v1/users/admin-user", json={"disabled": True})
    assert gone.status_code == 200, gone.text  # "third" is still an admin
    enabled = "SELECT login FROM users WHERE role = 'admin' AND disabled_at IS NULL"
    assert database.rows(enabled) == [("third",)]


async def test_only_field_users_belong_to_teams(client, anonymous, database):
    """Moving a user to a team ends their sessions, and a coordinator could move anyone: an
    admin trying to disable a rogue coordinator was signed out again and again."""
    await sign_in(anonymous, database, "admin")
    for login in ("admin-user", "coordinator-user"):
        moved = await client.post(f"/api/v1/users/{login}/team", json={"team": "team-1"})
        assert moved.status_code == 422, moved.text
        assert moved.json()["details"][0]["field"] == "team"
    assert (await anonymous.get("/api/v1/session")).status_code == 200  # still signed in
    assert (await client.get("/api/v1/session")).status_code == 200
    made = await anonymous.post("/api/v1/users", json={
        "login": "planner", "display_name": "Planner", "role": "coordinator",
        "password": PASSWORD, "team": "team-2"})  # fmt: skip
    assert made.status_code == 422, made.text
    add_user(database, "walker", "field", "team-1")  # a field user still moves
    moved = await client.post("/api/v1/users/walker/team", json={"team": "team-2"})
    assert moved.status_code == 200 and moved.json()["team"] == "team-2"
    # and leaves the team when made staff
    promoted = await anonymous.patch("/api/v1/users/walker", json={"role": "coordinator"})
    assert promoted.status_code == 200 and promoted.json()["team"] is None, promoted.text
