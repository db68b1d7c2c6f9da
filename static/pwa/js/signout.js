// Signing out ends the session on the server (DELETE /session), not only on the page. Asked for
// with no connection, it is remembered in this browser and sent again as soon as the connection
// returns, or when a page of the service opens next; until then no page resumes the session (on a
// shared computer the next person would otherwise find the last one still signed in).
const PENDING = 'outreach-sign-out-pending';

// Whether a sign-out waits to be sent.
export const signOutWaits = () => localStorage.getItem(PENDING) === '1';

// True once the server holds no session for this browser (ended now, or already gone).
async function endOnServer() {
  const current = await fetch('/api/v1/session', { credentials: 'same-origin', cache: 'no-store' });
  if (current.status === 401) return true;
  if (!current.ok) return false;
  const { csrf_token: csrf } = await current.json();
  const ended = await fetch('/api/v1/session', { method: 'DELETE', credentials: 'same-origin',
    headers: { 'x-csrf-token': csrf } });
  return ended.ok || ended.status === 401;
}

let retrying = false;

// Whether no sign-out waits any more: one that waits is sent now; if it still cannot be, it is
// sent again when the browser is back online.
export async function settled() {
  if (!signOutWaits()) return true;
  const done = await endOnServer().catch(() => false);
  if (done) localStorage.removeItem(PENDING);
  else if (!retrying) {
    retrying = true;
    addEventListener('online', () => { retrying = false; settled(); }, { once: true });
  }
  return done;
}

// Sign out: true when the server has ended the session, false when it will be ended as soon as
// the connection returns (the page shows the sign-in form either way).
export async function signOutEverywhere() {
  localStorage.setItem(PENDING, '1');
  return settled();
}

// A new sign-in replaced the cookie: the session a waiting sign-out meant is no longer this
// browser's, and the new one must not be ended by it.
export function forgetPendingSignOut() {
  localStorage.removeItem(PENDING);
}
