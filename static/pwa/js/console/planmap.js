// A plan drawn from coordinates alone, as SVG (no tiles, nothing from the internet): every
// invited village, each meeting's hub, the base and lodgings, and each team-day's route in
// its team's colour and dash. Approximate positions are hollow and dashed. Hubs are buttons.
import { projector } from '../map.js';
import { name, places, t, teamLabel, teamStyle } from './common.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 960;
const H = 600;
const PAD = 24;

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

function fit(points) {
  const xy = projector(points, W, H, PAD);
  return (p) => { const at = xy(p); return { x: +at.x.toFixed(1), y: +at.y.toFixed(1) }; };
}

function villageAt(kato) {
  const v = places.villages.get(kato);
  const at = v?.position || v?.fallback_position;
  return at ? { ...at, approximate: !v.position } : null;
}

// document: a plan document; shown: the set of teams drawn; onSelect(meetingId).
export function planMap(document, { teams, shown, selected, onSelect }) {
  const placeAt = new Map(document.places.filter((p) => p.position).map((p) => [p.id, p.position]));
  const points = [...placeAt.values()];
  document.meetings.forEach((m) => m.members.forEach((v) => { const at = villageAt(v.kato); if (at) points.push(at); }));
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'planmap', role: 'group', 'aria-label': t('con.map_label') });
  if (!points.length) return svg;
  const xy = fit(points);
  const routes = el('g', { 'aria-hidden': 'true' });
  for (const day of document.days) {
    if (!shown.has(day.team)) continue;
    const stops = [day.start_place, ...day.stops.map((s) => s.place), day.end_place].map((id) => placeAt.get(id)).filter(Boolean).map(xy);
    if (stops.length < 2) continue;
    const style = teamStyle(day.team, teams);
    routes.append(el('polyline', { points: stops.map((p) => `${p.x},${p.y}`).join(' '), fill: 'none', stroke: style.colour,
      'stroke-width': 2, 'stroke-opacity': 0.75, 'stroke-dasharray': style.dash, 'stroke-linejoin': 'round', 'data-team': day.team }));
  }
  const villages = el('g', { 'aria-hidden': 'true' });
  for (const m of document.meetings) {
    for (const v of m.members) {
      const at = villageAt(v.kato);
      if (!at) continue;
      const p = xy(at);
      villages.append(el('circle', { cx: p.x, cy: p.y, r: 3, fill: at.approximate ? '#fff' : '#555', stroke: '#333',
        'stroke-width': 1, 'stroke-dasharray': at.approximate ? '2 1' : null, class: 'village' }));
    }
  }
  const lodgings = el('g', {});
  for (const p of document.places.filter((x) => x.kind !== 'meeting' && x.position)) {
    const at = xy(p.position);
    const size = p.kind === 'base' ? 14 : 10;
    lodgings.append(el('rect', { x: at.x - size / 2, y: at.y - size / 2, width: size, height: size, fill: p.kind === 'base' ? '#07503a' : '#f2b705',
      stroke: '#07503a', 'stroke-width': 2, class: p.kind }, null));
    const label = el('text', { x: at.x + 9, y: at.y - 6 }, name(p.names));
    lodgings.append(label);
  }
  const hubs = el('g', {});
  for (const m of document.meetings) {
    const at = m.hub.position;
    if (!at) continue;
    const p = xy(at);
    const approximate = m.members.some((v) => v.approximate && v.kato === m.hub.id.replace(/^g-/, ''));
    const style = m.team ? teamStyle(m.team, teams) : { colour: '#b00020' };
    const placed = m.status !== 'unplaced' && m.status !== 'cancelled';
    const hub = el('circle', { cx: p.x, cy: p.y, r: 7, tabindex: 0, role: 'button', class: `hub${m.id === selected ? ' selected' : ''}`,
      fill: approximate ? '#fff' : placed ? style.colour : '#fff', stroke: placed ? '#111' : '#b00020', 'stroke-width': 2,
      'stroke-dasharray': approximate ? '3 2' : null, 'data-meeting': m.id,
      'aria-label': `${name(m.hub.names)}: ${m.team ? `${teamLabel(m.team)}, ${m.date}` : t(`con.mstatus.${m.status}`)}${approximate ? `, ${t('con.approximate')}` : ''}` });
    hub.append(el('title', {}, name(m.hub.names)));
    hub.addEventListener('click', () => onSelect(m.id));
    hub.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); onSelect(m.id); } });
    hubs.append(hub);
  }
  svg.append(routes, villages, lodgings, hubs);
  return svg;
}
