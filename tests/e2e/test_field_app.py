"""The field app in a real Chromium: installable, opens offline, keeps meetings across a
browser restart, sends them exactly once, survives revocation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.e2e.field import I18N, KK, enrol, launch, log_meeting, make_photo, wait_all_sent


def test_app_is_installable_and_controlled_by_its_service_worker(phone, server, coordinator):
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    cdp = phone.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert json.loads(manifest["data"])["name"].startswith("Outreach")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/app/sw.js")


def test_offline_meetings_survive_a_restart_and_reach_the_server_once(
    playwright_driver, profile, server, coordinator
):
    context = launch(playwright_driver, profile)
    page = context.new_page()
    enrol(page, server, coordinator.code())
    photos = [make_photo(page, hue) for hue in (10, 120, 240)]
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("section.day")  # the app and the plan, from the phone alone
    for i, photo in enumerate(photos):
        log_meeting(page, total=20 + i, photo=photo, person="Айгүл Серікова" if i == 0 else None)
    assert page.text_content("#pending") == "3"
    context.close()

    context = launch(playwright_driver, profile)
    context.set_offline(True)
    page = context.new_page()
    page.goto(server.url + "/app/#/outbox")
    page.wait_for_selector("#pending")
    assert page.text_content("#pending") == "3"  # still there after the browser closed
    context.set_offline(False)
    page.click("button:has-text('Қазір синхрондау')")
    wait_all_sent(page)
    page.click("button:has-text('Қазір синхрондау')")  # a second sync sends nothing again
    page.wait_for_function("() => document.querySelector('#pending')?.textContent === '0'")
    context.close()
    assert coordinator.rows("SELECT count(*) FROM sync_records WHERE kind = 'meeting'") == [(3,)]
    assert coordinator.rows("SELECT count(*) FROM sync_mutations") == [(3,)]
    assert coordinator.rows("SELECT count(*) FROM photos") == [(3,)]
    docs = [json.loads(r[0]) for r in coordinator.rows("SELECT doc FROM sync_records")]
    assert sorted(d["attendance"]["total"] for d in docs) == [20, 21, 22]
    people = [p for d in docs for p in d.get("interested", [])]
    assert [p["phone"] for p in people] == ["+77015554433"]
    stored = {r[0] for r in coordinator.rows("SELECT sha256 FROM photos")}
    assert {sha for d in docs for sha in d["photos"]} == stored


def test_revoked_device_keeps_its_meeting_and_sends_it_after_enrolling_again(
    phone, server, coordinator
):
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    log_meeting(page, total=14, person="Айгүл Серікова")  # sent: on the server
    page.goto(server.url + "/app/#/outbox")
    wait_all_sent(page)
    phone.set_offline(True)
    log_meeting(page, total=15)
    coordinator.revoke_all()  # the phone was lost
    phone.set_offline(False)  # the app syncs by itself (on `online`, or its retry timer)
    page.wait_for_selector("input[name=code]", timeout=30_000)  # asked to enrol again
    assert "1" in page.text_content("main")  # ... and told its unsent record is kept
    assert coordinator.rows("SELECT count(*) FROM sync_records") == [(1,)]
    # what the server holds already has left the phone, her name and number with it
    held = page.evaluate("""async () => {
      const db = await import('./js/db.js');
      return JSON.stringify([await db.all('records'), await db.meta('followups') ?? null,
                             (await db.all('outbox')).length]);
    }""")
    assert "Серікова" not in held and "5554433" not in held and held.endswith(",1]"), held
    page.fill("input[name=code]", coordinator.code())
    page.click("form button[type=submit]")
    page.wait_for_selector("section.day")
    page.goto(server.url + "/app/#/outbox")
    wait_all_sent(page)
    assert coordinator.rows("SELECT count(*) FROM sync_records WHERE kind = 'meeting'") == [(2,)]


def test_enrolled_again_in_another_team_the_phone_sends_what_waits_and_forgets_the_rest(
    phone, server, coordinator
):
    """Enrolled again after its user moved to another team, the phone sent every record it held
    again as the new team's: the server refused those it had (to the review queue), and the
    old team's residents' names and phones stayed on the phone."""
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    log_meeting(page, total=22, person="Айгүл Серікова")
    wait_all_sent(page)
    phone.set_offline(True)
    page.goto(server.url + "/app/#/meeting")  # a meeting the plan did not have
    page.select_option("select[name=hub]", "434630100")
    page.fill("input[name='attendance.total']", "12")
    page.click("form button[type=submit]")
    page.wait_for_selector("#sync-summary")
    moved = coordinator.http.post("/api/v1/users/walker/team", json={"team": "team-2"})
    assert moved.status_code == 200, moved.text
    phone.set_offline(False)
    page.wait_for_selector("input[name=code]", timeout=30_000)  # asked to enrol again
    page.fill("input[name=code]", coordinator.code())
    page.click("form button[type=submit]")
    page.wait_for_selector("section.day")
    page.goto(server.url + "/app/#/outbox")
    wait_all_sent(page)
    assert coordinator.rows("SELECT count(*) FROM sync_parked") == [(0,)]
    teams = coordinator.rows("SELECT t.name, r.doc FROM sync_records AS r"
                             " JOIN teams AS t ON t.id = r.team_id")  # fmt: skip
    assert sorted((team, json.loads(doc)["attendance"]["total"]) for team, doc in teams) == [
        ("team-1", 22), ("team-2", 12)]  # fmt: skip
    held = page.evaluate(
        "async () => JSON.stringify(await (await import('./js/db.js')).all('records'))"
    )
    assert "Айгүл" not in held and "7015554433" not in held
    [plan] = page.evaluate("async () => (await (await import('./js/db.js')).meta('plan')).body")
    assert plan["team"] == "team-2"


# the outbox's redraw waits on the browser's storage estimate: slow, as on a busy phone
SLOW_ESTIMATE = """(() => {
  const estimate = navigator.storage.estimate.bind(navigator.storage);
  navigator.storage.estimate = () => new Promise((done) => setTimeout(() => done(estimate()), 800));
})()"""


def test_a_screen_opened_while_another_redraws_is_the_one_that_stays(phone, server, coordinator):
    """A sync's answer redraws the outbox; the user opens the settings before that redraw
    ends: the settings stay, the late outbox does not come back over them."""
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    page.goto(server.url + "/app/#/outbox")
    page.wait_for_selector("#sync-summary")
    page.evaluate(SLOW_ESTIMATE)
    page.evaluate("""() => {
      dispatchEvent(new CustomEvent('outreach:status', { detail: { state: 'ok', pending: 0 } }));
      setTimeout(() => { location.hash = '#/settings'; }, 100);  // the redraw has begun
    }""")
    page.wait_for_selector("#record-position")
    page.wait_for_timeout(1500)  # longer than the outbox's redraw takes
    assert page.get_attribute("#view", "data-screen") == "settings"
    assert page.is_visible("#record-position")
    assert not page.is_visible("#sync-summary")


def test_a_meeting_saved_at_once_keeps_its_photo_and_leaves_no_draft(phone, server, coordinator):
    """Save tapped right after the last change and the photo pick: the draft written 300 ms
    after a change once came back after the save (the saved meeting's id, "restored"), and a
    photo still being shrunk was left out of the meeting; a file that is no image is said so
    and the photos beside it are kept."""
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    photo = make_photo(page, 60)
    page.goto(server.url + "/app/#/meeting")
    page.wait_for_selector("form input[name='attendance.total']")
    page.select_option("select[name=hub]", index=1)
    page.fill("input[name='attendance.total']", "20")
    page.fill("input[name='attendance.women']", "10")
    page.set_input_files("input[type=file]", files=[
        {"name": "notes.txt", "mimeType": "image/jpeg", "buffer": b"not an image at all"},
        {"name": "sheet.jpg", "mimeType": "image/jpeg", "buffer": photo},
    ])  # fmt: skip
    page.fill("textarea[name=notes]", "saved at once")
    page.click("form button[type=submit]")  # no wait for the thumbnail, within the 300 ms
    wait_all_sent(page)
    page.wait_for_timeout(600)  # past any draft timer left running
    assert page.evaluate("async () => (await import('./js/db.js')).all('drafts')") == []
    page.goto(server.url + "/app/#/meeting")
    page.wait_for_selector("form input[name='attendance.total']")
    assert page.locator("p.ok").count() == 0  # nothing "restored"
    assert page.input_value("input[name='attendance.total']") == ""
    [doc] = [json.loads(r[0]) for r in coordinator.rows("SELECT doc FROM sync_records")]
    assert (doc["notes"], len(doc["photos"])) == ("saved at once", 1)
    assert coordinator.rows("SELECT sha256 FROM photos") == [(doc["photos"][0],)]

    # the notes emptied on the saved meeting are cleared on the server too
    [(record_id,)] = coordinator.rows("SELECT id FROM sync_records")
    page.goto(f"{server.url}/app/#/meeting/{record_id}")
    # the saved meeting's form, not the empty one still shown while it loads
    page.wait_for_selector("textarea[name=notes]:has-text('saved at once')")
    assert page.input_value("textarea[name=notes]") == "saved at once"
    page.fill("textarea[name=notes]", "")
    [doc] = save_and_send(page, coordinator)
    assert doc.get("notes") is None and len(doc["photos"]) == 1


def test_back_after_saving_a_planned_meeting_opens_it_rather_than_a_second(
    phone, server, coordinator
):
    """Back from the outbox after saving a planned meeting once opened an empty form with a new
    id, and saving it made a second record of the one meeting (coverage counted it twice)."""
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    log_meeting(page, total=22)
    page.go_back()
    page.wait_for_function("() => /^#\\/meeting\\/[0-9a-f-]{36}$/.test(location.hash)")
    page.wait_for_selector("form input[name='attendance.total']")
    assert page.input_value("input[name='attendance.total']") == "22"
    page.fill("input[name='attendance.total']", "23")
    docs = save_and_send(page, coordinator)
    assert [d["attendance"]["total"] for d in docs] == [23]  # one meeting, corrected


def test_meetings_logged_offline_while_the_plan_was_replaced_are_taken_and_shown_done(
    playwright_driver, profile, server, coordinator
):
    """A team offline while its campaign is re-planned logs the plan it has: the server took
    none of it (unknown plan meeting), and the new plan offered both meetings to log again."""
    context = launch(playwright_driver, profile)
    page = context.new_page()
    enrol(page, server, coordinator.code())
    log_meeting(page, total=22)  # sent at once
    context.set_offline(True)
    log_meeting(page, total=31)
    replanned = coordinator.http.post(f"/api/v1/plans/{coordinator.plan_id}/replan", json={})
    new_id = replanned.json()["summary"]["id"]
    assert coordinator.http.post(f"/api/v1/plans/{new_id}/publish").status_code == 200
    context.set_offline(False)
    page.click("button:has-text('Қазір синхрондау')")
    wait_all_sent(page)
    assert page.is_hidden("#attention")
    docs = [json.loads(r[0]) for r in coordinator.rows("SELECT doc FROM sync_records")]
    assert sorted(d["attendance"]["total"] for d in docs) == [22, 31]
    assert {d["plan_id"] for d in docs} == {coordinator.plan_id}
    held = (coordinator.http.get("/api/v1/coverage", params={"campaign": new_id})).json()
    assert held["headline"]["meetings_held"] == 2
    shown = page.evaluate("async () => (await (await import('./js/db.js')).meta('plan')).body")
    assert [p["plan_id"] for p in shown] == [new_id]
    page.goto(server.url + "/app/#/plan")
    page.wait_for_selector("section.day")
    done = page.locator("li.card.done")
    assert done.count() == 2
    assert done.locator(f"a:has-text('{KK['logged_held']}')").count() == 2
    context.close()


def test_photos_waiting_are_told_and_only_a_saved_meetings_photos_leave_the_phone(
    phone, server, coordinator
):
    """The summary said "all records on the server" while a photo had not been sent; a photo
    of a form thrown away was uploaded all the same, and none could be taken off a meeting."""
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    thrown, kept, removed = (make_photo(page, hue) for hue in (30, 150, 270))

    def attach(photo: bytes, shown: int) -> None:
        page.set_input_files("input[type=file]", files=[
            {"name": "sheet.jpg", "mimeType": "image/jpeg", "buffer": photo}])  # fmt: skip
        page.wait_for_function(f"() => document.querySelectorAll('.thumbs img').length === {shown}")

    page.click(f"a.button:has-text('{KK['log']}')")
    attach(thrown, 1)
    page.wait_for_timeout(500)  # the draft is kept, photo and all
    page.click("button:has-text('Жобаны тастау')")
    page.wait_for_selector("section.day")
    page.route("**/api/v1/sync/photos/**", lambda route: route.abort())  # uploads fail
    page.click(f"a.button:has-text('{KK['log']}')")
    page.fill("input[name='attendance.total']", "25")
    attach(kept, 1)
    attach(removed, 2)
    page.click(".thumbs button >> nth=1")  # the second photo was the wrong sheet
    page.wait_for_function("() => document.querySelectorAll('.thumbs img').length === 1")
    page.click("form button[type=submit]")
    page.wait_for_function(
        "() => document.querySelector('#sync-summary')?.textContent === '1 сурет жіберуді күтуде'",
        timeout=30_000,
    )
    assert page.text_content("#sync-badge") != KK["all_sent"]
    [doc] = [json.loads(r[0]) for r in coordinator.rows("SELECT doc FROM sync_records")]
    assert len(doc["photos"]) == 1  # the record is on the server, its photo is not
    page.unroute("**/api/v1/sync/photos/**")
    page.click("button:has-text('Қазір синхрондау')")
    wait_all_sent(page)
    assert [r[0] for r in coordinator.rows("SELECT sha256 FROM photos")] == doc["photos"]
    # the photos of no meeting are gone from the phone, too
    left = page.evaluate("async () => (await (await import('./js/db.js')).all('photos')).length")
    assert left == 1


def test_a_meeting_edited_offline_is_one_record_waiting_and_can_be_deleted(
    phone, server, coordinator
):
    """Three saved edits of one meeting made the phone say "3 records waiting" (it counted
    changes), a saved meeting's form was titled "New meeting", and a meeting logged by mistake
    could not be deleted."""
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    phone.set_offline(True)
    log_meeting(page, total=20)
    for total in (21, 22):
        page.goto(server.url + "/app/#/plan")
        page.click(f"a:has-text('{KK['logged_held']}')")
        page.wait_for_selector("form input[name='attendance.total']")
        assert page.text_content("h1").startswith("Кездесу: ")  # its village and date
        assert "Жаңа кездесу" not in page.text_content("h1")
        page.fill("input[name='attendance.total']", str(total))
        page.click("form button[type=submit]")
        page.wait_for_selector("#sync-summary")
    assert page.text_content("#pending") == "1"
    assert page.text_content("#pending-count") == "1"
    assert page.text_content("#sync-summary") == "1 жазба жіберуді күтуде"
    assert page.locator("main ul li").count() == 1
    phone.set_offline(False)
    page.click("button:has-text('Қазір синхрондау')")
    wait_all_sent(page)
    [(doc,)] = coordinator.rows("SELECT doc FROM sync_records")
    assert json.loads(doc)["attendance"]["total"] == 22

    # logged by mistake after all: it could not be taken back from the phone (coverage
    # counted it); deleted, asked first, on the phone and on the server
    page.goto(server.url + "/app/#/plan")
    page.click(f"a:has-text('{KK['logged_held']}')")
    page.wait_for_selector("form input[name='attendance.total']")
    page.once("dialog", lambda dialog: dialog.dismiss())  # "no" keeps it
    page.click("button:has-text('Кездесуді өшіру')")
    assert page.is_visible("form input[name='attendance.total']")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Кездесуді өшіру')")
    wait_all_sent(page)
    assert coordinator.rows("SELECT deleted FROM sync_records") == [(1,)]
    coverage = coordinator.http.get("/api/v1/coverage").json()
    assert coverage["headline"]["meetings_held"] == 0
    page.goto(server.url + "/app/#/plan")
    page.wait_for_selector("section.day")
    assert page.locator("li.card.done").count() == 0  # to be logged again, if it took place


def save_and_send(page, coordinator) -> list[dict]:
    """Save the open meeting form, wait until the phone has sent everything; the server's
    meeting documents."""
    page.click("form button[type=submit]")
    wait_all_sent(page)
    return [json.loads(r[0]) for r in coordinator.rows("SELECT doc FROM sync_records")]


def test_a_stalled_connection_is_given_up_and_the_sync_goes_on(phone, server, coordinator):
    """A connection that accepts and never answers (a dead cell, a captive portal) held the
    sync lock for good: "syncing" forever, "Sync now" did nothing, the meeting never left."""
    page = phone.new_page()
    page.clock.install()  # the page's timers, moved on by hand below
    enrol(page, server, coordinator.code())
    stalled: list[object] = []
    page.route("**/api/v1/sync/push", lambda route: stalled.append(route))  # never answered
    log_meeting(page, total=12)
    page.goto(server.url + "/app/#/outbox")
    page.wait_for_selector("#pending")
    said = json.loads((I18N / "kk.json").read_text(encoding="utf-8"))
    for _ in range(300):  # until the save's sync is stuck in its push
        if stalled:
            break
        page.wait_for_timeout(100)
    assert stalled, "the push never left"
    page.click(f"button:has-text('{said['outbox.sync_now']}')")  # told, not ignored
    page.wait_for_selector(f"#toast:text-is('{said['outbox.already_syncing']}')")
    page.unroute("**/api/v1/sync/push")  # the connection comes back
    page.clock.fast_forward(95_000)  # past the request's time limit: given up, tried again
    page.clock.fast_forward(60_000)  # past the retry's wait
    page.wait_for_selector(f"#sync-summary:text-is('{KK['all_sent']}')")  # (a clock-free wait)
    assert stalled and coordinator.rows("SELECT count(*) FROM sync_records") == [(1,)]


def test_two_phones_adding_questions_to_one_meeting_offline_keep_both(
    phone, playwright_driver, tmp_path, server, coordinator
):
    """Free questions had ids by their line (q-free-0, q-free-1...): two phones adding one each
    made one item, and the second sync erased the first phone's question."""
    first = phone.new_page()
    enrol(first, server, coordinator.code())
    log_meeting(first, total=30)
    first.goto(server.url + "/app/#/outbox")
    wait_all_sent(first)
    [(record_id,)] = coordinator.rows("SELECT id FROM sync_records")
    other = launch(playwright_driver, tmp_path / "second-phone")
    try:
        second = other.new_page()
        enrol(second, server, coordinator.code())  # pulls the team's meeting
        for context, page, question in ((phone, first, "А сұрағы: жер қашан?"),
                                        (other, second, "Б сұрағы: несие қанша?")):  # fmt: skip
            context.set_offline(True)
            page.goto(f"{server.url}/app/#/meeting/{record_id}")
            page.wait_for_selector("textarea[name=questions_free]")
            page.fill("textarea[name=questions_free]", question)
            page.click("form button[type=submit]")
            page.wait_for_selector("#sync-summary")
        for context, page in ((phone, first), (other, second)):
            context.set_offline(False)
            page.goto(server.url + "/app/#/outbox")
            wait_all_sent(page)
    finally:
        other.close()
    [doc] = [json.loads(r[0]) for r in coordinator.rows("SELECT doc FROM sync_records")]
    assert sorted(q["text"] for q in doc["questions"]) == ["А сұрағы: жер қашан?",
                                                          "Б сұрағы: несие қанша?"]  # fmt: skip


def test_a_full_phone_says_so_and_never_calls_a_photo_it_lost_sent(phone, server, coordinator):
    """With the phone's storage full, the photos picked were lost without a word (a write
    fails at its commit, after the request had succeeded) and the meeting showed them as
    "Photo sent"."""
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    photo = make_photo(page, 200)
    page.goto(server.url + "/app/#/meeting")
    page.wait_for_selector("form input[name='attendance.total']")
    # the disk is full for photos (CDP's quota override does not bite in this harness: the
    # write fails as the browser fails it, QuotaExceededError)
    page.evaluate("""() => {
      const put = IDBObjectStore.prototype.put;
      window.__full = true;
      IDBObjectStore.prototype.put = function (...args) {
        if (window.__full && this.name === 'photos') throw new DOMException('full', 'QuotaExceededError');
        return put.apply(this, args);
      };
    }""")
    said = json.loads((I18N / "kk.json").read_text(encoding="utf-8"))
    page.set_input_files("input[type=file]", files=[
        {"name": "sheet.jpg", "mimeType": "image/jpeg", "buffer": photo}])  # fmt: skip
    page.wait_for_selector(f"#toast:text-is('{said['meeting.storage_full']}')")
    assert page.locator(".thumbs .thumb").count() == 0  # not on the meeting
    page.evaluate("() => { window.__full = false; }")  # room again
    # a meeting naming a photo the phone does not hold says so, not "sent"
    page.evaluate("""async () => {
      const db = await import('./js/db.js');
      await db.put('drafts', { id: 'adhoc', state: { photos: ['0'.repeat(64)] } });
    }""")
    page.goto(server.url + "/app/#/outbox")
    page.goto(server.url + "/app/#/meeting")
    page.wait_for_selector(".thumbs .thumb")
    assert page.text_content(".thumbs .thumb span") == said["meeting.photo_missing"]


def test_a_phone_whose_clock_is_a_year_ahead_is_told(phone, server, coordinator):
    """A clock a year ahead dated every call and meeting a year ahead, with no word on the
    phone (only the coordinators' devices list knew)."""
    page = phone.new_page()
    page.clock.install(time=datetime.now(UTC) + timedelta(days=365))
    enrol(page, server, coordinator.code())
    page.goto(server.url + "/app/#/outbox")
    said = json.loads((I18N / "kk.json").read_text(encoding="utf-8"))
    told = said["status.clock_off"].split("{date}")[0]
    page.wait_for_selector(f"#sync-summary:has-text('{told}')")
    assert told in page.text_content("#sync-badge")
