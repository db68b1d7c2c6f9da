"""The coordinators' console through the API: planning with progress lines, who made each
version, publish checks and double bookings, announcements, notices and week sheets."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date, timedelta

import pytest

from outreach.domain.planning import PlanningStep, PlanSummary, Progress
from outreach.services.plan_progress import progress_lines
from tests.api.test_plans_api import KARMAKSHY, make_plan

STAGES = ["loading", "grouping", "distances", "routing", "saving", "done"]
SUMMARY = PlanSummary(id=1, campaign="c", status="draft", based_on=None, gazetteer_version=None,
                      road_km=0, meetings=3, meetings_placed=3,
                      created_at="2027-01-01T00:00:00Z", published_at=None)  # fmt: skip


def lines_of(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert response.text.endswith("\n")
    return [json.loads(line) for line in response.text.splitlines()]


def stages(lines: list[dict]) -> list[str]:
    """The stages in order, a heartbeat (the same stage again) counted once."""
    found: list[str] = []
    for line in lines:
        if not found or found[-1] != line["stage"]:
            found.append(line["stage"])
    return found


async def test_stream_tells_each_stage_then_the_stored_plan(client) -> None:
    lines = lines_of(await client.post("/api/v1/plans/stream", json=KARMAKSHY))
    assert stages(lines) == STAGES
    first = {line["stage"]: line for line in reversed(lines)}
    assert first["grouping"]["villages"] > 10
    assert first["distances"]["meetings"] == first["routing"]["meetings"] > 5
    assert first["routing"]["time_limit_s"] == 8.0
    counted = [line for line in lines if "total" in line]  # how far a long stage is
    assert {line["stage"] for line in counted} <= {"grouping", "distances", "routing"}
    grouped = [line for line in counted if line["stage"] == "grouping"]
    assert grouped and grouped[-1]["done"] == grouped[-1]["total"] > 0
    assert all(0 <= line["done"] <= line["total"] for line in counted)
    times = [line["at_s"] for line in lines]
    assert times == sorted(times) and times[0] < 1
    summary = lines[-1]["plan"]
    assert summary["status"] == "draft" and summary["created_by"] == "coordinator-user"
    stored = await client.get(f"/api/v1/plans/{summary['id']}")
    assert stored.status_code == 200
    assert stored.json()["summary"] == summary


async def test_replan_stream_makes_a_draft_based_on_the_plan(client) -> None:
    plan_id = (await make_plan(client))["summary"]["id"]
    response = await client.post(f"/api/v1/plans/{plan_id}/replan/stream", json={})
    lines = lines_of(response)
    assert stages(lines) == STAGES
    assert lines[-1]["plan"]["based_on"] == plan_id
    assert lines[-1]["plan"]["created_by"] == "coordinator-user"


async def test_stream_ends_in_an_error_line_for_a_late_error(client) -> None:
    body = {**KARMAKSHY, "districts": ["999900000"]}
    lines = lines_of(await client.post("/api/v1/plans/stream", json=body))
    assert [line["stage"] for line in lines] == ["loading", "error"]
    error = lines[-1]["error"]
    assert set(error) == {"code", "message", "status", "details", "request_id"}
    assert (error["code"], error["status"]) == ("invalid_input", 422)
    assert error["details"] == [{"field": "districts", "value": "999900000"}]
    assert (await client.get("/api/v1/plans")).json() == []


@pytest.mark.parametrize(("path", "body", "status"), [
    ("/api/v1/plans/stream", {"start": "2027-03-01"}, 400),
    ("/api/v1/plans/stream", {**KARMAKSHY, "surprise": 1}, 400),
    ("/api/v1/plans/999/replan/stream", {}, 404),
])  # fmt: skip
async def test_stream_refuses_bad_requests_before_any_line(client, path, body, status) -> None:
    response = await client.post(path, json=body)
    assert response.status_code == status, response.text
    assert set(response.json()) == {"code", "message", "status", "details", "request_id"}


async def test_stream_beats_while_a_stage_lasts() -> None:
    async def run(progress: Progress) -> PlanSummary:
        progress(PlanningStep(stage="routing", meetings=3, time_limit_s=1.0))
        await asyncio.sleep(0.35)
        return SUMMARY

    lines = [line async for line in progress_lines(run, heartbeat_s=0.05)]
    beats = [line for line in lines[1:-1] if line.stage == "routing"]
    assert len(beats) >= 3
    assert all(beat.meetings is None for beat in beats)
    assert lines[-1].stage == "done" and lines[-1].plan is not None


async def test_stream_left_early_still_finishes_the_plan() -> None:
    finished = asyncio.Event()

    async def run(progress: Progress) -> PlanSummary:
        progress(PlanningStep(stage="loading"))
        await asyncio.sleep(0.1)
        finished.set()
        return SUMMARY

    lines = progress_lines(run)
    assert (await anext(lines)).stage == "loading"
    await lines.aclose()  # the client went away
    await asyncio.wait_for(finished.wait(), 2)


async def test_versions_name_who_made_them(client) -> None:
    plan_id = (await make_plan(client))["summary"]["id"]
    again = await client.post(f"/api/v1/plans/{plan_id}/replan", json={})
    assert again.json()["summary"]["created_by"] == "coordinator-user"
    listed = (await client.get("/api/v1/plans")).json()
    assert [p["created_by"] for p in listed] == ["coordinator-user"] * 2


async def test_double_booking_needs_confirmation(client, database) -> None:
    other = (await make_plan(client, name="Other"))["summary"]["id"]
    assert (await client.post(f"/api/v1/plans/{other}/publish")).status_code == 200
    plan = await make_plan(client)
    plan_id = plan["summary"]["id"]
    ours = {(m["team"], m["date"]) for m in plan["document"]["meetings"] if m["team"]}
    checks = (await client.get(f"/api/v1/plans/{plan_id}/checks")).json()
    bookings = checks["double_bookings"]
    assert {(b["team"], b["date"]) for b in bookings} == ours  # the same season, day for day
    assert {(b["campaign"], b["plan_id"]) for b in bookings} == {("Other", other)}
    refused = await client.post(f"/api/v1/plans/{plan_id}/publish")
    assert refused.status_code == 409
    assert refused.json()["code"] == "double_booking"
    assert refused.json()["details"] == bookings
    unconfirmed = await client.post(f"/api/v1/plans/{plan_id}/publish",
                                    json={"confirm_double_booking": False})  # fmt: skip
    assert unconfirmed.status_code == 409
    published = await client.post(f"/api/v1/plans/{plan_id}/publish",
                                  json={"confirm_double_booking": True})  # fmt: skip
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    audited = database.rows("SELECT actor, object FROM audit_log"
                            " WHERE action = 'plan.published_double_booked'")  # fmt: skip
    assert audited == [("coordinator-user", f"plan:{plan_id}")]


async def test_checks_list_unplaced_meetings_and_approximate_hubs(client) -> None:
    plan = await make_plan(client, end="2027-03-05", teams=1)
    document = plan["document"]
    checks = (await client.get(f"/api/v1/plans/{plan['summary']['id']}/checks")).json()
    assert checks["double_bookings"] == []
    assert checks["unplaced"] and checks["unplaced"] == document["unplaced"]
    approximate = {m["id"] for m in document["meetings"]
                   if any(v["approximate"] and "g-" + v["kato"] == m["id"]
                          for v in m["members"])}  # fmt: skip
    assert approximate  # Karmakshy has hubs without a surveyed position
    assert {h["meeting_id"] for h in checks["approximate_hubs"]} == approximate
    assert {h["quality"] for h in checks["approximate_hubs"]} <= {"okrug_centre", "district_centre"}
    assert all(h["meeting_id"] == "g-" + h["hub"] for h in checks["approximate_hubs"])


@pytest.mark.parametrize(("lang", "when"), [
    ("kk", lambda d: f"{d.year} ж. {d.day} "),
    ("ru", lambda d: f"{d.day} "),
])  # fmt: skip
async def test_announcements_say_when_and_where(client, lang, when) -> None:
    plan = await make_plan(client)
    answer = await client.get(f"/api/v1/plans/{plan['summary']['id']}/announcements",
                              params={"lang": lang})  # fmt: skip
    assert answer.status_code == 200, answer.text
    announced = answer.json()
    planned = [m for m in plan["document"]["meetings"] if m["status"] == "planned"]
    assert len(announced) == len(planned)
    months = {"kk": "наурыз", "ru": "марта"}
    for item in announced:
        day = date.fromisoformat(item["date"])
        assert when(day) in item["text"]
        assert item["start"] in item["text"] and item["hub_name"] in item["text"]
        assert len(item["text"]) <= 500
        assert item["villages"] and all(v["name"] for v in item["villages"])
    march = [a["text"] for a in announced if a["date"].startswith("2027-03")]
    assert march and all(months[lang] in text for text in march)
    assert "Бастау Бизнес" in announced[0]["text"]


async def test_notice_is_a_self_contained_page(client) -> None:
    plan = await make_plan(client)
    meeting = next(m for m in plan["document"]["meetings"] if m["status"] == "planned")
    url = f"/api/v1/plans/{plan['summary']['id']}/notice"
    page = await client.get(url, params={"meeting": meeting["id"], "lang": "ru"})
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert not re.search(r"https?://", page.text)
    assert "@page" in page.text and meeting["start"] in page.text
    assert meeting["hub"]["names"]["ru"] in page.text
    missing = await client.get(url, params={"meeting": "g-999999999"})
    assert missing.status_code == 404


async def test_day_sheet_covers_several_days(client) -> None:
    plan = await make_plan(client)
    days = [d for d in plan["document"]["days"] if d["team"] == "team-1" and d["stops"]]
    first = date.fromisoformat(days[0]["date"])
    window = {(first + timedelta(days=n)).isoformat() for n in range(5)}
    expected = [d["date"] for d in days if d["date"] in window]
    assert len(expected) >= 2
    sheet = await client.get(f"/api/v1/plans/{plan['summary']['id']}/day-sheet",
                             params={"team": "team-1", "date": first.isoformat(), "days": 5})  # fmt: skip
    assert sheet.status_code == 200, sheet.text
    assert sheet.text.count("<section>") == len(expected)
    # each day as Kazakhstan writes it, the team as people say it (not `team-1`, not ISO)
    shown = [date.fromisoformat(d).strftime("%d.%m.%Y") for d in expected]
    assert all(f"<b>{day}</b>" in sheet.text for day in shown)
    assert "<b>1-топ</b>" in sheet.text and "team-1" not in sheet.text
    assert "page-break-before" in sheet.text
    too_many = await client.get(f"/api/v1/plans/{plan['summary']['id']}/day-sheet",
                                params={"team": "team-1", "date": first.isoformat(), "days": 15})  # fmt: skip
    assert too_many.status_code == 400
