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
