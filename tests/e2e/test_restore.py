"""A server restored from a backup that missed a phone's meeting: the phone notices (its cursor
is reset), and sends the meeting again from its own copy."""

from __future__ import annotations

import subprocess
import sys

from tests.e2e.field import KK, enrol, log_meeting, wait_all_sent


def outreach(*args: str, url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "outreach", *args, "--database-url", url],
        check=True,
        capture_output=True,
    )


def test_restore_phone_sends_again_what_the_backup_missed(phone, server, coordinator, tmp_path):
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    outreach("backup", str(tmp_path / "before.db"), url=server.database_url)
    log_meeting(page, total=33)
    wait_all_sent(page)
    assert coordinator.rows("SELECT count(*) FROM sync_records") == [(1,)]
    server.stop()  # the disk is lost; last night's backup comes back
    outreach("restore", str(tmp_path / "before.db"), url=server.database_url)
    server.start()  # the same address: the phone's data stays with its origin
    assert coordinator.rows("SELECT count(*) FROM sync_records") == [(0,)]
    page.click("button:has-text('Қазір синхрондау')")
    page.wait_for_function(
        "() => document.querySelector('#pending')?.textContent === '0' &&"
        f" document.querySelector('#sync-summary')?.textContent === '{KK['all_sent']}'",
        timeout=30_000,
    )
    page.click("button:has-text('Қазір синхрондау')")
    page.wait_for_timeout(1000)
    rows = coordinator.rows("SELECT json_extract(doc, '$.attendance.total') FROM sync_records")
    assert rows == [(33,)]
