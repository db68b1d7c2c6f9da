"""A canary test: a resident's name, a phone number, a password and a device token used in
requests appear in no log output, at any level."""

from __future__ import annotations

import logging

from tests.conftest import PASSWORD, enrol_device

NAME = "Канарейка Сәуле Тестқызы"
PHONE = "+7 701 555 12 34"


async def test_no_personal_data_or_secret_reaches_the_logs(client, anonymous_phone, database,
                                                          caplog, capsys) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    token = await enrol_device(client, anonymous_phone, database, "aidos", "team-1")
    await anonymous_phone.get("/api/v1/field/plan")
    await anonymous_phone.get("/api/v1/field/plan", params={"note": NAME, "phone": PHONE})
    await client.patch("/api/v1/villages/431010000", json={"name": NAME, "phone": PHONE})
    await client.post("/api/v1/session", json={"login": NAME, "password": PHONE})
    await client.post("/api/v1/session", json={"login": "coordinator-user", "password": PASSWORD})
    await client.get("/api/v1/villages", params={"q": NAME})
    captured = capsys.readouterr()
    # httpx is the test's own client (a phone is not Python); everything else is the service
    service_records = [r for r in caplog.records if not r.name.startswith("httpx")]
    output = "\n".join(r.getMessage() for r in service_records) + captured.out + captured.err
    assert "GET /api/v1/field/plan" in output  # the access log did run
    for secret in (NAME, PHONE, PASSWORD, token, "Канарейка"):
        assert secret not in output
