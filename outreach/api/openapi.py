"""The OpenAPI document's security: how each operation is authenticated, read from the one role
table (api/policy.py), so the documentation and the guard can never disagree; and the viewer's
files, served by the app itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import swagger_ui  # type: ignore[import-untyped]
from litestar import Litestar, Router
from litestar.file_system import BaseLocalFileSystem
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme
from litestar.routes import HTTPRoute
from litestar.static_files import create_static_files_router
from litestar.types import Empty, FileInfo, PathType

from outreach.api import policy
from outreach.api.auth import COOKIE

# Swagger UI 5 (reads OpenAPI 3.1, which Litestar writes), from the swagger-ui-py package
VIEWER_FILES = (Path(swagger_ui.__file__).parent / "static").resolve()
# what the /schema page loads, and the licence; not the package's Swagger Editor, source maps or
# swagger-initializer.js (which points at the petstore on the internet)
VIEWER_ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                           "swagger-ui.css", "favicon-32x32.png", "LICENSE"})  # fmt: skip
STAFF_ROLES = frozenset({"coordinator", "leadership", "admin"})
WRITES = ("post", "put", "patch", "delete")


class ViewerFiles(BaseLocalFileSystem):
    """VIEWER_FILES as a static-files router sees it: only VIEWER_ASSETS exist."""

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        found = Path(path)
        if found.parent != VIEWER_FILES or found.name not in VIEWER_ASSETS:
            raise FileNotFoundError(path)
        return await super().info(path, **kwargs)


def viewer_files(path: str) -> Router:
    """The router that serves the viewer's files (VIEWER_ASSETS only) under `path`."""
    return create_static_files_router(
        path=path, directories=[VIEWER_FILES], file_system=ViewerFiles(), name="docs"
    )


COMPONENTS = Components(
    security_schemes={
        "session": SecurityScheme(
            type="apiKey", name=COOKIE, security_scheme_in="cookie",
            description="A web session (coordinators, leadership, admins): the cookie that "
            "`POST /api/v1/session` sets.",
        ),
        "csrf": SecurityScheme(
            type="apiKey", name="X-CSRF-Token", security_scheme_in="header",
            description="With the session cookie, every write carries the session's CSRF "
            "token (`csrf_token` in the answer of `POST /api/v1/session` or `GET "
            "/api/v1/session`).",
        ),
        "device": SecurityScheme(
            type="http", scheme="bearer",
            description="A field phone's device token, from `POST /api/v1/devices/enrol`.",
        ),
    }
)  # fmt: skip


def requirements(method: str, path: str) -> list[SecurityRequirement] | None:
    """The ways an operation may be authenticated (alternatives); None when it is public or
    not in the role table."""
    roles = policy.allowed(method, path)
    if roles is None or policy.PUBLIC in roles:
        return None
    found: list[SecurityRequirement] = []
    if roles & STAFF_ROLES:
        found.append({"session": [], "csrf": []} if method.lower() in WRITES else {"session": []})
    if "field" in roles:
        found.append({"device": []})
    return found


def declare_security(app: Litestar) -> None:
    """Give every API operation of `app` its security requirements, from the role table."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            methods = sorted(handler.http_methods)
            found = requirements(methods[0], route.path_format) if len(methods) == 1 else None
            handler.security = found
            handler._resolved_security = Empty  # resolved again from the layers, with it
