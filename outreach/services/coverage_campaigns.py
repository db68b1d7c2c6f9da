"""The campaigns coverage is filtered by: the published plans, and the one under way in
Kazakhstan today."""

from __future__ import annotations

from datetime import date

from outreach.db import plans as plans_sql
from outreach.db.database import Database, Tx
from outreach.domain.coverage_campaigns import CampaignPeriod, Campaigns, campaigns
from outreach.domain.planning import PlanDocument, PlanSummary
from outreach.services.clock import today_local


async def published(tx: Tx) -> list[tuple[PlanSummary, PlanDocument]]:
    """Every published plan with its document."""
    summaries = [s for s in await plans_sql.list_summaries(tx, None) if s.status == "published"]
    found = [(s, await plans_sql.get_document(tx, s.id)) for s in summaries]
    return [(s, doc) for s, doc in found if doc is not None]


async def periods(db: Database, today: date | None = None) -> Campaigns:
    """The published plans by start date, and the current one on `today` (by default
    Kazakhstan's today)."""
    async with db.read() as tx:
        found = await published(tx)
    listed = [
        CampaignPeriod(id=s.id, name=doc.spec.name, campaign=s.campaign, start=doc.spec.start,
                       end=doc.spec.end, districts=list(doc.spec.districts))
        for s, doc in found
    ]  # fmt: skip
    return campaigns(listed, today or today_local())
