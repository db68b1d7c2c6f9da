"""A plan document as GeoJSON, as a CSV itinerary, and as a printable day sheet."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from html import escape
from typing import Literal

from outreach.domain import geojson
from outreach.domain.planning import PlanDay, PlanDocument
from outreach.domain.spreadsheet import csv_cell

Lang = Literal["kk", "ru", "en"]
ITINERARY_COLUMNS = (
    "team", "date", "order", "arrive", "start", "end", "hub_kato", "hub_name", "villages",
    "expected_attendance", "road_km_from_previous", "travel_min_from_previous",
    "approximate_leg",
)  # fmt: skip
LABELS: dict[Lang, dict[str, str]] = {
    "kk": {"title": "Күн парағы", "team": "Топ", "date": "Күні", "from": "Шығу",
           "to": "Түнеу", "arrive": "Келу", "meeting": "Кездесу", "villages": "Ауылдар",
           "km": "км", "min": "мин", "finish": "Аяқталуы", "none": "Бұл күні кездесу жоқ"},
    "ru": {"title": "План дня", "team": "Команда", "date": "Дата", "from": "Выезд",
           "to": "Ночлег", "arrive": "Прибытие", "meeting": "Встреча", "villages": "Сёла",
           "km": "км", "min": "мин", "finish": "Окончание", "none": "В этот день встреч нет"},
    "en": {"title": "Day sheet", "team": "Team", "date": "Date", "from": "Leave from",
           "to": "Night at", "arrive": "Arrive", "meeting": "Meeting", "villages": "Villages",
           "km": "km", "min": "min", "finish": "Finish", "none": "No meetings this day"},
}  # fmt: skip


def _name(document: PlanDocument, place_id: str, lang: Lang) -> str:
    place = next((p for p in document.places if p.id == place_id), None)
    if place is None:
        return place_id
    return getattr(place.names, lang) or place.names.ru


def routes_geojson(document: PlanDocument) -> geojson.FeatureCollection:
    """Hubs as points (with team, date and start; `approximate` where the hub's position is a
    fallback; a hub with no position at all is left out) and each team-day's route as a
    line."""
    places = {p.id: p for p in document.places}
    features = [
        geojson.Feature(id=m.id, geometry=geojson.point(m.hub.position), properties={
            "kind": "meeting", "hub_name_ru": m.hub.names.ru, "team": m.team,
            "date": m.date.isoformat() if m.date else None, "start": m.start,
            "villages": len(m.members), "expected_attendance": m.expected_attendance,
            "approximate": m.hub.approximate,
        })
        for m in document.meetings
        if m.hub.position is not None
    ]  # fmt: skip
    for day in document.days:
        path = [day.start_place, *(s.place for s in day.stops), day.end_place]
        at = [places[p].position for p in path]
        line = geojson.LineStringGeometry(coordinates=[(a.lon, a.lat) for a in at if a])
        features.append(geojson.Feature(
            id=f"{day.team}/{day.date.isoformat()}", geometry=line,
            properties={"kind": "route", "team": day.team, "date": day.date.isoformat(),
                        "road_km": day.road_km, "meetings": len(day.stops)},
        ))  # fmt: skip
    return geojson.collection(features)


def itinerary_csv(document: PlanDocument, team: str | None = None) -> str:
    """One row per meeting stop, in team, date and route order."""
    meetings = {m.id: m for m in document.meetings}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ITINERARY_COLUMNS)
    for day in document.days:
        if team is not None and day.team != team:
            continue
        for order, stop in enumerate(day.stops, start=1):
            meeting = meetings[stop.meeting_id]
            writer.writerow([csv_cell(cell) for cell in (
                day.team, day.date.isoformat(), order, stop.arrive, stop.start, stop.end,
                meeting.hub.id.removeprefix("g-"), meeting.hub.names.ru,
                "; ".join(m.names.ru for m in meeting.members), meeting.expected_attendance,
                stop.road_km, stop.travel_min, "yes" if stop.approximate else "",
            )])  # fmt: skip
    return out.getvalue()


def day_sheet_html(document: PlanDocument, team: str, day: date, lang: Lang = "kk",
                   days: int = 1) -> str:  # fmt: skip
    """A printable sheet of one team's `days` consecutive calendar days from `day`, a page per
    day with meetings (a single day is shown even without): where the team leaves, each
    meeting, where it sleeps."""
    text = LABELS[lang]
    wanted = {day + timedelta(days=n) for n in range(days)}
    found = sorted((d for d in document.days if d.team == team and d.date in wanted and d.stops),
                   key=lambda d: d.date)  # fmt: skip
    if days == 1:
        found = [d for d in document.days if d.team == team and d.date == day][:1]
    pages = [_day_page(document, d, lang) for d in found] or [_empty_page(team, day, lang)]
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{text["title"]}</title>
<style>@page{{size:A4;margin:1cm}}body{{font:14px/1.4 system-ui,sans-serif;margin:1.5cm}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #444;padding:6px;
vertical-align:top;text-align:left}}section+section{{break-before:page;page-break-before:always}}
@media print{{body{{margin:0}}}}</style></head><body>
<h1>{text["title"]}: {escape(document.name)}</h1>
{"".join(pages)}</body></html>
"""


# `team-N`, the name a team gets by default, as people say it (a team named otherwise is its name)
_TEAM_N: dict[Lang, str] = {"kk": "{n}-топ", "ru": "команда {n}", "en": "team {n}"}


def team_label(team: str, lang: Lang) -> str:
    """A team as its day sheet names it: `team-2` is "2-топ" in Kazakh."""
    numbered = re.fullmatch(r"team-([0-9]+)", team)
    return _TEAM_N[lang].format(n=numbered[1]) if numbered else team


def _heading(team: str, day: date, lang: Lang) -> str:
    text = LABELS[lang]
    return (f"<p>{text['team']}: <b>{escape(team_label(team, lang))}</b> · {text['date']}: "
            f"<b>{day.strftime('%d.%m.%Y')}</b></p>")  # fmt: skip


def _empty_page(team: str, day: date, lang: Lang) -> str:
    return f"<section>{_heading(team, day, lang)}<p>{LABELS[lang]['none']}</p></section>\n"


def _day_page(document: PlanDocument, found: PlanDay, lang: Lang) -> str:
    text = LABELS[lang]
    meetings = {m.id: m for m in document.meetings}
    rows = []
    for order, stop in enumerate(found.stops, start=1):
        meeting = meetings[stop.meeting_id]
        villages = ", ".join(escape(getattr(m.names, lang) or m.names.ru)
                             for m in meeting.members)  # fmt: skip
        rows.append(
            f"<tr><td>{order}</td><td>{stop.arrive}</td><td>{stop.start}–{stop.end}</td>"
            f"<td><b>{escape(_name(document, stop.place, lang))}</b><br>{villages}</td>"
            f"<td>{stop.road_km} {text['km']}<br>{stop.travel_min:.0f} {text['min']}</td></tr>"
        )
    header = (f"{text['from']}: {escape(_name(document, found.start_place, lang))} · "
              f"{text['to']}: {escape(_name(document, found.end_place, lang))} · "
              f"{text['finish']}: {found.finish} · {found.road_km} {text['km']}")  # fmt: skip
    return f"""<section>
{_heading(found.team, found.date, lang)}
<p>{header}</p>
<table><tr><th>#</th><th>{text["arrive"]}</th><th>{text["meeting"]}</th>
<th>{text["villages"]}</th><th>{text["km"]}</th></tr>
{"".join(rows)}</table></section>
"""
