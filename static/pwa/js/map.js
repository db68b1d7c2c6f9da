// A route drawn from coordinates alone, as SVG: no map tiles, nothing from the internet.
// Points are [lon, lat]; approximate positions are drawn hollow and dashed.
const NS = 'http://www.w3.org/2000/svg';
const W = 320;
const H = 170;
const PAD = 18;

function el(tag, attrs) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// Equirectangular, shrunk by cos(latitude) so that a kilometre is as long both ways: a function
// from {lat, lon} to {x, y} that fits `points` in a w x h box with `pad` around.
export function projector(points, w = W, h = H, pad = PAD) {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const k = Math.cos(((Math.min(...lats) + Math.max(...lats)) / 2) * (Math.PI / 180));
  const minX = Math.min(...lons) * k;
  const maxY = Math.max(...lats);
  const spanX = Math.max(Math.max(...lons) * k - minX, 1e-3);
  const spanY = Math.max(maxY - Math.min(...lats), 1e-3);
  const scale = Math.min((w - 2 * pad) / spanX, (h - 2 * pad) / spanY);
  const offX = (w - spanX * scale) / 2;
  const offY = (h - spanY * scale) / 2;
  return (p) => ({ x: offX + (p.lon * k - minX) * scale, y: offY + (maxY - p.lat) * scale });
}

export function project(points) {
  const xy = projector(points);
  return points.map((p) => ({ ...p, ...xy(p) }));
}

// stops: [{lat, lon, label, approximate}] in route order.
export function routeMap(stops, title) {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'map', role: 'img', 'aria-label': title });
  const shown = stops.filter((s) => Number.isFinite(s.lat) && Number.isFinite(s.lon));
  if (!shown.length) return svg;
  const placed = project(shown);
  if (placed.length > 1) {
    svg.append(el('polyline', {
      points: placed.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '),
      fill: 'none', stroke: '#0b6e4f', 'stroke-width': 3, 'stroke-linejoin': 'round',
    }));
  }
  placed.forEach((p) => {
    svg.append(el('circle', {
      cx: p.x, cy: p.y, r: 7, fill: p.approximate ? '#fff' : '#f2b705', stroke: '#07503a',
      'stroke-width': 2, 'stroke-dasharray': p.approximate ? '3 2' : 'none',
    }));
    const left = p.x > W * 0.6; // labels on the right half read leftwards, so none is cut off
    const text = el('text', { x: left ? p.x - 9 : p.x + 9, y: p.y - 8, 'text-anchor': left ? 'end' : 'start' });
    text.textContent = p.label;
    svg.append(text);
  });
  return svg;
}
