// Gazetteer corrections: villages with their location quality; a position set by clicking the
// district's map or typing coordinates (plausibility checked by the server); positions phones
// suggested (a team's suggestion, or where a meeting at a village of approximate position was
// saved); populations one by one or from a CSV with a preview; Kazakh and Russian names.
import { h, show, toast } from '../ui.js';
import { api } from './api.js';
import { action, button, districtName, errorText, labelled, loadPlaces, moreBelow, name, number, placeName, places, t, teamLabel, whenText } from './common.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 420;
const svgEl = (tag, attrs = {}) => { const n = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs)) if (v != null) n.setAttribute(k, v); return n; };

// A district's villages as SVG; a click anywhere gives back [lat, lon].
function districtMap(district, current, onPick) {
  const villages = [...places.villages.values()].filter((v) => v.district_kato === district && (v.position || v.fallback_position));
  const pts = villages.map((v) => v.position || v.fallback_position);
  const lats = pts.map((p) => p.lat);
  const lons = pts.map((p) => p.lon);
  const pad = 0.15;
  const box = { s: Math.min(...lats) - pad, n: Math.max(...lats) + pad, w: Math.min(...lons) - pad, e: Math.max(...lons) + pad };
  const k = Math.cos(((box.s + box.n) / 2) * Math.PI / 180);
  const scale = Math.min(W / ((box.e - box.w) * k), H / (box.n - box.s));
  const x = (lon) => (lon - box.w) * k * scale;
  const y = (lat) => (box.n - lat) * scale;
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'planmap', role: 'img', 'aria-label': t('con.pick_map', { district: districtName(district) }) });
  svg.style.cursor = 'crosshair';
  for (const v of villages) {
    const p = v.position || v.fallback_position;
    svg.append(svgEl('circle', { cx: x(p.lon), cy: y(p.lat), r: v.kato === current?.kato ? 7 : 3.5, fill: v.position ? (v.kato === current?.kato ? '#b00020' : '#555') : '#fff',
      stroke: '#333', 'stroke-dasharray': v.position ? null : '2 1' }));
  }
  const marker = svgEl('circle', { r: 8, fill: 'none', stroke: '#D55E00', 'stroke-width': 3, visibility: 'hidden', class: 'picked' });
  svg.append(marker);
  svg.addEventListener('click', (event) => {
    const r = svg.getBoundingClientRect();
    const px = ((event.clientX - r.left) / r.width) * W;
    const py = ((event.clientY - r.top) / r.height) * H;
    const lat = box.n - py / scale;
    const lon = box.w + px / (k * scale);
    marker.setAttribute('cx', px); marker.setAttribute('cy', py); marker.setAttribute('visibility', 'visible');
    onPick(+lat.toFixed(5), +lon.toFixed(5));
  });
  return svg;
}

function editor(kato, reload) {
  const v = places.villages.get(kato);
  const lat = h('input', { name: 'lat', type: 'number', step: 'any', min: -90, max: 90, value: v.position?.lat ?? '' });
  const lon = h('input', { name: 'lon', type: 'number', step: 'any', min: -180, max: 180, value: v.position?.lon ?? '' });
  const population = h('input', { name: 'population', type: 'number', min: 0, step: 1, value: v.population ?? '' });
  const year = h('input', { name: 'population_year', type: 'number', min: 1897, max: new Date().getFullYear(), step: 1, value: v.population_year ?? '' });
  const nameKk = h('input', { name: 'name_kk', maxlength: 200, value: v.names.kk || '' });
  const nameRu = h('input', { name: 'name_ru', maxlength: 200, value: v.names.ru || '' });
  const message = h('p', { class: 'error', role: 'alert' });
  // Shown only after the server found the position implausible: saving it then is a choice.
  const force = h('input', { type: 'checkbox', name: 'force' });
  const forceRow = h('label', { class: 'check', hidden: true }, force, ` ${t('con.force_position')}`);
  const moved = () => { forceRow.hidden = true; force.checked = false; };
  const form = h('form', { class: 'panel', id: 'village-editor', novalidate: true },
    h('h2', { text: `${name(v.names)} · ${districtName(v.district_kato)}` }),
    h('p', { class: 'muted', text: `${t(`con.quality.${v.location_quality}`)} · ${t('con.version_n', { n: v.version })} · ${whenText(v.updated_at)}` }),
    districtMap(v.district_kato, v, (a, b) => { lat.value = a; lon.value = b; moved(); }),
    h('p', { class: 'muted', text: t('con.pick_hint') }),
    h('div', { class: 'form-grid' }, labelled('con.f.lat', lat), labelled('con.f.lon', lon), labelled('con.f.population', population),
      labelled('con.f.population_year', year), labelled('con.f.name_kk', nameKk), labelled('con.f.name_ru', nameRu)),
    message, forceRow, h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('con.save') })));
  [lat, lon].forEach((input) => input.addEventListener('input', moved));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    const body = { expected_version: v.version };
    const hasPosition = lat.value !== '' && lon.value !== '';
    if ((lat.value === '') !== (lon.value === '')) { message.textContent = t('con.both_coordinates'); return; }
    if (hasPosition && (String(v.position?.lat) !== lat.value || String(v.position?.lon) !== lon.value)) body.position = { lat: Number(lat.value), lon: Number(lon.value) };
    // Both cleared: the surveyed position goes, and the village falls back to approximate.
    if (!hasPosition && v.position) body.position = null;
    if (population.value !== String(v.population ?? '')) body.population = population.value === '' ? null : Number(population.value);
    if (year.value !== String(v.population_year ?? '')) body.population_year = year.value === '' ? null : Number(year.value);
    if (nameKk.value.trim() !== (v.names.kk || '')) body.name_kk = nameKk.value.trim() || null;
    if (nameRu.value.trim() !== (v.names.ru || '')) body.name_ru = nameRu.value.trim() || null;
    if (body.position && force.checked) body.force = true;
    if (Object.keys(body).length === 1) { message.textContent = t('con.nothing_to_save'); return; }
    try {
      await api(`villages/${kato}`, { method: 'PATCH', json: body });
      toast(t('con.saved'));
      await loadPlaces(true);
      await reload(kato);
    } catch (error) {
      const implausible = error.code === 'implausible_position' && (error.details || []).find((d) => d.field === 'position');
      const key = implausible?.forceable === false ? 'con.error.position_out_of_reach' : 'con.error.implausible_position';
      message.textContent = implausible ? t(key, { km: implausible.distance_km, max: implausible.max_km }) : errorText(error);
      forceRow.hidden = !(implausible && implausible.forceable !== false);
      if (!implausible || implausible.forceable === false) force.checked = false;
    }
  });
  return form;
}

function populationImport(reload) {
  const file = h('input', { type: 'file', name: 'populations', accept: '.csv,text/csv' });
  const result = h('div', { id: 'population-preview', 'aria-live': 'polite' });
  const send = async (dryRun) => api(`gazetteer/populations?dry_run=${dryRun}`, { method: 'POST', body: await file.files[0].text(), headers: { 'content-type': 'text/csv' } });
  const preview = action(button(t('con.preview'), { id: 'preview-populations' }), async () => {
    if (!file.files.length) { toast(t('con.pick_file')); return; }
    let found;
    try { found = await send(true); } catch (error) {
      result.replaceChildren(h('div', { class: 'danger-box', role: 'alert' }, h('p', { text: errorText(error) }),
        h('ul', {}, (error.details || []).slice(0, 30).map((d) => h('li', { text: t('con.bad_line', { line: d.line ?? '?', column: d.column ?? d.field ?? '?', problem: d.message || d.problem || '' }) })))));
      return;
    }
    const apply = action(button(t('con.apply', { n: found.changes.length }), { id: 'apply-populations', disabled: !found.changes.length }), async () => {
      const done = await send(false);
      toast(t('con.applied', { n: done.changes.length }));
      await loadPlaces(true);
      await reload();
    });
    result.replaceChildren(h('p', { text: t('con.preview_summary', { n: found.changes.length, same: found.unchanged }) }),
      h('div', { class: 'scroll tall' }, h('table', {}, h('thead', {}, h('tr', {}, ['con.col.village', 'con.col.before', 'con.col.after', 'con.f.population_year'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, found.changes.map((c) => h('tr', {}, h('td', { text: name(c.name) || c.kato }), h('td', { class: 'n', text: c.before == null ? '—' : number(c.before) }),
          h('td', { class: 'n', text: number(c.after) }), h('td', { class: 'n', text: c.year ?? '' })))))),
      h('div', { class: 'actions' }, apply));
  });
  return h('section', { class: 'panel', id: 'population-import' }, h('h2', { text: t('con.population_import') }),
    h('p', { class: 'muted', text: t('con.population_import_hint') }), labelled('con.f.file', file), h('div', { class: 'actions' }, preview), result);
}

const SUGGESTIONS_PAGE = 50;

function suggestionItem(s, reload) {
  return h('li', { 'data-suggestion': s.id },
    h('strong', { text: name(s.names) || placeName(s.village) }), ` · ${s.position.lat.toFixed(5)}, ${s.position.lon.toFixed(5)}`,
    s.accuracy_m != null ? ` ${t('con.m_n', { n: number(s.accuracy_m) })}` : '', ' · ',
    h('span', { class: 'pill', 'data-source': s.source, text: t(`con.source.${s.source || 'village_position'}`) }), ' · ',
    t(`con.quality.${s.quality}`), s.distance_km != null ? ` · ${t('con.km_away', { n: number(s.distance_km, 1) })}` : '', ` · ${teamLabel(s.team)} · ${whenText(s.at)} `,
    action(button(t('con.accept'), { 'aria-label': `${t('con.accept')}: ${placeName(s.village)}` }), async () => {
      // what was shown: a suggestion its phone changed since is refused (409), not taken
      await api(`gazetteer/suggestions/${s.id}/accept`, { method: 'POST', json: { village: s.village, position: s.position } });
      toast(t('con.saved')); await loadPlaces(true); await reload();
    }), ' ',
    action(button(t('con.refuse'), { class: 'secondary', 'aria-label': `${t('con.refuse')}: ${placeName(s.village)}` }), async () => {
      await api(`gazetteer/suggestions/${s.id}/refuse`, { method: 'POST', json: {} }); toast(t('con.saved')); await reload();
    }));
}

// The oldest suggestions, a page at a time: every meeting at a village of approximate position
// suggests one until a coordinator settles the village.
async function suggestions(reload) {
  const first = await api(`gazetteer/suggestions?limit=${SUGGESTIONS_PAGE}`).catch(() => ({ suggestions: [], total: 0 }));
  const list = h('ul', {}, first.suggestions.map((s) => suggestionItem(s, reload)));
  const below = moreBelow('suggestions', {
    count: first.suggestions.length, total: first.total, shownKey: 'con.suggestions_shown', moreKey: 'con.suggestions_more',
    next: async (count) => {
      const page = await api(`gazetteer/suggestions?limit=${SUGGESTIONS_PAGE}&offset=${count}`);
      page.suggestions.forEach((s) => list.append(suggestionItem(s, reload)));
      return { added: page.suggestions.length, total: page.total };
    },
  });
  return h('section', { class: 'panel', id: 'suggestions' }, h('h2', { text: t('con.suggestions', { n: first.total }) }),
    first.total ? [list, ...below] : h('p', { class: 'muted', text: t('con.none') }));
}

const state = { district: '', query: '', only: '' };

export async function render(view, selected) {
  const reload = (kato = selected) => render(view, kato);
  const district = h('select', { name: 'district' }, h('option', { value: '', text: t('con.all') }),
    [...places.districts.values()].map((d) => h('option', { value: d.kato, text: districtName(d.kato), selected: d.kato === state.district })));
  const query = h('input', { type: 'search', name: 'q', value: state.query });
  const only = h('select', { name: 'only' }, ['', 'approximate', 'no_population', 'no_kazakh_name'].map((o) => h('option', { value: o, text: t(`con.only.${o || 'all'}`), selected: o === state.only })));
  const body = h('tbody', {});
  const count = h('p', { class: 'muted', role: 'status' });
  const draw = () => {
    Object.assign(state, { district: district.value, query: query.value.trim().toLowerCase(), only: only.value });
    const rows = [...places.villages.values()].filter((v) => (!state.district || v.district_kato === state.district)
      && (!state.query || Object.values(v.names).some((n) => n && n.toLowerCase().includes(state.query)) || v.kato.startsWith(state.query))
      && (state.only !== 'approximate' || !v.position) && (state.only !== 'no_population' || v.population == null) && (state.only !== 'no_kazakh_name' || !v.names.kk));
    rows.sort((a, b) => districtName(a.district_kato).localeCompare(districtName(b.district_kato)) || name(a.names).localeCompare(name(b.names)));
    count.textContent = t('con.villages_count', { n: rows.length });
    body.replaceChildren(...rows.slice(0, 150).map((v) => h('tr', { 'data-kato': v.kato },
      h('td', {}, h('a', { href: `#/villages/${v.kato}`, text: name(v.names) })), h('td', { text: v.names.kk || '—' }), h('td', { text: districtName(v.district_kato) }),
      h('td', {}, h('span', { class: `pill ${v.position ? '' : 'warn'}`, text: t(`con.quality.${v.location_quality}`) })),
      h('td', { class: 'n', text: v.population == null ? '—' : number(v.population) }), h('td', { class: 'n', text: v.population_year ?? '' }))));
  };
  [district, query, only].forEach((el) => el.addEventListener('input', draw));
  const unknown = [...places.villages.values()].filter((v) => v.population == null).length;
  show(view, h('h1', { text: t('con.nav.villages') }),
    h('p', { text: t('con.population_unknown', { n: unknown, all: places.villages.size }) }),
    h('div', { class: 'grid2' },
      h('div', {}, h('div', { class: 'form-grid panel' }, labelled('con.f.district', district), labelled('con.f.search', query), labelled('con.f.only', only)), count,
        h('div', { class: 'scroll tall' }, h('table', { id: 'villages' }, h('thead', {}, h('tr', {}, ['con.col.village', 'con.f.name_kk', 'con.f.district', 'con.col.quality',
          'con.f.population', 'con.f.population_year'].map((k) => h('th', { scope: 'col', text: t(k) })))), body))),
      h('div', {}, selected && places.villages.has(selected) ? editor(selected, reload) : h('p', { class: 'panel muted', text: t('con.pick_village') }),
        await suggestions(reload), populationImport(reload))));
  draw();
  if (selected) document.getElementById('village-editor')?.querySelector('h2')?.scrollIntoView();
}
