// The service's API as the console uses it: the session cookie, the CSRF header on writes,
// errors with the server's stable code, and planning answers streamed line by line.
import { ApiError } from '../api.js';
import { forgetPendingSignOut, settled, signOutEverywhere } from '../signout.js';

export { ApiError };
export const session = { csrf: null, user: null };

function init(method, json, body, headers = {}) {
  const all = { ...headers };
  if (session.csrf && method !== 'GET') all['x-csrf-token'] = session.csrf;
  if (json !== undefined) all['content-type'] = 'application/json';
  return { method, headers: all, credentials: 'same-origin', cache: 'no-store',
    body: json !== undefined ? JSON.stringify(json) : body };
}

// A request: no answer at all is `offline` (a fault of the console's own is not); a 401 while
// signed in means the session ended (expired, or signed out elsewhere): the console is told,
// and asks for the password again.
async function send(path, options) {
  let response;
  try {
    response = await fetch(`/api/v1/${path}`, options);
  } catch (error) {
    throw new ApiError(0, { code: 'offline', message: String(error?.message || error) });
  }
  if (response.status === 401 && session.user) {
    Object.assign(session, { csrf: null, user: null });
    dispatchEvent(new CustomEvent('console:session-ended'));
  }
  return response;
}

export async function api(path, { method = 'GET', json, body, headers } = {}) {
  const response = await send(path, init(method, json, body, headers));
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// A planning answer in application/x-ndjson: `onLine` gets each stage as it comes; the last
// line (`done` or `error`) is returned.
export async function stream(path, json, onLine) {
  const response = await send(path, init('POST', json));
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, cut).trim();
      buffer = buffer.slice(cut + 1);
      if (!line) continue;
      last = JSON.parse(line);
      onLine(last);
    }
  }
  if (buffer.trim()) { last = JSON.parse(buffer); onLine(last); }
  if (!last) throw new ApiError(502, { code: 'stream_ended' });
  if (last.stage === 'error') throw new ApiError(last.error?.status || 500, last.error);
  return last;
}

export async function signIn(login, password) {
  const signed = await api('session', { method: 'POST', json: { login, password } });
  Object.assign(session, { csrf: signed.csrf_token, user: signed.user });
  forgetPendingSignOut();
  return signed;
}

// The session this browser has; an ApiError when there is none, or a sign-out waits to be sent.
export async function resume() {
  if (!(await settled())) throw new ApiError(401, { code: 'sign_in_required' });
  const current = await api('session');
  Object.assign(session, { csrf: current.csrf_token, user: current.user });
  return current;
}

// Sign out: true when the server ended the session, false when it will as soon as the
// connection returns (signout.js).
export async function signOut() {
  const ended = await signOutEverywhere();
  Object.assign(session, { csrf: null, user: null });
  return ended;
}
