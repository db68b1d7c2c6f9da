// The dashboard's panels, each drawn from the coverage API's answer (counts only).
import { name, t } from '../i18n.js';
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

function meter(part, whole) {
  const width = whole ? Math.min(100, (100 * part) / whole) : 0;
  return h('div', { class: 'meter', role: 'img', 'aria-label': `${Math.round(width)}%` }, h('span', { style: `width:${width}%` }));
}

export function figures(head) {
  const box = (label, value, note) => h('div', { class: 'figure' }, h('b', { text: value }), h('span', { text: label }),
    note ? h('div', { class: 'muted', text: note }) : null);
  const refs = Object.values(head.referrals).reduce((a, b) => a + b, 0);
  return h('div', { class: 'figures', id: 'headline' },
    box(t('dash.villages_reached'), of(head.villages_reached, head.villages_in_scope)),
    box(t('dash.residents_reached'), of(head.residents_reached, head.population_known),
      `${pct(head.residents_reached_share)} · ${t('dash.population_unknown', { n: head.villages_population_unknown })}`),
    box(t('dash.meetings'), of(head.meetings_held, head.meetings_planned)),
    box(t('dash.road_km'), num(head.road_km ?? 0)),
    box(t('dash.referrals'), num(refs), Object.entries(head.referrals).map(([p, n]) => `${t(`programme.${p}`)}: ${n}`).join(' · ')));
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

export function funnel(rows, places) {
  const stages = ['interested', 'contacted', 'referred', 'trained', 'defended', 'financed'];
  return h('section', { class: 'panel' }, h('h2', { text: t('dash.funnel') }),
    h('table', {}, h('tr', {}, h('th', { text: t('dash.district') }), stages.map((s) => h('th', { class: 'n', text: t(`stage.${s}`) }))),
      rows.map((r) => h('tr', {}, h('td', { text: places.get(r.key) || t(`programme.${r.key}`) }),
        stages.map((s) => h('td', { class: 'n', text: String(r[s]) }))))));
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
