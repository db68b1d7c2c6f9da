"""Synthetic gazetteer CSV files for import tests."""

from __future__ import annotations

import csv
import io

from outreach.domain.gazetteer_csv import SETTLEMENT_OPTIONAL, SETTLEMENT_REQUIRED

COLUMNS = SETTLEMENT_REQUIRED + SETTLEMENT_OPTIONAL


def make_rows(
    district: str, okrugs: int = 3, per_okrug: int = 4, *, lat: float = 44.0, lon: float = 66.0
) -> list[dict[str, str]]:
    """Rows of one district (KATO `district`, 9 digits ending 00000), all located near lat/lon;
    the first is a town, which becomes the district's centre."""
    rows = []
    for o in range(okrugs):
        okrug = f"{district[:4]}{o + 10:02d}000"
        for s in range(per_okrug):
            kato = f"{okrug[:6]}{(s + 1) * 100:03d}"
            rows.append({
                "kato": kato, "name_ru": f"Тест{kato}", "name_kk": f"Тест{kato}ә",
                "kind": "town" if not rows else "village", "district_kato": district, "district_ru": f"Район {district}",
                "rural_okrug_kato": okrug, "rural_okrug_ru": f"Округ {okrug} с.о.",
                "lat": f"{lat + o * 0.05 + s * 0.01:.5f}", "lon": f"{lon + s * 0.01:.5f}",
                "population": str(100 + s),
            })  # fmt: skip
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return out.getvalue().encode()
