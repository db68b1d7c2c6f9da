// The coverage dashboard for leadership and coordinators: sign in, choose a campaign (the
// current one unless another is chosen), drill down from districts to okrugs to villages, see
// the figures and download them; it refreshes by itself when new records arrive. Leadership
// sees counts only; coordinators can open a village's meetings and follow-ups. The choices
// live in the address (#campaign=3&district=...), so a view can be bookmarked and shared.
import * as i18n from '../i18n.js';
import { field, h, show, toast } from '../ui.js';
import { comparePanel } from './compare.js';
import { exportsPanel } from './exports.js';
import { clock, day, inputDay, parseDay, today } from './format.js';
import * as panels from './panels.js';
import { progress } from './progress.js';
import { allVillages } from '../villages.js';
import { villageMap } from './villagemap.js';

const view = document.getElementById('view');
const POLL_MS = 1000 * Math.max(2, Number(new URLSearchParams(location.search).get('poll')) || 15);
const FILTERS = ['campaign', 'district', 'okrug', 'team', 'from', 'to'];
const state = { csrf: null, user: null, filter: {}, version: null, from: '431010000', data: null,
  campaigns: [], current: null, level: 'villages', compare: null };
let gazetteer = new Map();
let places = new Map();
let okrugNames = new Map();
const t = (...args) => i18n.t(...args);

async function api(path, init = {}) {
  const headers = { ...(init.headers || {}) };
  if (state.csrf && init.method && init.method !== 'GET') headers['x-csrf-token'] = state.csrf;
  const response = await fetch(`/api/v1/${path}`, { ...init, headers, credentials: 'same-origin' });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw Object.assign(new Error(body?.message || response.status), { status: response.status, code: body?.code });
  return body;
}

async function signIn() {
  const login = h('input', { name: 'login', autocomplete: 'username' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password' });
  const message = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {}, field('dash.login', login), field('dash.password', password), message,
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('dash.sign_in') })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const session = await api('session', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: login.value, password: password.value }) });
      Object.assign(state, { csrf: session.csrf_token, user: session.user });
      await start();
    } catch (error) {
      message.textContent = error.code === 'use_enrolled_phone' ? t('dash.use_phone')
        : error.status === 429 ? t('dash.throttled') : t('dash.sign_in_failed');
    }
  });
  show(view, h('h1', { text: t('dash.sign_in_title') }), form);
}

// The query string of the current filters ("all" campaigns is no campaign), with `extra`.
function query(extra = {}) {
  const chosen = Object.entries(state.filter).filter(([k, v]) => v && !(k === 'campaign' && v === 'all'));
  const q = new URLSearchParams([...chosen, ...Object.entries(extra)]);
  return q.toString() ? `?${q}` : '';
}

function remember() {
  const q = new URLSearchParams(Object.entries(state.filter).filter(([, v]) => v));
  history.replaceState(null, '', `${location.pathname}${location.search}#${q}`);
}

function choose(changes) {
  Object.assign(state.filter, changes);
  remember();
  refresh(true).catch((error) => toast(error.message));
}

function campaignName(id) {
  return state.campaigns.find((c) => String(c.id) === String(id))?.name;
}

function filters(data) {
  const select = (key, options, first) => {
    const el = h('select', { name: key }, first,
      options.map(([value, text]) => h('option', { value, text, selected: String(state.filter[key] || '') === String(value) })));
    el.addEventListener('change', () => choose(key === 'district' ? { district: el.value, okrug: '' } : { [key]: el.value }));
    return field(`dash.filter.${key}`, el);
  };
  const all = (text) => h('option', { value: '', text });
  const campaign = select('campaign', [['all', t('dash.all_campaigns')], ...state.campaigns.map((c) =>
    [String(c.id), `${c.name} · ${day(c.start)}–${day(c.end)}${c.id === state.current ? ` · ${t('dash.now')}` : ''}`])]);
  // dates typed as Kazakhstan writes them (a date input would show the browser's own format)
  const date = (key) => {
    const el = h('input', { name: key, inputmode: 'numeric', autocomplete: 'off', placeholder: t('dash.date_placeholder'),
      value: inputDay(state.filter[key]) });
    const wrong = h('div', { class: 'error', role: 'alert' });
    el.addEventListener('change', () => {
      const iso = el.value.trim() ? parseDay(el.value) : '';
      wrong.textContent = iso === null ? t('dash.date_wrong') : '';
      el.toggleAttribute('aria-invalid', iso === null);
      if (iso !== null) choose({ [key]: iso });
    });
    const box = field(`dash.filter.${key}`, el);
    box.append(wrong);
    return box;
  };
  return h('div', { class: 'filters' }, campaign,
    select('district', [...places].map(([kato, label]) => [kato, label]), all(t('dash.all'))),
    select('team', data.teams.map((r) => [r.key, r.key]), all(t('dash.all'))), date('from'), date('to'));
}

async function openVillage(kato) {
  const { meetings, followups } = await api(`coverage/villages/${kato}`);
  const status = new Map(followups.map((f) => [f.id, f.data]));
  const stage = (id) => (status.get(id) ? `${t(`stage.${status.get(id).status}`)} ${day(status.get(id).on)}` : '');
  const box = document.getElementById('village-detail');
  show(box, h('h3', { text: i18n.name(gazetteer.get(kato)?.names) }),
    meetings.map((m) => h('div', { class: 'card' }, h('strong', { text: `${day(m.data.date)} · ${m.data.attendance?.total ?? '—'}` }),
      h('ul', {}, (m.data.interested || []).map((p) => h('li', { text: [p.name, p.phone, p.interest, stage(p.id)].filter(Boolean).join(' · ') }))))));
}

function draw() {
  const { data } = state;
  const coordinator = state.user.role === 'coordinator';
  const consoleLink = coordinator ? h('p', {}, h('a', { href: 'console.html', text: t('dash.console_link') })) : null;
  const chosen = state.filter.campaign;
  const campaign = chosen && chosen !== 'all' ? t('dash.in_campaign', { name: campaignName(chosen) || chosen }) : t('dash.all_campaigns');
  const go = (district, okrug) => {
    choose({ district: district || '', okrug: okrug || '' });
  };
  const drill = { district: state.filter.district, okrug: state.filter.okrug };
  show(view, h('h1', { text: t('dash.heading') }), consoleLink, filters(data),
    panels.figures(data, { campaign, coordinator }),
    exportsPanel(query, state.level, (level) => { state.level = level; }),
    h('div', { class: 'panels' },
      h('section', { class: 'panel', id: 'map' }, h('h2', { text: t('dash.map') }), villageMap(data.villages, gazetteer, t('dash.map'))),
      panels.drill(data, { places, okrugNames, gazetteer, ...drill, go }),
      progress(data.progress),
      comparePanel({ campaigns: state.campaigns, current: state.current, year: Number(today().slice(0, 4)), picked: state.compare,
        drill, version: state.version, api, onPick: (picked) => { state.compare = picked; } }),
      panels.funnel(data.funnel_by_district, data.funnel_by_programme, data.funnel, places),
      panels.targets(data.targets || [], places),
      panels.notReached(data.villages, gazetteer, state.from, (kato) => { state.from = kato; draw(); }),
      panels.reachedList(data.villages, gazetteer, coordinator ? (kato) => openVillage(kato).catch((e) => toast(e.message)) : null)),
    h('p', { class: 'muted', id: 'updated', text: t('dash.updated', { at: clock(new Date()) }) }));
}

// The published campaigns, read again whenever the data version moves; a chosen campaign no
// longer published (or none chosen yet) gives way to the current one.
async function loadCampaigns() {
  Object.assign(state, await api('coverage/campaigns'));
  const chosen = state.filter.campaign;
  if (chosen === 'all' || state.campaigns.some((c) => String(c.id) === chosen)) return;
  state.filter.campaign = state.current ? String(state.current) : 'all';
  remember();
}

async function refresh(force = false) {
  const { version } = await api('coverage/version');
  if (!force && version === state.version) return;
  if (version !== state.version) await loadCampaigns();
  state.data = await api(`coverage${query()}`);
  state.version = version;
  draw();
}

async function loadPlaces() {
  const villages = await allVillages();
  gazetteer = new Map(villages.map((v) => [v.kato, { ...v, at: v.position || v.fallback_position, approximate: !v.position }]));
  const districts = await (await fetch('/api/v1/districts')).json();
  places = new Map(districts.map((d) => [d.kato, i18n.name(d.names)]));
  const okrugs = await (await fetch('/api/v1/okrugs')).json();
  okrugNames = new Map(okrugs.map((o) => [o.kato, o.names]));
}

async function start() {
  await loadPlaces();
  const asked = new URLSearchParams(location.hash.slice(1));
  state.filter = Object.fromEntries(FILTERS.map((k) => [k, asked.get(k) || '']));
  await refresh(true);
  setInterval(() => refresh().catch(() => {}), POLL_MS);
}

async function boot() {
  const lang = localStorage.getItem('outreach-lang') || 'kk';
  await i18n.load(lang);
  i18n.apply();
  const pick = document.getElementById('lang');
  pick.value = i18n.lang();
  pick.addEventListener('change', async () => {
    localStorage.setItem('outreach-lang', pick.value);
    await i18n.load(pick.value);
    i18n.apply();
    if (state.data) { await loadPlaces(); draw(); } else await signIn();
  });
  try {
    const session = await api('session');
    Object.assign(state, { csrf: session.csrf_token, user: session.user });
    await start();
  } catch {
    await signIn();
  }
}

boot();
