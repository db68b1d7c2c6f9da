"""Pure sync rules: checking mutations, merging them into records, cursors, phone numbers,
devices at risk."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest

from outreach.domain.accounts import Device, risks
from outreach.domain.merge import RecordState, merge
from outreach.domain.records import normalise_phone
from outreach.domain.sync import Cursor, Rejection, check

RID = "00000000-0000-4000-8000-000000000001"


def mutation(n: int, **body) -> bytes:
    base = {"mutation_id": f"00000000-0000-4000-8000-{n:012d}", "record_id": RID,
            "kind": "meeting"}  # fmt: skip
    return msgspec.json.encode({**base, **body})


def created(writer: str = "device:1") -> RecordState:
    checked = check(mutation(100, set={"status": "held", "date": "2027-05-01", "hub": "431033100",
                                       "notes": "a"}, add={"villages": ["431033100"]}))  # fmt: skip
    outcome = merge(None, checked, writer, team_id=1)
    assert outcome.state is not None
    return outcome.state


@pytest.mark.parametrize(("raw", "expected"), [
    ("+7 701 234 56 78", "+77012345678"), ("87012345678", "+77012345678"),
    ("7 (724) 222-33-44", "+77242223344"), ("+7 601 234 56 78", "+76012345678"),
    ("12345", None), ("+7 501 234 56 78", None), ("+44 20 7946 0958", None),
])  # fmt: skip
def test_phone_kazakhstan_numbers_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


def test_check_canonical_hash_ignores_key_order_but_not_content():
    one = mutation(9, set={"notes": "a", "start": "10:00"})
    two = (b'{"set":{"start":"10:00","notes":"a"},"kind":"meeting",'
           b'"mutation_id":"00000000-0000-4000-8000-000000000009","record_id":"' + RID.encode()
           + b'"}')  # fmt: skip
    other = mutation(9, set={"notes": "b", "start": "10:00"})
    assert check(one).content_sha256 == check(two).content_sha256
    assert check(one).content_sha256 != check(other).content_sha256


@pytest.mark.parametrize(("body", "reason"), [
    ({"set": {"status": "won"}}, "invalid_field"),
    ({"add": {"nothing": ["x"]}}, "invalid_field"),
    ({"remove": {"nothing": ["x"]}}, "invalid_field"),
    ({"add": {"villages": ["431033100", "431033100"]}}, "invalid_field"),
    ({"add": {"interested": [{"id": "p", "name": "A", "phone": "999"}]}}, "invalid_phone"),
])  # fmt: skip
def test_check_rejects_with_a_reason(body, reason):
    with pytest.raises(Rejection) as caught:
        check(mutation(1, **body))
    assert caught.value.reason == reason
    assert caught.value.checked is not None


def test_check_malformed_has_no_envelope():
    with pytest.raises(Rejection) as caught:
        check(b'{"kind": "plan"}')
    assert (caught.value.reason, caught.value.checked) == ("malformed", None)


def test_merge_new_record_needs_required_fields():
    with pytest.raises(Rejection) as caught:
        merge(None, check(mutation(2, set={"status": "held"})), "device:1", 1)
    assert caught.value.reason == "missing_fields"


def test_merge_edit_of_unknown_record_is_rejected():
    with pytest.raises(Rejection) as caught:
        merge(None, check(mutation(2, base_version=3, set={"notes": "x"})), "device:1", 1)
    assert caught.value.reason == "unknown_record"


def test_merge_overwrite_of_a_newer_value_by_another_writer_is_kept():
    state = created("device:1")
    later = merge(state, check(mutation(3, base_version=1, set={"notes": "b"})), "device:1", 1)
    assert later.status == "applied" and later.state is not None
    stale = merge(later.state, check(mutation(4, base_version=1, set={"notes": "c"})),
                  "device:2", 1)  # fmt: skip
    assert stale.status == "conflict"
    assert [(o.field, o.value, o.writer, o.version) for o in stale.overwrites] == [
        ("notes", "b", "device:1", 2)
    ]
    assert stale.state is not None and stale.state.doc["notes"] == "c"
    same_value = merge(later.state, check(mutation(5, base_version=1, set={"notes": "b"})),
                       "device:2", 1)  # fmt: skip
    assert same_value.status == "applied"


def test_merge_list_items_replace_and_remove():
    state = created()
    added = merge(state, check(mutation(6, base_version=1, add={
        "referrals": [{"id": "r1", "programme": "microcredit"}]})), "device:1", 1)  # fmt: skip
    assert added.state is not None
    replaced = merge(added.state, check(mutation(7, base_version=1, add={
        "referrals": [{"id": "r1", "programme": "land_plots"}]})), "device:2", 1)  # fmt: skip
    assert replaced.status == "conflict"
    assert replaced.overwrites[0].field == "referrals/r1"
    assert replaced.state is not None
    removed = merge(replaced.state, check(mutation(8, base_version=3, remove={
        "referrals": ["r1"], "villages": ["431033100"]})), "device:1", 1)  # fmt: skip
    assert removed.state is not None
    assert removed.state.doc["referrals"] == [] and removed.state.doc["villages"] == []
    assert "referrals/r1" not in removed.state.writers


def test_merge_rules_of_the_whole_record():
    state = created()
    with pytest.raises(Rejection) as caught:
        merge(state, check(mutation(9, base_version=1, set={"attendance": {
            "total": 5, "women": 6}})), "device:1", 1)  # fmt: skip
    assert caught.value.reason == "rule_broken"


def test_merge_kind_mismatch_is_rejected():
    state = created()
    other = mutation(10, kind="followup", base_version=1, set={"status": "contacted"})
    with pytest.raises(Rejection) as caught:
        merge(state, check(other), "device:1", 1)
    assert caught.value.reason == "kind_mismatch"


def test_merge_delete_makes_a_tombstone_and_a_second_delete_changes_nothing():
    state = created()
    gone = merge(state, check(mutation(11, op="delete", base_version=1)), "device:1", 1)
    assert gone.state is not None and gone.state.deleted and gone.state.doc == {}
    assert gone.state.version == 2
    again = merge(gone.state, check(mutation(12, op="delete", base_version=1)), "device:2", 1)
    assert again.state is None and again.status == "applied"
    stale = merge(state, check(mutation(13, op="delete", base_version=0)), "device:2", 1)
    assert stale.status == "conflict" and stale.overwrites[0].field == "*"
    unseen = merge(None, check(mutation(14, op="delete")), "device:2", 1)
    assert unseen.state is not None and unseen.state.version == 1


def test_cursor_round_trip_and_garbage():
    cursor = Cursor("abc", 2, 40)
    assert Cursor.parse(cursor.encode()) == cursor
    assert Cursor.parse(None) is None
    assert Cursor.parse("a.b.c") is None
    assert Cursor.parse("only.two") is None


def make_device(**fields) -> Device:
    return Device(id=1, user_id=1, login="f", label="p", created_at="x", last_seen_at="x",
                  expires_at="x", revoked=False, **fields)  # fmt: skip


def test_risks_of_a_device():
    now = datetime(2027, 5, 10, tzinfo=UTC)
    assert risks(make_device(), now) == []
    stale = make_device(pending=4, last_sync_at="2027-05-01T00:00:00+00:00")
    assert risks(stale, now) == ["records_waiting_without_sync"]
    fresh = make_device(pending=4, last_sync_at="2027-05-09T23:00:00+00:00", clock_offset_s=-900)
    assert risks(fresh, now) == ["clock_off"]
    revoked = msgspec.structs.replace(fresh, revoked=True, clock_offset_s=0.0)
    assert risks(revoked, now) == ["revoked_with_records_waiting"]


def test_merge_keeps_the_size_of_the_record_as_it_changes():
    from outreach.domain.merge import Working, apply

    work = Working(created())
    for n, body in enumerate([
        {"set": {"notes": "longer notes " * 20, "reason": None}},
        {"add": {"topics": ["a", "b"], "questions": [{"id": "q", "text": "why?"}]}},
        {"add": {"questions": [{"id": "q", "text": "why not?"}]}, "remove": {"topics": ["a"]}},
        {"remove": {"villages": ["431033100"], "questions": ["q"]}},
    ]):  # fmt: skip
        apply(work, check(mutation(200 + n, base_version=1, **body)), "device:1", 1)
        actual = len(msgspec.json.encode(work.doc()))
        assert actual <= work.size_bytes <= actual + 10


@pytest.mark.parametrize(("body", "allowed"), [
    ({"set": {"notes": "tab\tnewline\ncr\r"}}, True),
    ({"add": {"questions": [{"id": "q", "text": "two\nlines"}]}}, True),
    ({"set": {"notes": "nul\u0000"}}, False),
    ({"set": {"notes": "bell\u0007"}}, False),
    ({"set": {"plan_meeting": "line\n"}}, False),
    ({"add": {"topics": ["tab\t"]}}, False),
    ({"kind": "meeting\u0000"}, False),
    ({"set": {"notes": "a backslash and n: \\n"}}, True),
])  # fmt: skip
def test_check_control_characters_only_in_free_text(body, allowed):
    raw = mutation(300, **body)
    if allowed:
        check(raw)
        return
    with pytest.raises(Rejection) as caught:
        check(raw)
    assert caught.value.reason == "control_character"
    assert caught.value.checked is not None  # kept under its id: a retry gets the same answer
    assert "\u0000" not in caught.value.message


def test_rejection_messages_never_carry_control_characters():
    assert Rejection("x", "bad 'a\u0000b'").message == "bad 'a\\x00b'"


def test_merge_costs_the_size_of_the_change_not_of_the_record():
    import time

    from outreach.domain.merge import Working, apply

    def seconds(items: int) -> float:
        work = Working(created())
        lists = {"topics": [f"t{i}" for i in range(items)],
                 "questions": [{"id": f"q{i}", "text": "?"} for i in range(items)],
                 "referrals": [{"id": f"r{i}", "programme": "other"} for i in range(items)]}  # fmt: skip
        apply(work, check(mutation(400, base_version=1, add=lists)), "device:1", 1)
        edits = [check(mutation(500 + n, base_version=1, set={"notes": f"n{n}"},
                                add={"topics": [f"new {n}"], "questions": [{"id": "q1", "text": "!"}]},
                                remove={"topics": [f"t{n}"]})) for n in range(300)]  # fmt: skip
        started = time.perf_counter()
        for edit in edits:
            apply(work, edit, "device:2", 1)
        return time.perf_counter() - started

    small, large = min(seconds(5) for _ in range(3)), min(seconds(1000) for _ in range(3))
    assert large < 3 * small, (small, large)  # copying the record each time: 50 times slower


@pytest.mark.parametrize(("remove", "add", "allowed"), [
    ([], ["t0", "new1"], True),  # t0 replaced: 1,000 items
    ([], ["new1", "new2"], False),  # 1,001
    (["t1"], ["new1", "new2"], True),  # 998 + 2
    (["t1"], ["t1", "new1", "new2"], False),  # a removed item added again counts anew: 1,001
    (["absent"], ["new1", "new2"], False),  # removing what is not there frees nothing
])  # fmt: skip
def test_a_list_at_its_limit_counts_replaced_removed_and_new_items(remove, add, allowed):
    """The count is taken with set operations before any item is encoded: it must agree with
    item-by-item counting at the boundary, and a refusal must leave the record as it was."""
    from outreach.domain.merge import Working, apply
    from outreach.domain.records import MAX_LIST_ITEMS

    work = Working(created())
    apply(work, check(mutation(600, base_version=1, add={
        "topics": [f"t{i}" for i in range(MAX_LIST_ITEMS - 1)]})), "device:1", 1)  # fmt: skip
    before = msgspec.json.encode(work.doc())
    edit = check(mutation(601, base_version=1, add={"topics": add}, remove={"topics": remove}))
    if allowed:
        apply(work, edit, "device:1", 1)
        assert len(work.doc()["topics"]) == MAX_LIST_ITEMS
    else:
        with pytest.raises(Rejection) as refused:
            apply(work, edit, "device:1", 1)
        assert refused.value.reason == "too_many_items"
        assert msgspec.json.encode(work.doc()) == before


@pytest.mark.parametrize("items", [
    [], ["a", "b"], [{"id": "q1", "text": "?"}, {"id": "q2"}], ["a", {"id": "q1"}],
    [{"id": "q1"}, "a"],
])  # fmt: skip
def test_item_keys_are_each_items_key_in_order(items):
    from outreach.domain.records import item_key, item_keys

    assert item_keys(items) == [item_key(item) for item in items]
