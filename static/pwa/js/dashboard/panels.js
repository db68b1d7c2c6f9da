// The dashboard's panels, each drawn from the coverage API's answer (counts only).
import { lang, name, t } from '../i18n.js';
import { project } from '../map.js';
import { h } from '../ui.js';

const NS = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
};
const pct = (share) => (share === null || share === undefined ? t('dash.unknown') : `${(share * 100).toFixed(1)}%`);
const num = (n) => Math.round(n).toLocaleString('en').replace(/,/g, ' ');
const of = (part, whole) => t('dash.of', { part: num(part), whole: num(whole) });
// Money grouped as the UI language writes it, by hand: browsers' own locale data may lack Kazakh.
const GROUP = { kk: '\u00a0', ru: '\u00a0', en: ',' };
const grouped = (n) => String(Math.round(n || 0)).replace(/\B(?=(\d{3})+(?!\d))/g, GROUP[lang()] ?? '\u00a0');
const money = (n) => t('dash.tenge', { n: grouped(n) });
const rate = (share) => (share === null || share === undefined ? '—' : t('dash.percent', { n: Math.round(share * 100) }));
// A wide table scrolls sideways in its own box (reachable by keyboard) under its heading,
// instead of breaking words.
const scroll = (id, heading, table) => [h('h3', { id, text: heading }),
  h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-labelledby': id }, table)];

function meter(part, whole) {
  const share = whole ? (100 * part) / whole : 0;
  const width = Math.min(100, share);
  return h('div', { class: 'meter', role: 'img', 'aria-label': `${Math.round(share)}%` }, h('span', { style: `width:${width}%` }));
}

export function figures(head, all) {
  const box = (label, value, note, id) => h('div', { class: 'figure', id }, h('b', { text: value }), h('span', { text: label }),
    note ? h('div', { class: 'muted', text: note }) : null);
  const refs = Object.values(head.referrals).reduce((a, b) => a + b, 0);
  return h('div', { class: 'figures', id: 'headline' },
    box(t('dash.villages_reached'), of(head.villages_reached, head.villages_in_scope)),
    box(t('dash.residents_reached'), of(head.residents_reached, head.population_known),
      `${pct(head.residents_reached_share)} · ${t('dash.population_unknown', { n: head.villages_population_unknown })}`),
    box(t('dash.meetings'), of(head.meetings_held, head.meetings_planned)),
    box(t('dash.road_km'), num(head.road_km ?? 0)),
    box(t('dash.referrals'), num(refs), Object.entries(head.referrals).map(([p, n]) => `${t(`programme.${p}`)}: ${n}`).join(' · ')),
    all ? box(t('dash.financed_head'), t('dash.people_money', { n: num(all.financed), money: money(all.financed_tenge) }),
      t('dash.requested_note', { n: num(all.defended), money: money(all.requested_tenge) }), 'financed') : null);
}

export function districts(rows, places) {
  return h('section', { class: 'panel' }, h('h2', { text: t('dash.by_district') }),
    h('table', {}, h('tr', {}, h('th', { text: t('dash.district') }), h('th', { class: 'n', text: t('dash.villages') }),
      h('th', { text: '' }), h('th', { class: 'n', text: t('dash.residents') })),
    rows.map((r) => h('tr', {}, h('td', { text: places.get(r.key) || r.key }),
      h('td', { class: 'n', text: `${r.villages_reached}/${r.villages_in_scope}` }),
      h('td', {}, meter(r.villages_reached, r.villages_in_scope)),
      h('td', { class: 'n', text: `${num(r.residents_reached)} (${pct(r.residents_reached_share)})` })))));
}

export function weeks(rows) {
  const chart = svg('svg', { viewBox: '0 0 320 160', class: 'chart', role: 'img', 'aria-label': t('dash.by_week') });
  const top = Math.max(1, ...rows.map((r) => Math.max(r.meetings_held, r.meetings_planned)));
  const step = 300 / Math.max(1, rows.length);
  rows.forEach((r, i) => {
    const x = 10 + i * step;
    const bar = (value, dx, fill) => chart.append(svg('rect', { x: x + dx, width: Math.max(1, step / 2 - 1),
      y: 140 - (120 * value) / top, height: (120 * value) / top, fill }));
    bar(r.meetings_planned, 0, '#c9c9c9');
    bar(r.meetings_held, step / 2, '#0b6e4f');
    if (rows.length <= 16 || i % Math.ceil(rows.length / 8) === 0) {
      const label = svg('text', { x, y: 155 });
      label.textContent = r.key.slice(5);
      chart.append(label);
    }
  });
  return h('section', { class: 'panel' }, h('h2', { text: t('dash.by_week') }), chart,
    h('div', { class: 'legend' }, h('span', {}, h('i', { style: 'background:#c9c9c9' }), t('dash.planned')),
      h('span', {}, h('i', { style: 'background:#0b6e4f' }), t('dash.held'))));
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
    h('p', { class: 'muted', text: t('dash.conversion_note') }), h('p', { class: 'muted', text: t('dash.tenge_note') }));
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

const COLOURS = [[0, '#b00020'], [0.05, '#f2b705'], [0.2, '#7cc47f'], [1e9, '#0b6e4f']];
export function colour(v) {
  if (!v.reached) return '#ffffff';
  if (v.share === null) return '#5b8fd6';
  return COLOURS.find(([limit]) => v.share < limit)?.[1] || '#0b6e4f';
}

export function map(villages, gazetteer) {
  const shown = villages.map((v) => ({ v, g: gazetteer.get(v.kato) })).filter(({ g }) => g?.at)
    .map(({ v, g }) => ({ ...v, lat: g.at.lat, lon: g.at.lon, approximate: g.approximate }));
  const area = svg('svg', { viewBox: '0 0 320 170', class: 'map big', role: 'img', 'aria-label': t('dash.map') });
  for (const p of shown.length ? project(shown) : []) {
    area.append(svg('circle', { cx: p.x, cy: p.y, r: p.approximate ? 2.6 : 3.2, fill: colour(p),
      stroke: p.reached ? '#07503a' : '#4a4a4a', 'stroke-width': 0.8, 'stroke-dasharray': p.approximate ? '1.5 1' : 'none',
      'fill-opacity': p.approximate ? 0.5 : 1, 'data-kato': p.kato }));
  }
  const key = (fill, text) => h('span', {}, h('i', { style: `background:${fill}` }), text);
  return h('section', { class: 'panel' }, h('h2', { text: t('dash.map') }), area,
    h('div', { class: 'legend' }, key('#fff', t('dash.not_reached')), key('#b00020', '< 5%'), key('#f2b705', '5–20%'),
      key('#7cc47f', '20–100%'), key('#0b6e4f', '≥ 100%'), key('#5b8fd6', t('dash.share_unknown')),
      h('span', { text: t('dash.approximate_note') })));
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
  return h('section', { class: 'panel' }, h('h2', { text: t('dash.not_reached_list') }),
    h('label', { for: 'from', text: t('dash.nearest_from') }), pick,
    h('table', { id: 'not-reached' }, rows.map(({ v, g, d }) => h('tr', {}, h('td', { text: name(g.names) }),
      h('td', { class: 'n', text: `${num(d)} km${g.approximate ? ' ≈' : ''}` }),
      h('td', { class: 'n', text: v.population === null ? t('dash.unknown') : num(v.population) })))));
}
