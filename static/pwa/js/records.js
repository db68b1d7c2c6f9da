// Records as mutations (docs/sync.md): what changed between two versions of a record, and a
// mutation applied to the phone's own copy. Pure functions, no I/O.
export const LIST_FIELDS = {
  meeting: ['villages', 'topics', 'questions', 'referrals', 'interested', 'photos'],
  followup: [],
  village_position: [],
};

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function itemKey(item) {
  return typeof item === 'object' && item !== null ? item.id : String(item);
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Only what changed: single fields in `set`, list items added (new or changed) and removed.
export function diff(kind, before, after) {
  const lists = LIST_FIELDS[kind];
  const change = { set: {}, add: {}, remove: {} };
  for (const [field, value] of Object.entries(after)) {
    if (lists.includes(field)) continue;
    if (!same(before[field] ?? null, value ?? null)) change.set[field] = value ?? null;
  }
  for (const field of lists) {
    const old = new Map((before[field] || []).map((i) => [itemKey(i), i]));
    const now = new Map((after[field] || []).map((i) => [itemKey(i), i]));
    const added = [...now].filter(([k, i]) => !old.has(k) || !same(old.get(k), i)).map(([, i]) => i);
    const removed = [...old.keys()].filter((k) => !now.has(k));
    if (added.length) change.add[field] = added;
    if (removed.length) change.remove[field] = removed;
  }
  return change;
}

export function isEmpty(change) {
  return !Object.keys(change.set).length && !Object.keys(change.add).length
    && !Object.keys(change.remove).length;
}

export function mutation(kind, recordId, baseVersion, change, op = 'put') {
  return {
    mutation_id: uuid(), record_id: recordId, kind, op, base_version: baseVersion,
    set: change.set, add: change.add, remove: change.remove, made_at: new Date().toISOString(),
  };
}

// The phone's copy after one of its own mutations (the server will do the same, and say so).
export function applyLocal(data, m) {
  if (m.op === 'delete') return null;
  const next = { ...(data || {}), ...m.set };
  for (const field of LIST_FIELDS[m.kind]) {
    const adds = m.add?.[field] || [];
    const removes = new Set(m.remove?.[field] || []);
    if (!adds.length && !removes.size) continue;
    const items = new Map((next[field] || []).map((i) => [itemKey(i), i]));
    for (const key of removes) items.delete(key);
    for (const item of adds) items.set(itemKey(item), item);
    next[field] = [...items.values()];
  }
  return next;
}

// The record of a planned meeting on this phone, logged against the plan (its id first in
// `planIds`) or against one a re-plan replaced (the meeting keeps its id).
export function loggedMeeting(records, planIds, meetingId) {
  return records.find((r) => r.kind === 'meeting' && planIds.includes(r.data?.plan_id)
    && r.data?.plan_meeting === meetingId);
}
