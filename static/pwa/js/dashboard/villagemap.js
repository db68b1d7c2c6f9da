// The villages in scope as an SVG map (no tiles). Told apart by shape as well as colour, so that
// colour-blind readers and grey prints see the same thing: a circle is a village of known
// population, a diamond one whose population is unknown; filled means reached, hollow not yet.
// Reached villages of known population are coloured by the share of residents met, on a
// viridis scale (readable with every common colour-vision deficiency).
import { name, t } from '../i18n.js';
import { project } from '../map.js';
import { h } from '../ui.js';

const NS = 'http://www.w3.org/2000/svg';
export const svg = (tag, attrs = {}, ...children) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
};

export const SHARES = [[0.05, '#fde725', '< 5%'], [0.2, '#35b779', '5–20%'], [1, '#31688e', '20–100%'],
  [Infinity, '#440154', '≥ 100%']];
const UNKNOWN_FILL = '#3d3d3d';
const NOT_REACHED_FILL = '#ffffff';
const STROKE = '#1a1a1a';

// The marker of a village: its shape ('circle' or 'diamond') and fill.
export function marker(v) {
  const shape = v.population === null || v.population === undefined ? 'diamond' : 'circle';
  if (!v.reached) return { shape, fill: NOT_REACHED_FILL, status: 'not_reached' };
  if (shape === 'diamond') return { shape, fill: UNKNOWN_FILL, status: 'reached_unknown' };
  return { shape, fill: SHARES.find(([limit]) => v.share < limit)[1], status: 'reached' };
}

function symbol(shape, x, y, r, attrs) {
  if (shape === 'circle') return svg('circle', { cx: x, cy: y, r, ...attrs });
  const d = r * 1.3;
  return svg('path', { d: `M${x} ${y - d}L${x + d} ${y}L${x} ${y + d}L${x - d} ${y}Z`, ...attrs });
}

// A legend entry: the same symbol as on the map, drawn in a little SVG of its own.
function key(shape, fill, text) {
  return h('span', {}, svg('svg', { viewBox: '0 0 12 12', width: 14, height: 14, 'aria-hidden': 'true' },
    symbol(shape, 6, 6, 4.3, { fill, stroke: STROKE, 'stroke-width': 1.2 })), text);
}

export function villageMap(villages, gazetteer, title) {
  const shown = villages.map((v) => ({ v, g: gazetteer.get(v.kato) })).filter(({ g }) => g?.at)
    .map(({ v, g }) => ({ ...v, lat: g.at.lat, lon: g.at.lon, approximate: g.approximate, label: name(g.names) }));
  const area = svg('svg', { viewBox: '0 0 320 170', class: 'map big', role: 'img', 'aria-label': title });
  // the not-reached first, so that reached villages are drawn over them
  const placed = shown.length ? project(shown).sort((a, b) => Number(a.reached) - Number(b.reached)) : [];
  // villages without a position of their own share their okrug's or district's: say how many
  const stacked = new Map();
  for (const p of placed) {
    const at = `${p.x.toFixed(1)},${p.y.toFixed(1)}`;
    stacked.set(at, [...(stacked.get(at) || []), p]);
  }
  for (const p of placed) {
    const { shape, fill, status } = marker(p);
    const r = placed.length > 120 ? 2.6 : 3.6;
    const dot = symbol(shape, p.x, p.y, p.approximate ? r * 0.8 : r, { fill, stroke: STROKE,
      'stroke-width': p.approximate ? 0.6 : 0.9, 'stroke-dasharray': p.approximate ? '1.5 1' : 'none',
      'data-kato': p.kato, 'data-status': status, class: shape });
    dot.append(svg('title', {}, `${p.label}: ${t(`dash.status.${status}`)}`));
    area.append(dot);
  }
  for (const group of stacked.values()) {
    if (group.length < 2) continue;
    const label = svg('text', { x: group[0].x + 4, y: group[0].y - 3, class: 'stack' }, `×${group.length}`);
    label.append(svg('title', {}, t('dash.stacked', { n: group.length })));
    area.append(label);
  }
  return h('div', {}, area, h('div', { class: 'legend', id: 'map-legend' },
    key('circle', NOT_REACHED_FILL, t('dash.not_reached')),
    SHARES.map(([, fill, label]) => key('circle', fill, t('dash.legend.share', { share: label }))),
    key('diamond', NOT_REACHED_FILL, t('dash.legend.unknown_not_reached')),
    key('diamond', UNKNOWN_FILL, t('dash.legend.unknown_reached')),
    h('span', { text: t('dash.approximate_note') })));
}
