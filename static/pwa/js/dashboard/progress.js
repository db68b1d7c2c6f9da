// Progress over time: villages reached and residents met, cumulative week by week, against what
// the published plans expected by then. Inline SVG, no chart library; the same figures as a
// table under it, for screen readers and for reading exact values.
import { t } from '../i18n.js';
import { h } from '../ui.js';
import { day, dayMonth, num, today } from './format.js';
import { svg } from './villagemap.js';

const W = 320;
const H = 170;
const LEFT = 40;
const RIGHT = 10;
const TOP = 10;
const BOTTOM = 138;
const ACTUAL = '#0b6e4f';
const PLAN = '#5c5c5c';

function chart(rows, actualKey, planKey, title, id) {
  const top = Math.max(1, ...rows.map((r) => Math.max(r[actualKey], r[planKey])));
  const x = (i) => LEFT + (rows.length === 1 ? (W - LEFT - RIGHT) / 2 : (i * (W - LEFT - RIGHT)) / (rows.length - 1));
  const y = (v) => BOTTOM - ((BOTTOM - TOP) * v) / top;
  const area = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', id,
    'aria-label': t('dash.progress_chart', { what: title }) });
  const text = (attrs, value) => area.append(svg('text', attrs, value));
  area.append(svg('line', { x1: LEFT, x2: W - RIGHT, y1: BOTTOM, y2: BOTTOM, stroke: '#8a8a8a' }));
  area.append(svg('line', { x1: LEFT, x2: W - RIGHT, y1: TOP, y2: TOP, stroke: '#d9d9d9' }));
  text({ x: LEFT - 4, y: BOTTOM + 3, 'text-anchor': 'end' }, '0');
  text({ x: LEFT - 4, y: TOP + 4, 'text-anchor': 'end' }, num(top));
  const every = Math.max(1, Math.ceil(rows.length / 5));
  rows.forEach((r, i) => {
    if (i % every === 0 || i === rows.length - 1) {
      text({ x: x(i), y: H - 16, 'text-anchor': i === 0 ? 'start' : i === rows.length - 1 ? 'end' : 'middle' }, dayMonth(r.starts));
    }
  });
  const line = (points, colour, dashed, dot) => {
    if (!points.length) return;
    area.append(svg('polyline', { points: points.map(([px, py]) => `${px},${py}`).join(' '), fill: 'none',
      stroke: colour, 'stroke-width': 2, 'stroke-dasharray': dashed ? '5 3' : 'none', class: dashed ? 'plan' : 'actual' }));
    for (const [px, py] of points) {
      area.append(dot === 'square' ? svg('rect', { x: px - 2.5, y: py - 2.5, width: 5, height: 5, fill: '#fff', stroke: colour })
        : svg('circle', { cx: px, cy: py, r: 2.8, fill: colour }));
    }
  };
  const now = today();
  line(rows.map((r, i) => [x(i), y(r[planKey])]), PLAN, true, 'square');
  line(rows.map((r, i) => [r, i]).filter(([r]) => r.starts <= now).map(([r, i]) => [x(i), y(r[actualKey])]), ACTUAL, false, 'circle');
  return h('figure', { class: 'progress' }, h('figcaption', { text: title }), area);
}

export function progress(rows) {
  const section = h('section', { class: 'panel wide', id: 'progress' }, h('h2', { text: t('dash.progress') }));
  if (!rows?.length) return h('section', { class: 'panel wide', id: 'progress' }, h('h2', { text: t('dash.progress') }),
    h('p', { class: 'muted', text: t('dash.progress_none') }));
  const legend = h('div', { class: 'legend' },
    h('span', {}, svg('svg', { viewBox: '0 0 24 8', width: 24, height: 8, 'aria-hidden': 'true' },
      svg('line', { x1: 0, x2: 24, y1: 4, y2: 4, stroke: ACTUAL, 'stroke-width': 2 })), t('dash.actual')),
    h('span', {}, svg('svg', { viewBox: '0 0 24 8', width: 24, height: 8, 'aria-hidden': 'true' },
      svg('line', { x1: 0, x2: 24, y1: 4, y2: 4, stroke: PLAN, 'stroke-width': 2, 'stroke-dasharray': '5 3' })), t('dash.expected')));
  const th = (text) => h('th', { scope: 'col', class: 'n', text });
  const table = h('table', { id: 'progress-table' },
    h('tr', {}, h('th', { scope: 'col', text: t('dash.week_of') }), th(t('dash.villages_reached')), th(t('dash.expected')),
      th(t('dash.residents_met')), th(t('dash.expected')), th(t('dash.meetings_held')), th(t('dash.planned'))),
    rows.map((r) => h('tr', {}, h('th', { scope: 'row', text: day(r.starts) }),
      [r.villages_reached, r.villages_planned, r.residents_met, r.residents_expected, r.meetings_held, r.meetings_planned]
        .map((v) => h('td', { class: 'n', text: num(v) })))));
  section.append(h('div', { class: 'charts' },
    chart(rows, 'villages_reached', 'villages_planned', t('dash.villages_reached'), 'chart-villages'),
    chart(rows, 'residents_met', 'residents_expected', t('dash.residents_met'), 'chart-residents')),
  legend, h('p', { class: 'muted', text: t('dash.progress_note') }), h('details', {}, h('summary', { text: t('dash.progress_table') }),
    h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': t('dash.progress_table') }, table)));
  return section;
}
