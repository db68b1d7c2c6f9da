"""Plans kept in the database: drafts, the published plan, superseded versions."""

from __future__ import annotations

from outreach.db import gazetteer as sql
from outreach.db.database import Database
from outreach.services.planning import Snapshot


async def snapshot(db: Database) -> Snapshot:
    """Every settlement and district, read in one transaction, with the gazetteer version."""
    async with db.read() as tx:
        sites = await sql.planning_sites(tx, [])
        districts = await sql.list_districts(tx)
        return Snapshot(sites=sites, districts=districts, version=await sql.version(tx))
