// The dashboard's session, as the console keeps its own: the API with the session cookie and
// the CSRF header on writes, the sign-in form, who is signed in, and signing out, which ends
// the session on the server (DELETE /session), not only on this page.
import { t } from '../i18n.js';
import { forgetPendingSignOut, settled, signOutEverywhere } from '../signout.js';
import { field, h, show } from '../ui.js';

export const session = { csrf: null, user: null };

export async function api(path, init = {}) {
  const headers = { ...(init.headers || {}) };
  if (session.csrf && init.method && init.method !== 'GET') headers['x-csrf-token'] = session.csrf;
  const response = await fetch(`/api/v1/${path}`, { ...init, headers, credentials: 'same-origin' });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw Object.assign(new Error(body?.message || response.status), { status: response.status, code: body?.code });
  return body;
}

function keep(signed) {
  Object.assign(session, { csrf: signed?.csrf_token ?? null, user: signed?.user ?? null });
}

// The session this browser already has, or null (none while a sign-out waits to be sent).
export async function resume() {
  keep(await settled() ? await api('session').catch(() => null) : null);
  return session.user;
}

// The sign-in form; `onSignedIn` runs once the server has taken the password. Only the
// server's refusal of the password is a failed sign-in.
export function signInForm(view, onSignedIn, note = null) {
  const login = h('input', { name: 'login', autocomplete: 'username' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password' });
  const message = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {}, field('dash.login', login), field('dash.password', password), message,
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('dash.sign_in') })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      keep(await api('session', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: login.value, password: password.value }) }));
      forgetPendingSignOut();
    } catch (error) {
      message.textContent = error.code === 'use_enrolled_phone' ? t('dash.use_phone')
        : error.status === 429 ? t('dash.throttled') : t('dash.sign_in_failed');
      return;
    }
    await onSignedIn();
  });
  who(null);
  show(view, h('h1', { text: t('dash.sign_in_title') }), note && h('p', { class: 'muted', role: 'status', id: 'signed-out-note', text: note }), form);
}

// The header's name and sign-out button (nothing when no one is signed in).
export function who(onSignOut) {
  const box = document.getElementById('who');
  if (!session.user || !onSignOut) { box.replaceChildren(); return; }
  box.replaceChildren(h('span', { text: session.user.display_name }),
    h('button', { type: 'button', class: 'secondary', id: 'sign-out', text: t('dash.sign_out'), onclick: onSignOut }));
}

// Sign out: true when the server ended the session, false when it will as soon as the
// connection returns (signout.js).
export async function signOut() {
  const ended = await signOutEverywhere();
  keep(null);
  return ended;
}
