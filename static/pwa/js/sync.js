// Sync driven by the page (docs/sync.md): push the outbox in order, pull the team's changes,
// upload photos, fetch the follow-up list; one tab at a time (Web Locks); backoff after
// failures; an honest status.
import * as api from './api.js';
import * as db from './db.js';
import { refresh as refreshFollowups } from './followups.js';
import { named } from './photos.js';
import { applyLocal, diff, mutation } from './records.js';
import { backoff, refusedField } from './rules.js';

const BATCH = 200;
const CHUNK = 256 * 1024;
const REFUSED = ['device_revoked', 'user_disabled', 'device_expired', 'device_role_changed',
  'sign_in_required'];
const FOR_GOOD = ['device_revoked', 'user_disabled', 'device_role_changed'];
let attempt = 0;
let retry = null;

export async function status() { return db.meta('status', {}); }

// Records the server refused (and parked for the coordinator): each waits here, with the
// reason, until the user corrects and sends it again or discards the change. Phones from
// before this list kept refusals in `rejected`, which becomes it once.
export async function attention() {
  const kept = await db.meta('attention');
  if (kept) return kept;
  const old = await db.meta('rejected', []);
  const latest = new Map(old.map((r) => [r.record_id, { ...r, field: refusedField(r.message) }]));
  await db.setMeta('attention', [...latest.values()]);
  return [...latest.values()];
}

// Records with changes waiting to be sent (three edits of one meeting are one record).
export async function waitingRecords() {
  return db.countKeys('outbox', 'record_id');
}

async function setStatus(patch) {
  const next = { ...(await status()), ...patch, pending: await waitingRecords(),
    attention: (await attention()).length, photos: await pendingPhotos() };
  await db.setMeta('status', next);
  dispatchEvent(new CustomEvent('outreach:status', { detail: next }));
  return next;
}

// A change the user saved: its mutation and the local copy, written together.
export async function save(kind, recordId, change, op = 'put') {
  const record = await db.get('records', recordId);
  const m = mutation(kind, recordId, record?.version || 0, change, op);
  const data = applyLocal(record?.data, m);
  await db.atomically(['outbox', 'records'], (s) => {
    s.outbox.add(m);
    s.records.put({ id: recordId, kind, version: record?.version || 0, data, deleted: !data, local: true,
      synced: record?.synced ?? null });
  });
  await setStatus({});
  return m;
}

// A refused record, corrected: one new mutation from what the server holds (`synced`) to the
// corrected copy, so that everything the refused change carried is sent again with the fix
// (or `change` itself, when every field must go: a follow-up's call is an event of its own).
export async function resend(kind, recordId, corrected, change = null) {
  const record = await db.get('records', recordId);
  const m = mutation(kind, recordId, record?.version || 0, change || diff(kind, record?.synced || {}, corrected));
  await db.atomically(['outbox', 'records'], (s) => {
    s.outbox.add(m);
    s.records.put({ id: recordId, kind, version: record?.version || 0, data: corrected, deleted: false,
      local: true, synced: record?.synced ?? null });
  });
  await forget(recordId);
  return m;
}

// A refused change given up (the user confirmed): the record goes back to what the server
// holds, or away if the server never had it.
export async function discard(recordId) {
  const record = await db.get('records', recordId);
  if (record && record.synced) await db.put('records', { ...record, data: record.synced, deleted: false, local: false, rejected: null });
  else if (record) await db.remove('records', recordId);
  await forget(recordId);
}

async function forget(recordId) {
  await db.setMeta('attention', (await attention()).filter((a) => a.record_id !== recordId));
  const record = await db.get('records', recordId);
  if (record?.rejected) await db.put('records', { ...record, rejected: null });
  await setStatus({});
}

export function syncNow(reason = 'manual') {
  if (navigator.locks) {
    return navigator.locks.request('outreach-sync', { ifAvailable: true },
      (lock) => (lock ? run(reason) : 'busy'));
  }
  return run(reason);
}

async function run(reason) {
  const device = await db.meta('device');
  if (!device?.token) { await setStatus({ state: 'not_enrolled' }); return 'not_enrolled'; }
  if (device.refused) { await setStatus({ state: 'refused' }); return 'refused'; }
  clearTimeout(retry);
  await setStatus({ state: 'syncing', reason });
  try {
    await pushAll(device.token);
    await pullAll(device.token);
    await uploadPhotos(device.token);
    await refreshFollowups(device.token); // what was just sent is in it; a failure keeps the last
  } catch (error) {
    return failed(error);
  }
  attempt = 0;
  await setStatus({ state: 'ok', last_success: new Date().toISOString(), last_error: null,
    clock_off_ms: clockOff(api.serverClock.offsetMs) });
  return 'ok';
}

// A clock more than this off the server's is told (the coordinators' devices list flags the
// same): a phone's "today" is what dates its meetings and calls.
const CLOCK_OFF_MS = 10 * 60_000;
function clockOff(offset) {
  return offset !== null && Math.abs(offset) > CLOCK_OFF_MS ? offset : null;
}

async function failed(error) {
  const at = new Date().toISOString();
  const info = error instanceof api.ApiError
    ? { code: error.code, message: error.message, status: error.status }
    : { code: 'network', message: String(error?.message || error) };
  if (REFUSED.includes(info.code)) {
    // refused for good (a lost phone revoked, its user gone): what the server holds already
    // leaves the phone, residents' names and phones with it; what waits to be sent stays
    if (FOR_GOOD.includes(info.code)) await leaveTeam();
    await db.setMeta('device', { ...(await db.meta('device')), refused: info.code });
    await setStatus({ state: 'refused', last_error: { ...info, at } });
    return 'refused';
  }
  const wait = backoff(attempt++);
  retry = setTimeout(() => syncNow('retry'), wait);
  await setStatus({ state: 'waiting', last_error: { ...info, at }, retry_at: Date.now() + wait });
  return 'failed';
}

async function pushAll(token) {
  for (;;) {
    const pending = await db.all('outbox');
    if (!pending.length) return;
    const batch = pending.slice(0, BATCH);
    const wire = batch.map(({ n, ...m }) => m);
    const answer = await api.push(token, wire, new Set(pending.map((m) => m.record_id)).size);
    for (let i = 0; i < batch.length; i += 1) await settle(batch[i], answer.results[i]);
  }
}

async function settle(entry, result) {
  const final = result.status === 'duplicate' ? result.original : result;
  const record = await db.get('records', entry.record_id);
  await db.remove('outbox', entry.n);
  const later = await db.byIndex('outbox', 'record_id', entry.record_id);
  if (final.status === 'rejected') {
    const refused = { mutation_id: entry.mutation_id, record_id: entry.record_id, kind: entry.kind,
      reason: final.reason, message: final.message, field: refusedField(final.message), at: new Date().toISOString() };
    await db.setMeta('attention', [...(await attention()).filter((a) => a.record_id !== entry.record_id), refused]);
    if (record) await db.put('records', { ...record, rejected: { reason: refused.reason, field: refused.field } });
    return;
  }
  if (final.status === 'conflict' && final.record) {
    const synced = final.record.deleted ? null : final.record.data;
    let data = synced;
    for (const m of later) data = applyLocal(data, m);
    await db.put('records', { id: entry.record_id, kind: entry.kind, version: final.version,
      data, deleted: !data, local: later.length > 0, synced, rejected: record?.rejected || null });
    return;
  }
  if (record) {
    await db.put('records', { ...record, version: final.version, local: later.length > 0,
      synced: applyLocal(record.synced, entry) });
  }
}

async function pullAll(token) {
  let cursor = await db.meta('cursor');
  for (;;) {
    const page = await api.pull(token, {
      cursor, limit: 1000, plan_etag: (await db.meta('plan'))?.etag || null,
      reference_etag: (await db.meta('reference'))?.etag || null,
      device: api.report(await waitingRecords()),
    });
    if (page.reset) await dropSynced();
    const missing = new Map((await db.meta('resync', [])).map((r) => [r.id, r]));
    for (const r of page.records) {
      missing.delete(r.id);
      if ((await db.byIndex('outbox', 'record_id', r.id)).length) continue; // ours wins locally
      const mine = await db.get('records', r.id);
      if (mine?.rejected) { // the refused copy waits for the user; what the server holds moves on
        await db.put('records', { ...mine, version: r.version, synced: r.data || null });
        continue;
      }
      await db.put('records', { id: r.id, kind: r.kind, version: r.version, data: r.data || null,
        deleted: !!r.deleted, local: false, synced: r.data || null });
    }
    if (missing.size || page.reset) await db.setMeta('resync', [...missing.values()]);
    if (page.plan) await db.setMeta('plan', page.plan);
    if (page.reference) await db.setMeta('reference', page.reference);
    cursor = page.cursor;
    await db.setMeta('cursor', cursor);
    await db.setMeta('server_id', page.server_id);
    if (!page.more) return sendAgain(token);
  }
}

// A reset means the server is not the one the phone knew (restored from a backup, or
// replaced). What the phone held and the server no longer has is sent again, so nothing
// acknowledged before the loss is lost for good.
async function sendAgain(token) {
  const missing = await db.meta('resync', []);
  if (!missing.length) return;
  for (const record of missing) {
    if (record.deleted || !record.data) continue;
    await db.put('records', { ...record, version: 0, synced: null });
    await save(record.kind, record.id, diff(record.kind, {}, record.data));
  }
  await db.setMeta('resync', []);
  await pushAll(token);
}

// Enrolled as a user of another team: the old team's records the phone holds are on the
// server already, and theirs (residents' names and phones among them): they go. What waits to
// be sent, or was refused and waits for a correction, stays and is sent as the new team's. The
// cursor, the plan and the follow-ups start again: the server's reset (for a server restored
// from a backup) would have sent the old team's records again as the new team's.
export async function leaveTeam() {
  const waiting = new Set((await db.all('outbox')).map((m) => m.record_id));
  for (const record of await db.all('records')) {
    if (!waiting.has(record.id) && !record.rejected) await db.remove('records', record.id);
  }
  for (const key of ['cursor', 'resync', 'plan', 'followups']) await db.remove('meta', key);
  await setStatus({});
}

async function dropSynced() {
  const kept = [];
  for (const record of await db.all('records')) {
    if ((await db.byIndex('outbox', 'record_id', record.id)).length) continue;
    kept.push(record);
    await db.remove('records', record.id);
  }
  // kept until the full pull says which of them the server still has
  await db.setMeta('resync', [...(await db.meta('resync', [])), ...kept]);
}

async function uploadPhotos(token) {
  for (const photo of await unsent()) {
    let { received_bytes: from, complete, total_bytes: total } = await api.photoProgress(token, photo.sha256);
    if (total !== null && total !== photo.size) from = 0;
    while (!complete) {
      try {
        ({ received_bytes: from, complete } = await api.putPhoto(
          token, photo.sha256, photo.blob.slice(from, from + CHUNK), from, photo.size));
      } catch (error) {
        if (error.code !== 'upload_offset_mismatch') throw error;
        from = error.details[0].received_bytes;
      }
    }
    await db.put('photos', { sha256: photo.sha256, size: photo.size, complete: true });
  }
}

// The photos a saved meeting names that are not on the server yet.
async function unsent() {
  const waiting = (await db.all('photos')).filter((p) => !p.complete);
  if (!waiting.length) return waiting; // the usual case: no need to read every record
  const wanted = await named();
  return waiting.filter((p) => wanted.has(p.sha256));
}

export async function pendingPhotos() { return (await unsent()).length; }
