// Positions at meetings: where the phone was when a held meeting was saved, beside the village
// the meeting was planned at, with a warning when it was farther than the server's threshold
// even allowing for the fix's accuracy. Coordinators and admins only: leadership never sees
// where anyone was.
import { h, show } from '../ui.js';
import { api } from './api.js';
import { button, dateText, errorText, name, number, placeName, t, teamLabel } from './common.js';

const PAGE = 500;

const state = { farOnly: false };

function hubCell(m) {
  const hub = m.planned_hub;
  const note = (text) => [h('br'), h('span', { class: 'muted', text })];
  return h('td', {}, name(hub.names) || placeName(hub.kato),
    hub.source === 'plan' ? h('span', { class: 'muted', text: ` · ${t('con.from_plan')}` }) : null,
    hub.quality && hub.quality !== 'exact' ? note(t('con.hub_approximate')) : null,
    m.hub !== hub.kato ? note(t('con.held_at', { place: placeName(m.hub) })) : null);
}

function check(m) {
  if (m.far) return h('span', { class: 'pill bad', text: `⚠ ${t('con.far_from_hub')}` });
  return m.distance_km == null ? '—' : h('span', { class: 'pill', text: t('con.near_hub') });
}

function row(m) {
  return h('tr', { 'data-meeting': m.id, 'data-far': m.far ? 'true' : 'false' },
    h('td', { text: `${dateText(m.date)}${m.start ? ` ${m.start}` : ''}` }),
    h('td', { text: teamLabel(m.team) }),
    hubCell(m),
    h('td', { class: 'n', text: m.distance_km == null ? '—' : t('con.km_n', { n: number(m.distance_km, 1) }) }),
    h('td', { class: 'n', text: m.accuracy_m == null ? '—' : t('con.m_n', { n: number(m.accuracy_m) }) }),
    h('td', { class: 'n', text: `${m.position.lat.toFixed(5)}, ${m.position.lon.toFixed(5)}` }),
    h('td', {}, check(m)));
}

export async function render(view) {
  // `total` and `far` of the whole list, as the first page (never filtered) counts them
  const counts = await api(`meetings/positions?limit=${PAGE}`);
  let items = [];
  let next = null;
  const only = h('input', { type: 'checkbox', name: 'far', checked: state.farOnly });
  const body = h('tbody', {});
  const empty = h('p', { class: 'muted', text: t('con.none') });
  const shown = h('p', { class: 'muted', id: 'positions-shown' });
  const message = h('p', { class: 'error', role: 'alert' });
  const older = button(t('con.positions_older'), { class: 'secondary', id: 'positions-older' });
  let asked = 0;
  const draw = (page) => {
    next = page.next_offset;
    body.replaceChildren(...items.map(row));
    empty.hidden = items.length > 0;
    older.hidden = next == null;
    shown.textContent = next == null ? '' : t('con.positions_more', { n: items.length, all: page.total });
  };
  const load = async (more) => {
    const mine = ++asked;
    const params = new URLSearchParams({ limit: PAGE, offset: more ? next : 0 });
    if (state.farOnly) params.set('far', 'true');
    message.textContent = '';
    let page;
    try { page = await api(`meetings/positions?${params}`); } catch (error) { message.textContent = errorText(error); return; }
    if (mine !== asked) return; // an older answer arriving after a newer question
    items = more ? [...items, ...page.items] : page.items;
    draw(page);
  };
  only.addEventListener('change', () => { state.farOnly = only.checked; load(false); });
  older.addEventListener('click', () => load(true));
  const columns = ['con.col.date', 'con.col.team', 'con.col.planned_hub', 'con.col.distance', 'con.col.accuracy', 'con.col.position', 'con.col.check'];
  show(view, h('h1', { text: t('con.nav.positions') }),
    h('p', { text: t('con.positions_intro', { km: number(counts.threshold_km, 1) }) }),
    h('p', { id: 'positions-summary', role: 'status', class: counts.far ? 'warning' : null, text: t('con.positions_summary', { n: counts.total, far: counts.far }) }),
    h('label', { class: 'check' }, only, ` ${t('con.only_far')}`), message,
    h('div', { class: 'scroll' }, h('table', { id: 'positions' }, h('thead', {}, h('tr', {}, columns.map((k) => h('th', { scope: 'col', text: t(k) })))), body)),
    empty, shown, h('div', { class: 'actions' }, older));
  if (state.farOnly) await load(false);
  else { items = counts.items; draw(counts); }
}
