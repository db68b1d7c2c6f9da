// The dashboard's panels, each drawn from the coverage API's answer (counts only).
import { name, t } from '../i18n.js';
import { h } from '../ui.js';
import { day, money, num, of, pct, rate } from './format.js';

// A wide table scrolls sideways in its own box (reachable by keyboard) under its heading,
// instead of breaking words.
const scroll = (id, heading, table) => [h('h3', { id, text: heading }),
  h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-labelledby': id }, table)];

function meter(part, whole) {
  const share = whole ? (100 * part) / whole : 0;
  const width = Math.min(100, share);
  return h('div', { class: 'meter', role: 'img', 'aria-label': `${Math.round(share)}%` }, h('span', { style: `width:${width}%` }));
}

// The headline: what is always known first (villages, okrugs, meetings, residents met); the
// share of the population met only over the villages whose population is known, saying over
// how many; and how many villages still lack a population, as a task for coordinators.
export function figures(data, { campaign, coordinator }) {
  const head = data.headline;
  const box = (id, label, value, ...notes) => h('div', { class: 'figure', id }, h('b', { text: value }), h('span', { text: label }),
    notes.filter(Boolean).map((note) => (typeof note === 'string' ? h('div', { class: 'muted', text: note }) : note)));
  const refs = Object.values(head.referrals).reduce((a, b) => a + b, 0);
  const okrugsReached = data.okrugs.filter((o) => o.villages_reached > 0).length;
  const known = head.villages_population_known
    ? t('dash.known_scope', { met: num(head.residents_reached_known), population: num(head.population_known),
      share: pct(head.residents_reached_share), n: num(head.villages_population_known) })
    : t('dash.known_none');
  const unknown = head.villages_population_unknown;
  const task = coordinator ? h('a', { href: 'console.html#/villages', id: 'add-populations', text: t('dash.add_populations') })
    : t('dash.ask_populations');
  const all = data.funnel;
  return h('div', { class: 'figures', id: 'headline' },
    box('head-villages', t('dash.villages_reached'), of(head.villages_reached, head.villages_in_scope)),
    box('head-okrugs', t('dash.okrugs_reached'), of(okrugsReached, data.okrugs.length)),
    box('head-meetings', t('dash.meetings'), of(head.meetings_held, head.meetings_planned), campaign),
    box('head-residents', t('dash.residents_met'), num(head.residents_reached), h('div', { class: 'muted', id: 'known-scope', text: known })),
    unknown ? box('head-unknown', t('dash.unknown_villages'), num(unknown), task) : null,
    box('head-referrals', t('dash.referrals'), num(refs), Object.entries(head.referrals).map(([p, n]) => `${t(`programme.${p}`)}: ${num(n)}`).join(' · ')),
    all ? box('financed', t('dash.financed_head'), t('dash.people_money', { n: num(all.financed), money: money(all.financed_tenge) }),
      t('dash.requested_note', { n: num(all.defended), money: money(all.requested_tenge) })) : null,
    box('head-km', t('dash.road_km'), num(head.road_km ?? 0)));
}

// District, then okrug, then village: the table of the level the dashboard is drilled into,
// each row's name a button one level down; a trail of buttons back up above it.
export function drill(data, { places, okrugNames, gazetteer, district, okrug, go }) {
  const steps = [[t('dash.all_districts'), () => go(null, null)]];
  if (district) steps.push([places.get(district) || district, () => go(district, null)]);
  if (okrug) steps.push([name(okrugNames.get(okrug)) || okrug, null]);
  const crumbs = steps.map(([text, onclick], i) => (i === steps.length - 1 ? h('span', { 'aria-current': 'location', text })
    : h('button', { type: 'button', class: 'link', text, onclick })));
  const trail = h('nav', { id: 'crumbs', 'aria-label': t('dash.drill') }, h('ol', {}, crumbs.map((c) => h('li', {}, c))));
  const th = (text, n) => h('th', { scope: 'col', class: n ? 'n' : null, text });
  const areaRow = (r, label, onclick) => h('tr', {},
    h('th', { scope: 'row' }, onclick ? h('button', { type: 'button', class: 'link', text: label, onclick }) : label),
    h('td', { class: 'n', text: `${num(r.villages_reached)}/${num(r.villages_in_scope)}` }),
    h('td', {}, meter(r.villages_reached, r.villages_in_scope)),
    h('td', { class: 'n', text: num(r.residents_reached) }),
    h('td', { class: 'n', text: pct(r.residents_reached_share) }),
    h('td', { class: 'n', text: `${num(r.meetings_held)}/${num(r.meetings_planned)}` }));
  const areaHead = (first) => h('tr', {}, th(first), th(t('dash.villages'), true), th(''), th(t('dash.residents_met'), true),
    th(t('dash.share_known'), true), th(t('dash.meetings_short'), true));
  let table;
  let heading;
  if (okrug) {
    heading = t('dash.villages_of', { area: name(okrugNames.get(okrug)) || okrug });
    const rows = data.villages.slice().sort((a, b) => Number(b.reached) - Number(a.reached)
      || name(gazetteer.get(a.kato)?.names).localeCompare(name(gazetteer.get(b.kato)?.names)));
    table = h('table', { id: 'drill-table', class: 'villages' },
      h('tr', {}, th(t('dash.village')), th(t('dash.reached'), true), th(t('dash.last_met'), true), th(t('dash.residents_met'), true),
        th(t('dash.population'), true), th(t('dash.share_known'), true)),
      rows.map((v) => h('tr', { 'data-kato': v.kato }, h('th', { scope: 'row', text: name(gazetteer.get(v.kato)?.names) || v.kato }),
        h('td', { class: 'n', text: v.reached ? t('dash.yes') : '—' }), h('td', { class: 'n', text: day(v.last_met) }),
        h('td', { class: 'n', text: num(v.attendance) }), h('td', { class: 'n', text: v.population === null ? t('dash.unknown') : num(v.population) }),
        h('td', { class: 'n', text: pct(v.share) }))));
  } else if (district) {
    heading = t('dash.okrugs_of', { area: places.get(district) || district });
    table = h('table', { id: 'drill-table', class: 'okrugs' }, areaHead(t('dash.okrug')),
      data.okrugs.map((r) => areaRow(r, name(okrugNames.get(r.key)) || r.key, () => go(district, r.key))));
  } else {
    heading = t('dash.by_district');
    table = h('table', { id: 'drill-table', class: 'districts' }, areaHead(t('dash.district')),
      data.districts.map((r) => areaRow(r, places.get(r.key) || r.key, () => go(r.key, null))));
  }
  return h('section', { class: 'panel', id: 'drill' }, h('h2', { text: t('dash.where') }), trail,
    scroll('drill-h', heading, table), h('p', { class: 'muted', text: t('dash.drill_note') }));
}

const STAGES = ['interested', 'contacted', 'referred', 'trained', 'defended', 'financed'];

function funnelTable(id, caption, heading, rows, label, total) {
  const th = (text) => h('th', { class: 'n', scope: 'col', text });
  const tenge = { defended: 'requested_tenge', financed: 'financed_tenge' };
  // each stage's cell: people, the conversion from the stage before, and its tenge
  const cell = (r, s) => h('td', { class: 'n' }, num(r[s]),
    s === 'interested' ? null : h('small', { class: 'conv', text: rate(r.conversion?.[s]) }),
    tenge[s] ? h('small', { class: 'tenge', text: money(r[tenge[s]]) }) : null);
  const line = (r, part) => h('tr', { class: part ? null : 'total' }, h('th', { scope: 'row', text: part ? label(r.key) : t('dash.all') }),
    STAGES.map((s) => cell(r, s)), h('td', { class: 'n', text: num(r.dropped) }));
  return scroll(id, caption, h('table', { class: 'funnel', 'aria-labelledby': id },
    h('tr', {}, h('th', { scope: 'col', text: heading }), STAGES.map((s) => th(t(`stage.${s}`))),
      th(t('stage.dropped'))),
    rows.map((r) => line(r, true)), total ? line(total, false) : null));
}

export function funnel(byDistrict, byProgramme, all, places) {
  const programme = (key) => (key === 'unspecified' ? t('dash.unspecified') : t(`programme.${key}`));
  return h('section', { class: 'panel wide', id: 'funnel' }, h('h2', { text: t('dash.funnel') }),
    funnelTable('funnel-district', t('dash.funnel_by_district'), t('dash.district'), byDistrict, (k) => places.get(k) || (k === 'unknown' ? t('dash.unknown') : k), all),
    funnelTable('funnel-programme', t('dash.funnel_by_programme'), t('dash.programme'), byProgramme || [], programme, null),
    h('p', { class: 'muted', text: t('dash.conversion_note') }), h('p', { class: 'muted', id: 'referrals-note', text: t('dash.referrals_note') }),
    h('p', { class: 'muted', text: t('dash.tenge_note') }));
}

const FIGURES = ['villages', 'residents', 'trained', 'financed', 'financed_tenge'];

export function targets(rows, places) {
  const cell = (figure, key) => {
    const show = key === 'financed_tenge' ? money : num;
    const goal = figure?.target;
    return h('td', { class: 'n' }, t('dash.actual_of_target', { actual: show(figure?.actual ?? 0), target: goal == null ? '—' : show(goal) }),
      goal == null ? null : meter(figure.actual ?? 0, goal));
  };
  const table = h('table', { class: 'targets', 'aria-labelledby': 'targets-caption' },
    h('tr', {}, h('th', { scope: 'col', text: t('dash.district') }),
      FIGURES.map((f) => h('th', { class: 'n', scope: 'col', text: t(`dash.target.${f}`) }))),
    rows.map((r) => h('tr', {}, h('th', { scope: 'row', text: places.get(r.district) || r.district }),
      FIGURES.map((f) => cell(r[f], f)))));
  return h('section', { class: 'panel wide', id: 'targets' }, h('h2', { text: t('dash.targets') }),
    rows.length ? scroll('targets-caption', t('dash.targets_caption'), table) : h('p', { class: 'muted', text: t('dash.targets_none') }));
}

function km(a, b) {
  const rad = Math.PI / 180;
  const x = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2
    + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(x));
}

export function notReached(villages, gazetteer, from, onFrom) {
  const origin = gazetteer.get(from)?.at;
  const rows = villages.filter((v) => !v.reached && gazetteer.get(v.kato)?.at)
    .map((v) => ({ v, g: gazetteer.get(v.kato), d: origin ? km(origin, gazetteer.get(v.kato).at) : 0 }))
    .sort((a, b) => a.d - b.d).slice(0, 25);
  const pick = h('select', { id: 'from' }, [...gazetteer.values()].filter((g) => g.kind === 'city' || g.kind === 'town')
    .map((g) => h('option', { value: g.kato, selected: g.kato === from, text: name(g.names) })));
  pick.addEventListener('change', () => onFrom(pick.value));
  return h('section', { class: 'panel' }, h('h2', { id: 'not-reached-h', text: t('dash.not_reached_list') }),
    h('label', { for: 'from', text: t('dash.nearest_from') }), pick,
    h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'not-reached-h' },
      h('table', { id: 'not-reached' }, rows.map(({ v, g, d }) => h('tr', {}, h('td', { text: name(g.names) }),
        h('td', { class: 'n', text: `${t('unit.km', { n: num(d) })}${g.approximate ? ' ≈' : ''}` }),
        h('td', { class: 'n', text: v.population === null ? t('dash.unknown') : num(v.population) }))))));
}

export function reachedList(villages, gazetteer, open) {
  const rows = villages.filter((v) => v.reached).sort((a, b) => (b.last_met || '').localeCompare(a.last_met || ''));
  const label = (v) => name(gazetteer.get(v.kato)?.names) || v.kato;
  return h('section', { class: 'panel' }, h('h2', { id: 'reached-h', text: t('dash.reached_list') }),
    h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'reached-h' },
      h('table', { id: 'reached' }, rows.slice(0, 60).map((v) => h('tr', {},
        h('td', {}, open ? h('button', { type: 'button', class: 'secondary', text: label(v), onclick: () => open(v.kato) }) : label(v)),
        h('td', { class: 'n', text: day(v.last_met) }), h('td', { class: 'n', text: num(v.attendance) }))))),
    h('div', { id: 'village-detail' }));
}
