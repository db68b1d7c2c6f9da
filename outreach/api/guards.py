"""Guards: who may call what. Accounts and roles arrive with the accounts issue; every
handler that changes the gazetteer already passes through `coordinator_only`."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler


async def coordinator_only(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Admit coordinators only. Until sign-in exists every caller is let through; this is the
    one place the role check goes (see the accounts issue)."""
    return None
