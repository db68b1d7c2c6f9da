// The audit log, for admins: who did what, when, from where, filtered by person, action and
// day over the newest thousand entries.
import { h, show } from '../ui.js';
import { api } from './api.js';
import { labelled, t, whenText } from './common.js';

export async function render(view) {
  const entries = await api('audit?limit=1000');
  const actors = [...new Set(entries.map((e) => e.actor))].sort();
  const actor = h('select', { name: 'actor' }, h('option', { value: '', text: t('con.all') }), actors.map((a) => h('option', { value: a, text: a })));
  const what = h('input', { name: 'action', type: 'search' });
  const since = h('input', { name: 'since', type: 'date' });
  const body = h('tbody', {});
  const count = h('p', { class: 'muted', role: 'status' });
  const draw = () => {
    const shown = entries.filter((e) => (!actor.value || e.actor === actor.value) && (!what.value || e.action.includes(what.value.trim()))
      && (!since.value || e.at.slice(0, 10) >= since.value));
    count.textContent = t('con.audit_count', { n: shown.length, all: entries.length });
    body.replaceChildren(...shown.slice(0, 500).map((e) => h('tr', {}, h('td', { text: whenText(e.at) }), h('td', { text: e.actor }),
      h('td', { text: e.action }), h('td', { text: e.object || '' }), h('td', { text: e.client || '' }), h('td', { text: e.outcome }))));
  };
  [actor, what, since].forEach((el) => el.addEventListener('input', draw));
  show(view, h('h1', { text: t('con.nav.audit') }),
    h('div', { class: 'form-grid panel' }, labelled('con.f.actor', actor), labelled('con.f.action', what), labelled('con.f.since', since)),
    count, h('div', { class: 'scroll' }, h('table', { id: 'audit' }, h('thead', {}, h('tr', {}, ['con.col.at', 'con.col.actor', 'con.col.action', 'con.col.object',
      'con.col.client', 'con.col.outcome'].map((k) => h('th', { scope: 'col', text: t(k) })))), body)));
  draw();
}
