"""The API documentation: OpenAPI 3.1 with the three ways to authenticate declared for every
operation as the role table says, and a viewer that reads 3.1, served from the app's own
files."""

from __future__ import annotations

import math
import re

import pytest
from litestar.testing import TestClient

from outreach.api import policy
from outreach.app import create_app
from outreach.config import Settings
from outreach.domain.wire import MAX_INT64

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def settings(tmp_path):
    """Documentation only: one engine is enough."""
    return Settings(database_url=f"sqlite:///{tmp_path / 'docs.db'}", secure_cookies=False)


def test_the_schema_declares_how_every_operation_is_authenticated(settings):
    with TestClient(app=create_app(settings)) as client:
        schema = client.get("/schema/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    schemes = schema["components"]["securitySchemes"]
    assert schemes["session"] == {**schemes["session"], "type": "apiKey", "in": "cookie",
                                  "name": "outreach_session"}  # fmt: skip
    assert schemes["csrf"] == {**schemes["csrf"], "type": "apiKey", "in": "header",
                               "name": "X-CSRF-Token"}  # fmt: skip
    assert schemes["device"] == {**schemes["device"], "type": "http", "scheme": "bearer"}
    walked = 0
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            walked += 1
            roles = policy.allowed(method, path)
            assert roles is not None, (method, path)
            security = item[method].get("security")
            if policy.PUBLIC in roles:
                assert not security, (method, path)
                continue
            ways = [set(way) for way in security]
            staff = bool(roles & {"coordinator", "leadership", "admin"})
            expected = []
            if staff:
                expected.append({"session", "csrf"} if method != "get" else {"session"})
            if "field" in roles:
                expected.append({"device"})
            assert ways == expected, (method, path, ways)
    assert walked == len(policy.POLICY)


def test_the_viewer_is_swagger_ui_5_from_local_files_only(settings):
    with TestClient(app=create_app(settings)) as client:
        page = client.get("/schema")
        assert page.status_code == 200
        assert not re.search(r"https?://", page.text.replace("http://www.w3.org", ""))
        assets = re.findall(r"(?:src|href)=['\"]([^'\"]+)['\"]", page.text)
        assert assets and all(a.startswith("/schema-assets/") for a in assets), assets
        for asset in assets:
            assert client.get(asset).status_code == 200, asset
        bundle = client.get("/schema-assets/swagger-ui-bundle.js").text
        assert re.search(r'PACKAGE_VERSION:"5\.\d+\.\d+"', bundle)


@pytest.mark.parametrize(
    "path",
    [
        "/schema-assets/",
        "/schema-assets/swagger-initializer.js",  # points at the petstore on the internet
        "/schema-assets/swagger-editor-bundle.js",
        "/schema-assets/swagger-ui-bundle.js.map",
        "/schema-assets/../__init__.py",
        "/schema-assets/%2e%2e/__init__.py",
    ],
)
def test_only_the_viewers_own_files_are_served(settings, path):
    with TestClient(app=create_app(settings)) as client:
        assert client.get(path).status_code == 404


def test_every_whole_number_a_request_takes_has_a_bound_the_databases_hold(settings):
    """`GET /audit?before=99999999999999999999` was a 500: SQLite cannot bind past 64 bits.
    Every integer parameter must say its maximum (so that it is refused with a 4xx first)."""
    with TestClient(app=create_app(settings)) as client:
        schema = client.get("/schema/openapi.json").json()
        unbounded = []
        for path, item in schema["paths"].items():
            for method in METHODS:
                for parameter in item.get(method, {}).get("parameters", []):
                    schema_ = parameter["schema"]
                    kinds = [schema_, *schema_.get("oneOf", [])]
                    if not any(k.get("type") == "integer" for k in kinds):
                        continue
                    # (the schema writes the bound as a float: 2**63 - 1 reads as 2**63)
                    if schema_.get("maximum", math.inf) > float(MAX_INT64):
                        unbounded.append((method, path, parameter["name"]))
        assert unbounded == []
