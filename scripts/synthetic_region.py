"""Write docs/examples/dala/: a made-up second region (Dala oblast, KATO 99) in the columns of
the shipped gazetteer, for the command-line example in docs/cli.md and its test. Deterministic:
running it again writes the same files. One village has its lat and lon swapped on purpose."""

from __future__ import annotations

import csv
import io
import math
import random
import sys
from pathlib import Path

from outreach.config import KYZYLORDA_DIR

FOLDER = Path(__file__).resolve().parent.parent / "docs" / "examples" / "dala"
SWAPPED = "994004300"  # this village's lat and lon are written the wrong way round
SOURCE = "synthetic (scripts/synthetic_region.py)"

# district KATO: (kk, ru, en names; centre KATO, kind, kk/ru/en names, lat, lon, population)
DISTRICTS = {
    "992000000": (
        ("Сарыарқа ауданы", "Сарыаркинский район", "Saryarka District"),
        ("992010100", "city", ("Далакент", "Далакент", "Dalakent"), 48.05, 70.10, 95000),
    ),
    "994000000": (
        ("Жаңадала ауданы", "Жанадалинский район", "Zhanadala District"),
        ("994010100", "town", ("Жаңадала", "Жанадала", "Zhanadala"), 48.75, 71.30, 14200),
    ),
    "996000000": (
        ("Көктөбе ауданы", "Коктюбинский район", "Koktobe District"),
        ("996010100", "town", ("Көктөбе", "Коктобе", "Koktobe"), 47.35, 71.05, 9800),
    ),
}
# the villages of each district's three okrugs; the first of an okrug is its centre
VILLAGES = [
    ["Ақтау", "Жаркөл", "Талды", "Ақбұлақ"],
    ["Бесоба", "Сарыбұлақ", "Көкжар", "Ақши", "Бозтал"],
    ["Қарасу", "Қызылжар", "Тасқұдық", "Шұбар"],
    ["Есіл", "Бірлік", "Жаңаауыл", "Қайнар", "Ортау"],
    ["Алғабас", "Қосағаш", "Қарабұлақ", "Айдарлы"],
    ["Ақбұлақ", "Жетібай", "Егінді", "Күмісті"],
    ["Тоғызқұдық", "Қараой", "Ақкөл", "Балықты", "Шоқпар"],
    ["Ынталы", "Береке", "Достық", "Түгіскен"],
    ["Қоянды", "Сарысу", "Нұра", "Жаңатұрмыс"],
]
RUSSIAN = str.maketrans("ҚқҒғҢңҰұҮүӨөӘәІіҺһ", "КкГгНнУуУуОоАаИиХх")
LATIN = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "a",
            "g",
            "q",
            "n",
            "o",
            "u",
            "u",
            "h",
            "i",
        ],
        strict=True,
    )
)


def english(kk: str) -> str:
    """A plain transliteration, as the shipped gazetteer's generated English names."""
    return "".join(LATIN.get(c.lower(), c) for c in kk).capitalize()


def moved(lat: float, lon: float, km: float, bearing_deg: float) -> tuple[float, float]:
    """A point `km` from (lat, lon) on a bearing, near enough on a flat steppe."""
    angle = math.radians(bearing_deg)
    dlat = km * math.cos(angle) / 111.2
    dlon = km * math.sin(angle) / (111.2 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def settlements(rng: random.Random) -> list[dict[str, str]]:
    rows = []
    for d, (district, (names, centre)) in enumerate(DISTRICTS.items()):
        kato, kind, (kk, ru, en), lat, lon, population = centre
        common = {
            "district_kato": district,
            "district_kk": names[0],
            "district_ru": names[1],
            "coord_source": SOURCE,
            "population_source": SOURCE,
        }
        rows.append(
            {
                "kato": kato,
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "kind": kind,
                "lat": f"{lat}",
                "lon": f"{lon}",
                "population": str(population),
                **common,
            }
        )
        for o in range(3):
            okrug = f"{district[:4]}{o + 3:02d}000"
            okrug_kk = f"{VILLAGES[3 * d + o][0]} ауылдық округі"
            okrug_ru = f"{VILLAGES[3 * d + o][0].translate(RUSSIAN)}ский с.о."
            hub = moved(lat, lon, rng.uniform(25, 45), 120 * o + rng.uniform(0, 60))
            for v, name in enumerate(VILLAGES[3 * d + o]):
                village = f"{okrug[:6]}{v + 1}00"
                where = hub if v == 0 else moved(*hub, rng.uniform(4, 20), rng.uniform(0, 360))
                located = v == 0 or rng.random() > 0.2
                lat_lon = (where[::-1] if village == SWAPPED else where) if located else None
                rows.append(
                    {
                        "kato": village,
                        "name_kk": name,
                        "name_ru": name.translate(RUSSIAN),
                        "name_en": english(name),
                        "kind": "village",
                        "rural_okrug_kato": okrug,
                        "rural_okrug_kk": okrug_kk,
                        "rural_okrug_ru": okrug_ru,
                        "lat": f"{lat_lon[0]}" if lat_lon else "",
                        "lon": f"{lat_lon[1]}" if lat_lon else "",
                        "population": str(rng.randrange(150, 3000, 10)),
                        **common,
                        "coord_source": SOURCE if lat_lon else "",
                    }
                )
    return rows


def shipped_columns() -> tuple[str, ...]:
    """The shipped settlements.csv's columns, in its order."""
    with (KYZYLORDA_DIR / "settlements.csv").open(encoding="utf-8-sig", newline="") as shipped:
        return tuple(next(csv.reader(shipped)))


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({c: row.get(c, "") for c in columns} for row in rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def main(folder: Path = FOLDER) -> None:
    """Write settlements.csv, districts.csv and lodgings.txt into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder / "settlements.csv",
        shipped_columns(),
        settlements(random.Random(20)),  # noqa: S311 (a fixed made-up region, not a secret)
    )
    districts = [
        {
            "kato": kato,
            "name_kk": kk,
            "name_ru": ru,
            "name_en": en,
            "center_name": centre[2][1],
            "center_lat": f"{centre[3]}",
            "center_lon": f"{centre[4]}",
        }
        for kato, ((kk, ru, en), centre) in DISTRICTS.items()
    ]
    write_csv(
        folder / "districts.csv",
        ("kato", "name_kk", "name_ru", "name_en", "center_name", "center_lat", "center_lon"),
        districts,
    )
    (folder / "lodgings.txt").write_text(
        "# where teams may sleep, by name or KATO code: one per line\n"
        "settlement\nDalakent\nКарасу\n996004100\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
