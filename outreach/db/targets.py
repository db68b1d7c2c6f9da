"""SQL of targets per campaign and district."""

from __future__ import annotations

from outreach.db.database import Tx
from outreach.domain.targets import Target

_FIGURES = ("villages", "residents", "trained", "financed", "financed_tenge")


async def targets(tx: Tx, campaign: str | None = None) -> list[Target]:
    """Every target (of one campaign, or all)."""
    rows = await tx.fetch_all(
        f"SELECT campaign, district, {', '.join(_FIGURES)} FROM targets"
        " WHERE CAST(:campaign AS TEXT) IS NULL OR campaign = :campaign"
        " ORDER BY campaign, district",
        {"campaign": campaign},
    )
    return [Target(campaign=r[0], district=r[1], **dict(zip(_FIGURES, r[2:], strict=True)))
            for r in rows]  # fmt: skip


async def put(tx: Tx, target: Target, by: str, at: str) -> None:
    """Set a campaign's targets in a district (all figures at once)."""
    values = [getattr(target, f) for f in _FIGURES]
    await tx.execute(
        f"INSERT INTO targets (campaign, district, {', '.join(_FIGURES)}, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign, district) DO UPDATE SET "
        + ", ".join(f"{f} = excluded.{f}" for f in (*_FIGURES, "updated_at", "updated_by")),
        [target.campaign, target.district, *values, at, by],
    )
