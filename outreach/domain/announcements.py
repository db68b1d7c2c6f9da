"""Announcements of a plan's meetings: a short message to each hub's akimat (SMS or WhatsApp
length) and a printable notice for the village, in Kazakh, Russian or English."""

from __future__ import annotations

from datetime import date
from html import escape

import msgspec

from outreach.domain.errors import InvalidInput, NotFound
from outreach.domain.gazetteer import Names
from outreach.domain.plan_exports import Lang
from outreach.domain.planning import PlanDocument, PlannedMeeting

MAX_TEXT = 500  # characters: a few SMS, one screen of a messenger

MONTHS: dict[Lang, tuple[str, ...]] = {
    "kk": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
           "қыркүйек", "қазан", "қараша", "желтоқсан"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip
SUPPORT: dict[Lang, str] = {
    "kk": "бизнесті мемлекеттік қолдау",
    "ru": "государственная поддержка бизнеса",
    "en": "state support for business",
}
TOPICS: dict[Lang, tuple[str, ...]] = {
    "kk": ("«Бастау Бизнес» оқуы", "шағын несиелер", "жер учаскелері",
           "коммуналдық желілерге қосылу", "Кәсіпкерлер үйінің қызметтері"),
    "ru": ("обучение «Бастау Бизнес»", "микрокредиты", "земельные участки",
           "подключение к коммунальным сетям", "услуги Дома предпринимателей"),
    "en": ("Bastau Business training", "microcredit", "land plots", "utility connections",
           "the Entrepreneurs' House"),
}  # fmt: skip
MORE: dict[Lang, str] = {"kk": "т.б.", "ru": "и др.", "en": "and others"}
POSTER: dict[Lang, dict[str, str]] = {
    "kk": {"title": "Кәсіпкерлермен кездесу", "at": "сағат ", "where": "Өтетін орны",
           "who": "Кездесуге шақырылатын ауылдар", "topics": "Кездесу тақырыбы",
           "invite": "Барлық тұрғындар мен кәсіпкерлерді кездесуге шақырамыз! Кіру тегін.",
           "host": "Кәсіпкерлер палатасы"},
    "ru": {"title": "Встреча с предпринимателями", "at": "", "where": "Место проведения",
           "who": "Приглашаются жители и предприниматели сёл", "topics": "Тема встречи",
           "invite": "Приглашаем всех жителей и предпринимателей! Вход свободный.",
           "host": "Палата предпринимателей"},
    "en": {"title": "Meeting for entrepreneurs", "at": "", "where": "Place",
           "who": "For the residents and entrepreneurs of", "topics": "About",
           "invite": "All residents and entrepreneurs are welcome! Admission is free.",
           "host": "Chamber of Entrepreneurs"},
}  # fmt: skip


class AnnouncedVillage(msgspec.Struct, frozen=True, kw_only=True):
    """A village invited to a meeting: its KATO code and name."""

    kato: str
    name: str


class Announcement(msgspec.Struct, frozen=True, kw_only=True):
    """A planned meeting announced to its akimat: when (`date`, local `start`), where (`hub`,
    a KATO code, and `hub_name`), the `villages` gathered, and `text`, a short message ready
    to send (at most 500 characters)."""

    meeting_id: str
    team: str
    date: date
    start: str
    hub: str
    hub_name: str
    villages: list[AnnouncedVillage]
    text: str


def name_in(names: Names, lang: Lang) -> str:
    """A name in the language, else in another one the gazetteer has."""
    order = {"kk": (names.kk, names.ru, names.en), "ru": (names.ru, names.kk, names.en),
             "en": (names.en, names.ru, names.kk)}[lang]  # fmt: skip
    return next(n for n in (*order, names.ru) if n)


def long_date(day: date, lang: Lang) -> str:
    """`2027 ж. 2 наурыз`, `2 марта 2027 г.`, `2 March 2027`."""
    month = MONTHS[lang][day.month - 1]
    if lang == "kk":
        return f"{day.year} ж. {day.day} {month}"
    return f"{day.day} {month} {day.year}" + (" г." if lang == "ru" else "")


ABOUT: dict[Lang, str] = {
    "kk": "Кездесуде бизнесті мемлекеттік қолдау туралы айтылады: «Бастау Бизнес» оқуы, шағын "
          "несиелер, жер учаскелері, коммуналдық желілерге қосылу, Кәсіпкерлер үйінің қызметтері.",
    "ru": "На встрече расскажут о государственной поддержке бизнеса: обучении «Бастау Бизнес», "
          "микрокредитах, земельных участках, подключении к коммунальным сетям, услугах Дома "
          "предпринимателей.",
    "en": "It is about state support for business: Bastau Business training, microcredit, land "
          "plots, utility connections and the Entrepreneurs' House.",
}  # fmt: skip


def _message(lang: Lang, when: str, start: str, hub: str, villages: list[str],
             more: bool = False) -> str:  # fmt: skip
    listed = ", ".join(villages) + (f" {MORE[lang]}" if more else "")
    if lang == "kk":
        whose = "ауылының" if len(villages) == 1 and not more else "ауылдарының"
        return (f"Құрметті әкімдік! {when}, сағат {start}, {hub} елді мекенінде Кәсіпкерлер "
                f"палатасы тұрғындармен кездесу өткізеді. {ABOUT['kk']} {listed} {whose} "
                "тұрғындары мен кәсіпкерлерін кездесуге шақыруыңызды сұраймыз.")  # fmt: skip
    if lang == "ru":
        whose = "села" if len(villages) == 1 and not more else "сёл"
        return (f"Уважаемый акимат! {when} в {start} в населённом пункте {hub} Палата "
                f"предпринимателей проводит встречу с жителями. {ABOUT['ru']} Просим пригласить "
                f"на встречу жителей и предпринимателей {whose} {listed}.")  # fmt: skip
    return (f"Dear akimat, on {when} at {start} the Chamber of Entrepreneurs holds a meeting "
            f"with residents in {hub}. {ABOUT['en']} Please invite the residents and "
            f"entrepreneurs of {listed}.")  # fmt: skip


def message(meeting: PlannedMeeting, lang: Lang) -> str:
    """The message to the akimat, the list of villages shortened to fit MAX_TEXT."""
    assert meeting.date is not None
    assert meeting.start is not None
    when, hub = long_date(meeting.date, lang), name_in(meeting.hub.names, lang)
    villages = [name_in(m.names, lang) for m in meeting.members]
    text = _message(lang, when, meeting.start, hub, villages)
    for keep in range(len(villages) - 1, 0, -1):
        if len(text) <= MAX_TEXT:
            break
        text = _message(lang, when, meeting.start, hub, villages[:keep], more=True)
    return text


def announcements(document: PlanDocument, lang: Lang = "kk") -> list[Announcement]:
    """An announcement of every planned meeting, in date, start and team order."""
    planned = [m for m in document.meetings
               if m.status == "planned" and m.team and m.date and m.start]  # fmt: skip
    planned.sort(key=lambda m: (m.date, m.start, m.team))
    return [_announcement(m, lang) for m in planned]


def _announcement(meeting: PlannedMeeting, lang: Lang) -> Announcement:
    assert meeting.team is not None
    assert meeting.date is not None
    assert meeting.start is not None
    return Announcement(
        meeting_id=meeting.id, team=meeting.team, date=meeting.date, start=meeting.start,
        hub=meeting.hub.id.removeprefix("g-"), hub_name=name_in(meeting.hub.names, lang),
        villages=[AnnouncedVillage(kato=m.kato, name=name_in(m.names, lang))
                  for m in meeting.members],
        text=message(meeting, lang),
    )  # fmt: skip


def notice_html(document: PlanDocument, meeting_id: str, lang: Lang = "kk") -> str:
    """A printable A4 poster of one placed meeting for the village notice board: one page,
    self-contained (no external file, font or script)."""
    meeting = next((m for m in document.meetings if m.id == meeting_id), None)
    if meeting is None:
        raise NotFound(f"no meeting {meeting_id} in this plan")
    if meeting.date is None or meeting.start is None:
        raise InvalidInput(f"meeting {meeting_id} is {meeting.status}, not on a date",
                           details=[{"field": "meeting", "value": meeting_id}])  # fmt: skip
    text = POSTER[lang]
    villages = "".join(f"<li>{escape(name_in(m.names, lang))}</li>" for m in meeting.members)
    items = "".join(f"<li>{escape(t)}</li>" for t in TOPICS[lang])
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{text["title"]}</title>
<style>@page{{size:A4;margin:15mm}}body{{font:16pt/1.35 system-ui,sans-serif;margin:0 auto;
max-width:180mm;color:#000}}h1{{font-size:30pt;text-align:center;margin:0 0 8mm}}
.when{{font-size:26pt;font-weight:bold;text-align:center;border:3px solid #000;padding:4mm;
margin:0 0 6mm}}h2{{font-size:16pt;margin:5mm 0 1mm;text-transform:uppercase}}
ul{{margin:0;padding-left:8mm}}.villages{{columns:2}}.invite{{font-size:20pt;font-weight:bold;
text-align:center;margin-top:8mm}}footer{{margin-top:8mm;text-align:center}}
@media print{{body{{max-width:none}}}}</style></head><body>
<h1>{text["title"]}</h1>
<p class="when">{escape(long_date(meeting.date, lang))}, {text["at"]}{escape(meeting.start)}</p>
<h2>{text["where"]}</h2><p>{escape(name_in(meeting.hub.names, lang))}</p>
<h2>{text["who"]}</h2><ul class="villages">{villages}</ul>
<h2>{text["topics"]}</h2><p>{escape(SUPPORT[lang].capitalize())}:</p><ul>{items}</ul>
<p class="invite">{text["invite"]}</p>
<footer>{text["host"]}</footer></body></html>
"""
