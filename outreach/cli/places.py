"""Districts and settlements named on the command line: by KATO code or by a name in any of
Kazakh, Russian or English (folded, so case and spelling variants do not matter)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from outreach.domain.errors import InvalidInput
from outreach.domain.gazetteer import District, Names, PlanningSite
from outreach.domain.names import fold

MAX_CANDIDATES = 8
# first cells that make a lodgings file's first line a header, not a place
_CELL_END = re.compile(r"[,;\t]")
HEADER_WORDS = {
    fold(word)
    for word in (
        "kato",
        "name",
        "name_kk",
        "name_ru",
        "name_en",
        "lodging",
        "lodgings",
        "settlement",
    )
}


def _named(names: Names, text: str, *, prefix: bool = False) -> bool:
    wanted = fold(text)
    folded = [fold(n) for n in (names.kk, names.ru, names.en) if n]
    return any(f.startswith(wanted) if prefix else f == wanted for f in folded)


def district_kato(text: str, known: Sequence[District], option: str = "--district") -> str:
    """The KATO code of the one district `text` names (its code, its name or the start of
    its name); InvalidInput listing the candidates when it names none or several."""
    everyone = _listed([_district(d) for d in known])
    if text.isdigit():
        if text not in {d.kato for d in known}:
            raise InvalidInput(f"{option} {text}: no district has this KATO code ({everyone})")
        return text
    exact = [d for d in known if _named(d.names, text)]
    matches = exact or [d for d in known if _named(d.names, text, prefix=True)]
    if len(matches) == 1:
        return matches[0].kato
    if not matches:
        raise InvalidInput(
            f"{option} {text!r} names 0 districts; use a KATO code or a name of one of: {everyone}"
        )
    raise InvalidInput(
        f"{option} {text!r} names {len(matches)} districts; use a KATO code or "
        f"a longer name: {_listed([_district(d) for d in matches])}"
    )


def settlement(
    text: str, sites: Sequence[PlanningSite], districts: Sequence[District]
) -> PlanningSite:
    """The one settlement `text` names (its KATO code, or its whole name in any language);
    InvalidInput naming the candidates when it names none or several."""
    text = text.strip()
    if text.isdigit():
        found = [s for s in sites if s.kato == text]
        if not found:
            raise InvalidInput(f"no settlement has the KATO code {text}")
        return found[0]
    matches = [s for s in sites if _named(s.names, text)]
    if len(matches) == 1:
        return matches[0]
    where = {d.kato: d.names.en or d.names.ru for d in districts}
    if matches:
        raise InvalidInput(
            f"{text!r} names {len(matches)} settlements; use a KATO code: "
            + _listed([_site(s, where) for s in matches])
        )
    similar = [_site(s, where) for s in sites if _named(s.names, text, prefix=True)]
    hint = f" (names starting so: {_listed(similar)})" if similar else ""
    raise InvalidInput(f"no settlement is named {text!r}{hint}")


def located(site: PlanningSite) -> str:
    """The site's KATO code if it has a surveyed position, which a base or lodging needs."""
    if site.location_quality != "exact" or site.position is None:
        raise InvalidInput(
            f"{site.names.ru} ({site.kato}) has no surveyed position (it is placed "
            "approximately); choose a settlement with coordinates"
        )
    return site.kato


def _listed(items: list[str]) -> str:
    more = len(items) - MAX_CANDIDATES
    return ", ".join(items[:MAX_CANDIDATES]) + (f" and {more} more" if more > 0 else "")


def _district(d: District) -> str:
    return f"{d.kato} {d.names.en or d.names.ru}"


def _site(s: PlanningSite, districts: dict[str, str]) -> str:
    return f"{s.kato} {s.names.ru} ({districts.get(s.district_kato, s.district_kato)})"


def lodging_lines(path: Path) -> list[tuple[int, str]]:
    """The places a lodgings file names, with their line numbers: one KATO code or name per
    line (the first cell of a CSV line: `,`, `;` or a tab ends it); a header line and `#`
    comments are allowed."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"--lodgings {path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"--lodgings {path}: not UTF-8 text (byte {exc.start})") from None
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        first = _CELL_END.split(line, maxsplit=1)[0].strip().strip('"').strip()
        if not first or first.startswith("#"):
            continue
        if not lines and fold(first) in HEADER_WORDS:
            continue
        lines.append((number, first))
    if not lines:
        raise InvalidInput(
            f"--lodgings {path}: names no settlement (one KATO code or name per line)"
        )
    return lines


def lodgings(
    path: Path,
    lines: list[tuple[int, str]],
    sites: Sequence[PlanningSite],
    districts: Sequence[District],
) -> list[str]:
    """The KATO codes of the lodgings the file's lines name, in file order; InvalidInput
    naming every bad line."""
    katos: list[str] = []
    problems: list[dict[str, Any]] = []
    for number, text in lines:
        try:
            kato = located(settlement(text, sites, districts))
        except InvalidInput as exc:
            problems.append({"file": f"--lodgings {path}", "line": number, "message": exc.message})
            continue
        if kato not in katos:
            katos.append(kato)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InvalidInput(
            f"{first['file']}: line {first['line']}: {first['message']}{more}", details=problems
        )
    return katos
