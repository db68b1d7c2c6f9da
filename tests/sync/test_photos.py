"""Photo uploads: whole or resumed in chunks, type and hash checked, scoped to the team."""

from __future__ import annotations

import hashlib
import random

from tests.sync.phone import make_meeting
from tests.sync.test_push import push


def make_jpeg(size: int, seed: int = 1) -> bytes:
    """Bytes that start like a JPEG (the server checks the magic, not the whole image)."""
    return b"\xff\xd8\xff\xe0" + random.Random(seed).randbytes(size - 4)


def url(data: bytes) -> str:
    return f"/api/v1/sync/photos/{hashlib.sha256(data).hexdigest()}"


async def send(http, data: bytes, first: int, last: int):
    return await http.put(
        url(data),
        content=data[first : last + 1],
        headers={
            "content-range": f"bytes {first}-{last}/{len(data)}",
            "content-type": "image/jpeg",
        },
    )


async def test_photo_whole_upload_is_stored_and_served_to_its_team(phone, client, database):
    photo = make_jpeg(50_000)
    response = await phone.put(url(photo), content=photo)
    assert response.status_code == 200, response.text
    assert response.json()["complete"] is True
    sha = hashlib.sha256(photo).hexdigest()
    got = await phone.get(f"/api/v1/photos/{sha}")
    # a photo never changes: kept by the phone's browser, by it alone
    assert got.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert got.status_code == 200 and got.content == photo
    assert got.headers["content-type"] == "image/jpeg"
    assert (await client.get(f"/api/v1/photos/{sha}")).content == photo


async def test_photo_resumes_after_a_broken_upload(phone, database):
    photo = make_jpeg(300_000, seed=2)
    assert (await send(phone, photo, 0, 99_999)).json()["received_bytes"] == 100_000
    # the connection broke during the second chunk: the phone asks where to go on from
    progress = (await phone.get(url(photo))).json()
    assert (progress["received_bytes"], progress["complete"]) == (100_000, False)
    skipped = await send(phone, photo, 200_000, 299_999)
    assert skipped.status_code == 409
    assert skipped.json()["details"] == [{"received_bytes": 100_000}]
    assert (await send(phone, photo, 100_000, 199_999)).json()["received_bytes"] == 200_000
    done = await send(phone, photo, 200_000, 299_999)
    assert done.json()["complete"] is True
    assert database.rows("SELECT size_bytes FROM photos") == [(300_000,)]
    assert database.scalar("SELECT count(*) FROM photo_uploads") == 0
    again = await send(phone, photo, 0, 99_999)
    assert again.json()["complete"] is True


async def test_photo_with_wrong_hash_is_refused_and_discarded(phone, database):
    photo = make_jpeg(1000, seed=3)
    wrong = "0" * 64
    response = await phone.put(f"/api/v1/sync/photos/{wrong}", content=photo)
    assert response.status_code == 422
    assert response.json()["code"] == "photo_hash_mismatch"
    assert database.scalar("SELECT count(*) FROM photos") == 0


async def test_photo_that_is_not_an_image_is_415(phone):
    data = b"%PDF-1.7 not a photo at all"
    response = await phone.put(url(data), content=data)
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_image_type"


async def test_photo_over_the_limit_is_413(phone):
    response = await phone.put(
        "/api/v1/sync/photos/" + "a" * 64,
        content=b"\xff\xd8\xff" * 10,
        headers={"content-range": "bytes 0-29/99999999"},
    )
    assert response.status_code == 413


async def test_photo_record_may_name_it_before_it_arrives(phone):
    photo = make_jpeg(2000, seed=4)
    sha = hashlib.sha256(photo).hexdigest()
    meeting = make_meeting(random.Random(30))
    meeting["add"]["photos"] = [sha]
    [result] = await push(phone, [meeting])
    assert result["status"] == "applied"
    assert (await phone.get(f"/api/v1/photos/{sha}")).status_code == 404
    assert (await phone.put(url(photo), content=photo)).json()["complete"] is True
    assert (await phone.get(f"/api/v1/photos/{sha}")).status_code == 200


async def test_photo_of_another_team_is_not_found(phone, client, anonymous, settings, database):
    from litestar.testing import AsyncTestClient

    from outreach.app import create_app
    from tests.conftest import enrol_device

    photo = make_jpeg(500, seed=5)
    await phone.put(url(photo), content=photo)
    async with AsyncTestClient(app=create_app(settings)) as other:
        await enrol_device(client, other, database, "field-b", "team-2")
        sha = hashlib.sha256(photo).hexdigest()
        assert (await other.get(f"/api/v1/photos/{sha}")).status_code == 404


async def test_photo_sent_by_two_teams_belongs_to_each(phone, client, settings, database):
    """Two teams photograph the same sheet (the same bytes): each sees it once it has sent it,
    and the bytes are kept once."""
    from litestar.testing import AsyncTestClient

    from outreach.app import create_app
    from tests.conftest import enrol_device

    photo = make_jpeg(200_000, seed=6)
    sha = hashlib.sha256(photo).hexdigest()
    assert (await phone.put(url(photo), content=photo)).json()["complete"] is True
    async with AsyncTestClient(app=create_app(settings)) as other:
        await enrol_device(client, other, database, "field-b", "team-2")
        # before it sends the photo, the other team learns nothing of it
        progress = (await other.get(url(photo))).json()
        assert (progress["complete"], progress["received_bytes"]) == (False, 0)
        assert (await other.get(f"/api/v1/photos/{sha}")).status_code == 404
        # its own upload starts from nothing, and completes
        half = await send(other, photo, 0, 99_999)
        assert (half.status_code, half.json()["complete"]) == (200, False)
        assert (await other.get(url(photo))).json()["received_bytes"] == 100_000
        assert (await send(other, photo, 100_000, 199_999)).json()["complete"] is True
        got = await other.get(f"/api/v1/photos/{sha}")
        assert (got.status_code, got.content) == (200, photo)
    assert (await phone.get(f"/api/v1/photos/{sha}")).content == photo
    assert database.scalar("SELECT count(*) FROM photos") == 1
    assert sorted(database.rows("SELECT team_id FROM photo_teams")) == [(1,), (2,)]


async def test_photo_uploads_of_two_teams_do_not_mix(phone, client, settings, database):
    """Two teams sending the same bytes at once keep separate uploads in progress."""
    from litestar.testing import AsyncTestClient

    from outreach.app import create_app
    from tests.conftest import enrol_device

    photo = make_jpeg(300_000, seed=7)
    assert (await send(phone, photo, 0, 99_999)).json()["received_bytes"] == 100_000
    async with AsyncTestClient(app=create_app(settings)) as other:
        await enrol_device(client, other, database, "field-b", "team-2")
        assert (await other.get(url(photo))).json()["received_bytes"] == 0
        assert (await send(other, photo, 0, 199_999)).json()["received_bytes"] == 200_000
        assert (await send(phone, photo, 100_000, 299_999)).json()["complete"] is True
        assert (await other.get(url(photo))).json()["received_bytes"] == 200_000
        assert (await send(other, photo, 200_000, 299_999)).json()["complete"] is True
    assert database.scalar("SELECT count(*) FROM photo_uploads") == 0


async def test_photo_chunks_are_not_tiny_and_half_sent_photos_are_bounded(phone, database,
                                                                         monkeypatch):  # fmt: skip
    """1 KB chunks made every chunk rewrite the whole upload under the write lock (151 ms
    each for a 7 MB photo); half-sent photos were never forgotten, nor counted."""
    from outreach.services import photos

    photo = make_jpeg(300_000, seed=8)
    tiny = await send(phone, photo, 0, 1_023)
    assert tiny.status_code == 422 and "at least 65536 bytes" in tiny.json()["message"]
    assert (await send(phone, photo, 0, 99_999)).status_code == 200
    last = await send(phone, photo, 100_000, 299_999)  # a last chunk may be any size
    assert last.json()["complete"] is True
    # half-sent photos: at most so many a team, and forgotten a week after their last chunk
    monkeypatch.setattr(photos, "MAX_UNFINISHED", 2)
    halves = [make_jpeg(200_000, seed=20 + n) for n in range(3)]
    assert [(await send(phone, p, 0, 99_999)).status_code for p in halves] == [200, 200, 422]
    database.execute("UPDATE photo_uploads SET updated_at = '2026-01-01T00:00:00.000+00:00'")
    assert (await send(phone, halves[2], 0, 99_999)).status_code == 422  # still two
    fresh = make_jpeg(200_000, seed=30)
    database.execute("DELETE FROM photo_uploads WHERE sha256 = ?",
                     (hashlib.sha256(halves[0]).hexdigest(),))  # fmt: skip
    assert (await send(phone, fresh, 0, 99_999)).status_code == 200  # room for one
    assert database.scalar("SELECT count(*) FROM photo_uploads") == 1  # the stale one lapsed
