// The coverage dashboard for leadership and coordinators: sign in, choose a filter, see the
// figures; it refreshes by itself when new records arrive. Leadership sees counts only;
// coordinators can open a village's meetings and follow-ups.
import * as i18n from '../i18n.js';
import { field, h, show, toast } from '../ui.js';
import * as panels from './panels.js';

const view = document.getElementById('view');
const POLL_MS = 1000 * Math.max(2, Number(new URLSearchParams(location.search).get('poll')) || 15);
const state = { csrf: null, user: null, filter: {}, version: null, from: '431010000', data: null };
let gazetteer = new Map();
let places = new Map();

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

const t = (...args) => i18n.t(...args);

function query() {
  const q = new URLSearchParams(Object.entries(state.filter).filter(([, v]) => v));
  return q.toString() ? `?${q}` : '';
}

function filters(data) {
  const select = (key, options) => {
    const el = h('select', { name: key }, h('option', { value: '', text: t('dash.all') }),
      options.map(([value, text]) => h('option', { value, text, selected: String(state.filter[key] || '') === String(value) })));
    el.addEventListener('change', () => { state.filter[key] = el.value; refresh(true); });
    return field(`dash.filter.${key}`, el);
  };
  const day = (key) => {
    const el = h('input', { type: 'date', name: key, value: state.filter[key] || '' });
    el.addEventListener('change', () => { state.filter[key] = el.value; refresh(true); });
    return field(`dash.filter.${key}`, el);
  };
  return h('div', { class: 'filters' },
    select('campaign', data.campaigns.map((c) => [c.key.split(':')[0], c.key.split(': ').slice(1).join(': ')])),
    select('district', [...places].map(([kato, label]) => [kato, label])),
    select('team', data.teams.map((r) => [r.key, r.key])), day('from'), day('to'));
}

async function openVillage(kato) {
  const { meetings, followups } = await api(`coverage/villages/${kato}`);
  const status = new Map(followups.map((f) => [f.id, f.data]));
  const stage = (id) => (status.get(id) ? `${t(`stage.${status.get(id).status}`)} ${status.get(id).on || ''}` : '');
  const box = document.getElementById('village-detail');
  show(box, h('h3', { text: i18n.name(gazetteer.get(kato)?.names) }),
    meetings.map((m) => h('div', { class: 'card' }, h('strong', { text: `${m.data.date} · ${m.data.attendance?.total ?? '—'}` }),
      h('ul', {}, (m.data.interested || []).map((p) => h('li', { text: [p.name, p.phone, p.interest, stage(p.id)].filter(Boolean).join(' · ') }))))));
}

function reachedList(data) {
  const coordinator = state.user.role === 'coordinator';
  const rows = data.villages.filter((v) => v.reached).sort((a, b) => (b.last_met || '').localeCompare(a.last_met || ''));
  return h('section', { class: 'panel' }, h('h2', { text: t('dash.reached_list') }),
    h('table', {}, rows.slice(0, 60).map((v) => h('tr', {},
      h('td', {}, coordinator ? h('button', { type: 'button', class: 'secondary', text: i18n.name(gazetteer.get(v.kato)?.names),
        onclick: () => openVillage(v.kato).catch((e) => toast(e.message)) }) : i18n.name(gazetteer.get(v.kato)?.names)),
      h('td', { class: 'n', text: v.last_met }), h('td', { class: 'n', text: String(Math.round(v.attendance)) })))),
    h('div', { id: 'village-detail' }));
}

function draw() {
  const { data } = state;
  const consoleLink = state.user.role === 'coordinator' ? h('p', {}, h('a', { href: 'console.html', text: t('dash.console_link') })) : null;
  show(view, h('h1', { text: t('dash.heading') }), consoleLink, filters(data), panels.figures(data.headline, data.funnel),
    h('div', { class: 'panels' }, panels.map(data.villages, gazetteer), panels.districts(data.districts, places),
      panels.funnel(data.funnel_by_district, data.funnel_by_programme, data.funnel, places),
      panels.targets(data.targets || [], places), panels.weeks(data.weeks),
      panels.notReached(data.villages, gazetteer, state.from, (kato) => { state.from = kato; draw(); }),
      reachedList(data)),
    h('p', { class: 'muted', id: 'updated', text: t('dash.updated', { at: new Date().toLocaleTimeString('en-GB') }) }));
}

async function refresh(force = false) {
  const { version } = await api('coverage/version');
  if (!force && version === state.version) return;
  state.data = await api(`coverage${query()}`);
  state.version = version;
  draw();
}

async function loadPlaces() {
  const villages = (await (await fetch('/api/v1/villages?limit=1000')).json()).items;
  gazetteer = new Map(villages.map((v) => [v.kato, { ...v, at: v.position || v.fallback_position, approximate: !v.position }]));
  const districts = await (await fetch('/api/v1/districts')).json();
  places = new Map(districts.map((d) => [d.kato, i18n.name(d.names)]));
}

async function start() {
  await loadPlaces();
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
