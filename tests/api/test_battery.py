"""The whole API against bad input, generated from its own OpenAPI schema: every operation as
every role (anonymous, field phone, coordinator, leadership, admin), with NUL and other
control characters in every path parameter, query parameter and string field of the JSON
body, and integers beyond 64 bits in every integer one. Against a real server process on each
engine: 0 answers 5xx, 0 dropped connections, every refusal in the one error shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import engines
from tests.conftest import PASSWORD, LiveServer, _require_postgres, add_user

BIG = 2**64
DEFAULTS = {"kato": "431010000", "plan_id": "1", "device_id": "1", "item_id": "1",
            "login": "admin-user", "sha256": "0" * 64, "person_id": "p-1"}  # fmt: skip
ROLES = ("anonymous", "field", "coordinator", "leadership", "admin")


class Battery:
    """A live server on one engine with a signed-in client of every role."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.clients: dict[str, httpx.Client] = {}
        for role in ROLES:
            client = httpx.Client(base_url=server.url, timeout=60)
            if role not in ("anonymous", "field"):
                add_user(server.database, f"{role}-user", role)
                answer = client.post("/api/v1/session",
                                     json={"login": f"{role}-user", "password": PASSWORD})  # fmt: skip
                client.headers["x-csrf-token"] = answer.json()["csrf_token"]
            self.clients[role] = client
        add_user(server.database, "field-user", "field", "team-1")
        code = self.clients["coordinator"].post("/api/v1/devices/enrolments",
                                                json={"login": "field-user"}).json()["code"]  # fmt: skip
        token = self.clients["field"].post("/api/v1/devices/enrol", json={"code": code})
        self.clients["field"].headers["authorization"] = f"Bearer {token.json()['device_token']}"
        self.schema = self.clients["anonymous"].get("/schema/openapi.json").json()

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


@pytest.fixture(scope="module", params=engines.ENGINES)
def battery(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Battery]:
    if request.param == "postgresql":
        _require_postgres(request)  # skipped with the suite's banner, or failed in CI
    folder: Path = tmp_path_factory.mktemp(f"battery-{request.param}")
    with engines.fresh_database(request.param, folder) as database:
        server = LiveServer(database.url, folder / "server.log")
        server.start()
        try:
            found = Battery(server)
            yield found
            found.close()
        finally:
            server.stop()


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _types(node: dict[str, Any]) -> set[str]:
    kinds = node.get("type", [])
    found = set(kinds if isinstance(kinds, list) else [kinds])
    for option in node.get("oneOf", []) + node.get("anyOf", []):
        found |= _types(option)
    return found


def _body_fields(schema: dict[str, Any], node: dict[str, Any], depth: int = 0
                 ) -> list[tuple[list[str], str]]:  # fmt: skip
    """(path, 'string' or 'integer') of every field of a body, nested objects included."""
    node = _resolve(schema, node)
    found: list[tuple[list[str], str]] = []
    for name, prop in node.get("properties", {}).items():
        options = [_resolve(schema, o) for o in prop.get("oneOf", prop.get("anyOf", [prop]))]
        for option in options:
            kinds = _types(option)
            for kind in ("string", "integer"):
                if kind in kinds:
                    found.append(([name], kind))
            if "object" in kinds and depth < 2:
                found += [([name, *p], k) for p, k in _body_fields(schema, option, depth + 1)]
    return found


def _nest(path: list[str], value: Any) -> Any:
    for name in reversed(path):
        value = {name: value}
    return value


def requests_of(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, url, httpx keyword arguments) of every bad request the battery sends."""
    for template, item in schema["paths"].items():
        for method, operation in item.items():
            params = operation.get("parameters", [])
            path = {p["name"]: DEFAULTS.get(p["name"], "1") for p in params if p["in"] == "path"}

            def url(values: dict[str, str], template: str = template) -> str:
                for name, value in values.items():
                    template = template.replace("{" + name + "}", value)
                return template

            yield method, url(path), {}
            for param in params:
                kinds = _types(param.get("schema", {})) or {"string"}
                bad = ["%00", "a%0d%0aforged", "%1b%5b31m"] if param["in"] == "path" else [
                    "\x00", "a\r\nforged", "\t"]  # fmt: skip
                if "integer" in kinds:
                    bad += [str(BIG), "1" + "0" * 30, str(-BIG)]
                for value in bad:
                    if param["in"] == "path":
                        yield method, url({**path, param["name"]: value}), {}
                    else:
                        yield method, url(path), {"params": {param["name"]: value}}
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                for field, kind in _body_fields(schema, content["application/json"]["schema"]):
                    for value in (["a\x00b", "\x1b", "x\x7f\x08"] if kind == "string" else
                                  [BIG, -BIG - 1, 10**30]):  # fmt: skip
                        yield method, url(path), {"json": _nest(field, value)}


def push_bodies() -> list[dict[str, Any]]:
    """A push is checked mutation by mutation: bad ones among good ones."""
    base = {"mutation_id": "6f1d2a4e-0000-4000-8000-000000000001",
            "record_id": "6f1d2a4e-0000-4000-8000-0000000000aa", "kind": "meeting",
            "set": {"status": "held", "date": "2027-03-02", "hub": "431010000"}}  # fmt: skip
    bad = [
        {**base, "kind": "meeting\x00"},
        {**base, "set": {**base["set"], "notes": "a\x00b"}},
        {**base, "set": {**base["set"], "plan_meeting": "m\x00"}},
        {**base, "set": {**base["set"], "plan_id": BIG}},
        {**base, "base_version": BIG},
        {**base, "set": {"no\x00tes": "x"}},
    ]
    return [{"mutations": [{**m, "mutation_id": f"6f1d2a4e-0000-4000-8000-{i:012d}"}]}
            for i, m in enumerate(bad)] + [{"mutations": bad}, {"device": {"pending": BIG}}]  # fmt: skip


def test_every_operation_as_every_role_refuses_bad_input_cleanly(battery: Battery) -> None:
    sent, failures = 0, []
    cases = list(requests_of(battery.schema))
    cases += [("post", "/api/v1/sync/push", {"json": body}) for body in push_bodies()]
    for role, client in battery.clients.items():
        for method, url, options in cases:
            try:
                response = client.request(method.upper(), url, **options)
            except httpx.TransportError as exc:  # a dropped connection
                failures.append(f"{role} {method} {url} {options}: {exc!r}")
                continue
            sent += 1
            if response.status_code >= 500:
                failures.append(f"{role} {method} {url} {options}: {response.status_code}")
            elif response.status_code >= 400:
                error = response.json()
                if set(error) != {"code", "message", "status", "details", "request_id"}:
                    failures.append(f"{role} {method} {url}: not the error shape {error}")
    assert failures == [], "\n".join(failures[:40])
    assert sent > 2000  # every operation, every role
