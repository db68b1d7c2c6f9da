// Positions at meetings: where the phone was when a held meeting was saved, beside the village
// the meeting was planned at, with a warning when it was farther than the server's threshold
// even allowing for the fix's accuracy. Coordinators and admins only: leadership never sees
// where anyone was.
import { h, show } from '../ui.js';
import { api } from './api.js';
import { dateText, name, number, placeName, t, teamLabel } from './common.js';

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
  const page = await api('meetings/positions?limit=1000');
  const only = h('input', { type: 'checkbox', name: 'far', checked: state.farOnly });
  const body = h('tbody', {});
  const empty = h('p', { class: 'muted', text: t('con.none') });
  const draw = () => {
    state.farOnly = only.checked;
    const rows = page.items.filter((m) => !state.farOnly || m.far);
    body.replaceChildren(...rows.map(row));
    empty.hidden = rows.length > 0;
  };
  only.addEventListener('change', draw);
  const columns = ['con.col.date', 'con.col.team', 'con.col.planned_hub', 'con.col.distance', 'con.col.accuracy', 'con.col.position', 'con.col.check'];
  show(view, h('h1', { text: t('con.nav.positions') }),
    h('p', { text: t('con.positions_intro', { km: number(page.threshold_km, 1) }) }),
    h('p', { id: 'positions-summary', role: 'status', class: page.far ? 'warning' : null, text: t('con.positions_summary', { n: page.total, far: page.far }) }),
    h('label', { class: 'check' }, only, ` ${t('con.only_far')}`),
    h('div', { class: 'scroll' }, h('table', { id: 'positions' }, h('thead', {}, h('tr', {}, columns.map((k) => h('th', { scope: 'col', text: t(k) })))), body)),
    empty,
    page.next_offset != null ? h('p', { class: 'muted', text: t('con.positions_more', { n: page.items.length, all: page.total }) }) : null);
  draw();
}
