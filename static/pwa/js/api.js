// The service's API, as the field app uses it: enrolment, the sync protocol (docs/sync.md),
// photo uploads and the follow-up list. Errors carry the server's stable code.
export const APP_VERSION = '1.0.0';
const BASE = new URL('../', location.href).pathname.replace(/app\/$/, '');

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.code || 'http_error';
    this.details = body?.details || [];
  }
}

// A request that gets no answer in this time is given up (and retried later): a connection that
// stalls (a dead cell, a captive portal) held the sync lock, and every later sync, for good.
export const TIMEOUT_MS = 90_000;

// How far the server's clock (its answers' Date header) is ahead of the phone's, as last seen:
// a phone whose clock is wrong dates its meetings and calls wrongly (null: no answer yet).
export const serverClock = { offsetMs: null };

async function call(path, { method = 'POST', json, body, token, headers = {} } = {}) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new DOMException('no answer', 'TimeoutError')), TIMEOUT_MS);
  try {
    return await answer(path, { method, json, body, token, headers }, abort.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function answer(path, { method, json, body, token, headers }, signal) {
  const init = { method, headers: { ...headers }, cache: 'no-store', signal };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (json !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  const response = await fetch(BASE + path, init); // a TypeError here means no network
  const date = Date.parse(response.headers.get('date') || '');
  if (!Number.isNaN(date)) serverClock.offsetMs = date - Date.now();
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

async function gzipped(text) {
  if (typeof CompressionStream === 'undefined') return null;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

export function report(pending) {
  return { pending, app_version: APP_VERSION, clock: new Date().toISOString() };
}

export function enrol(code, label) {
  return call('api/v1/devices/enrol', { json: { code, label } });
}

export async function push(token, mutations, pending) {
  const text = JSON.stringify({ mutations, device: report(pending) });
  const packed = await gzipped(text);
  if (!packed) return call('api/v1/sync/push', { token, json: JSON.parse(text) });
  return call('api/v1/sync/push', {
    token, body: packed,
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  });
}

export function pull(token, request) {
  return call('api/v1/sync/pull', { token, json: request });
}

// The team's residents to follow up (docs/followup.md): who to call or visit, and when.
export function followups(token) {
  return call('api/v1/residents/followups', { method: 'GET', token });
}

export function photoProgress(token, sha256) {
  return call(`api/v1/sync/photos/${sha256}`, { method: 'GET', token });
}

export function putPhoto(token, sha256, chunk, first, total) {
  const last = first + chunk.size - 1;
  return call(`api/v1/sync/photos/${sha256}`, {
    method: 'PUT', token, body: chunk,
    headers: { 'content-type': 'image/jpeg', 'content-range': `bytes ${first}-${last}/${total}` },
  });
}
