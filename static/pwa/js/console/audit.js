// The audit log, for admins: who did what, when, from where. Filtered by person, action and
// day on the server, newest first, a page at a time with "older lines" below, so that a line
// is found however long the log has grown.
import { h, show } from '../ui.js';
import { api } from './api.js';
import { button, errorText, labelled, t, whenText } from './common.js';

const PAGE = 200;
const SYSTEM_ACTORS = ['anonymous', 'cli', 'demo', 'simulator'];

function row(e) {
  return h('tr', {}, h('td', { text: whenText(e.at) }), h('td', { text: e.actor }), h('td', { text: e.action }),
    h('td', { text: e.object || '' }), h('td', { text: e.client || '' }), h('td', { text: outcomeText(e.outcome) }));
}

// ok, refused, forced (a check overridden) in the user's language; another as the log has it.
function outcomeText(outcome) {
  const key = `con.outcome.${outcome}`;
  return t(key) !== key ? t(key) : outcome;
}

export async function render(view) {
  const users = await api('users').catch(() => []);
  const actors = [...new Set([...users.map((u) => u.login), ...SYSTEM_ACTORS])].sort();
  const actor = h('select', { name: 'actor' }, h('option', { value: '', text: t('con.all') }), actors.map((a) => h('option', { value: a, text: a })));
  const what = h('input', { name: 'action', type: 'search', maxlength: 64 });
  const since = h('input', { name: 'since', type: 'date' });
  const body = h('tbody', {});
  const count = h('p', { class: 'muted', role: 'status', id: 'audit-count' });
  const message = h('p', { class: 'error', role: 'alert' });
  const older = button(t('con.audit_older'), { class: 'secondary', id: 'audit-older' });
  let shown = [];
  let asked = 0;
  const load = async (more) => {
    const mine = ++asked;
    const params = new URLSearchParams({ limit: PAGE });
    if (actor.value) params.set('actor', actor.value);
    if (what.value.trim()) params.set('action', what.value.trim());
    // the day as the table shows times: from the user's own midnight
    if (since.value) params.set('since', new Date(`${since.value}T00:00`).toISOString());
    if (more && shown.length) params.set('before', shown[shown.length - 1].id);
    message.textContent = '';
    let page;
    try { page = await api(`audit?${params}`); } catch (error) { message.textContent = errorText(error); return; }
    if (mine !== asked) return; // an older answer arriving after a newer question
    shown = more ? [...shown, ...page] : page;
    body.replaceChildren(...shown.map(row));
    older.hidden = page.length < PAGE;
    count.textContent = t(older.hidden ? 'con.audit_count_all' : 'con.audit_count', { n: shown.length });
  };
  let timer;
  what.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(false), 300); });
  [actor, since].forEach((el) => el.addEventListener('change', () => load(false)));
  older.addEventListener('click', () => load(true));
  const form = h('form', { class: 'form-grid panel', role: 'search', onsubmit: (e) => { e.preventDefault(); clearTimeout(timer); load(false); } },
    labelled('con.f.actor', actor), labelled('con.f.action', what), labelled('con.f.since', since));
  show(view, h('h1', { text: t('con.nav.audit') }), form, count, message,
    h('div', { class: 'scroll' }, h('table', { id: 'audit' }, h('thead', {}, h('tr', {}, ['con.col.at', 'con.col.actor', 'con.col.action', 'con.col.object',
      'con.col.client', 'con.col.outcome'].map((k) => h('th', { scope: 'col', text: t(k) })))), body)),
    h('div', { class: 'actions' }, older));
  await load(false);
}
