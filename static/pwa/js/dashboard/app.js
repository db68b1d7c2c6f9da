// The coverage dashboard for leadership and coordinators: sign in, choose a campaign (the
// current one unless another is chosen), drill down from districts to okrugs to villages, see
// the figures and download them; it refreshes by itself when new records arrive. Leadership
// sees counts only; coordinators can open a village's meetings and follow-ups. The choices
// live in the address (#campaign=3&district=...), so a view can be bookmarked and shared.
import * as i18n from '../i18n.js';
import { h, show, toast } from '../ui.js';
import { comparePanel } from './compare.js';
import { exportsPanel } from './exports.js';
import { filterBar, fromAddress, ignoredNote, keepTyping, typed } from './filters.js';
import { clock, day, today } from './format.js';
import * as panels from './panels.js';
import { progress } from './progress.js';
import { signOutWaits } from '../signout.js';
import { api, resume, session, signInForm, signOut, who } from './session.js';
import { allVillages, okrugNamesTold } from '../villages.js';
import { villageMap } from './villagemap.js';

const view = document.getElementById('view');
const POLL_MS = 1000 * Math.max(2, Number(new URLSearchParams(location.search).get('poll')) || 15);
const state = { filter: {}, version: null, from: '431010000', data: null,
  campaigns: [], current: null, level: 'villages', compare: null, teams: [], note: null, timer: null };
let gazetteer = new Map();
let places = new Map();
let okrugNames = new Map();
const t = (...args) => i18n.t(...args);

const signIn = (note = null) => signInForm(view, start, note);

// The query string of the current filters ("all" campaigns is no campaign), with `extra`.
function query(extra = {}, filter = state.filter) {
  const chosen = Object.entries(filter).filter(([k, v]) => v && !(k === 'campaign' && v === 'all'));
  const q = new URLSearchParams([...chosen, ...Object.entries(extra)]);
  return q.toString() ? `?${q}` : '';
}

function remember() {
  const q = new URLSearchParams(Object.entries(state.filter).filter(([, v]) => v));
  history.replaceState(null, '', `${location.pathname}${location.search}#${q}`);
}

// A choice the server refuses is undone (the figures stay those of the filters shown) and
// said in the user's language.
async function choose(changes) {
  const before = { ...state.filter };
  Object.assign(state.filter, changes);
  state.note = null;
  remember();
  try {
    await refresh(true);
  } catch (error) {
    if (error.status === 401) { await leave(); return; }
    state.filter = before;
    remember();
    const reason = error.code ? i18n.codeText(error.code, error.message) : t('dash.load_failed');
    state.note = () => t('dash.filter_refused', { reason });
    draw();
  }
}

// An action that failed, said in the user's language; a session that ended asks for the
// password again (the figures stayed on screen, polled in vain, with nothing said).
async function failed(error) {
  if (error.status === 401) {
    await leave();
    toast(t('dash.session_ended'));
    return;
  }
  toast(error.code ? i18n.codeText(error.code, error.message) : t('dash.load_failed'));
}

function campaignName(id) {
  return state.campaigns.find((c) => String(c.id) === String(id))?.name;
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
  const typing = typed();
  const coordinator = session.user.role === 'coordinator';
  const consoleLink = coordinator ? h('p', {}, h('a', { href: 'console.html', text: t('dash.console_link') })) : null;
  const chosen = state.filter.campaign;
  const campaign = chosen && chosen !== 'all' ? t('dash.in_campaign', { name: campaignName(chosen) || chosen }) : t('dash.all_campaigns');
  const go = (district, okrug) => {
    choose({ district: district || '', okrug: okrug || '' });
  };
  const drill = { district: state.filter.district, okrug: state.filter.okrug };
  const note = state.note ? h('p', { class: 'error', role: 'alert', id: 'filter-note', text: state.note() }) : null;
  who(leave);
  show(view, h('h1', { text: t('dash.heading') }), consoleLink, note,
    filterBar({ ...state, places }, choose),
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
      panels.reachedList(data.villages, gazetteer, coordinator ? (kato) => openVillage(kato).catch(failed) : null)),
    h('p', { class: 'muted', id: 'updated', text: t('dash.updated', { at: clock(new Date()) }) }));
  if (typing) keepTyping(view, typing);
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
  const data = await api(`coverage${query()}`);
  const teams = await teamsOf(data);
  if (!session.user) return; // signed out meanwhile
  Object.assign(state, { data, teams, version });
  draw();
}

// Every team of the view without its team filter: under one, coverage lists that team alone.
async function teamsOf(data) {
  const { team } = state.filter;
  const all = team ? (await api(`coverage${query({}, { ...state.filter, team: '' })}`)).teams : data.teams;
  const keys = all.map((r) => r.key);
  return team && !keys.includes(team) ? [...keys, team] : keys;
}

async function loadPlaces() {
  const villages = await allVillages();
  gazetteer = new Map(villages.map((v) => [v.kato, { ...v, at: v.position || v.fallback_position, approximate: !v.position }]));
  const districts = await (await fetch('/api/v1/districts')).json();
  places = new Map(districts.map((d) => [d.kato, i18n.name(d.names)]));
  const okrugs = await (await fetch('/api/v1/okrugs')).json();
  okrugNames = okrugNamesTold(okrugs, gazetteer);
}

// Signed in: the filters the address asks for, what of them cannot be used set aside and said
// (a bookmark with a wrong date never sends a signed-in user back to the sign-in form).
async function start() {
  Object.assign(state, { data: null, version: null, note: null });
  who(leave);
  clearInterval(state.timer);
  if (!PLANNERS.includes(session.user.role)) {  // an admin: the figures are not theirs to read
    show(view, h('p', { class: 'error', role: 'alert', text: t('dash.not_for_role') }));
    return;
  }
  // a poll that fails keeps the figures (the next one tries again), unless the session ended
  state.timer = setInterval(() => refresh().catch((error) => (error.status === 401 ? failed(error) : null)), POLL_MS);
  const { filter, ignored } = fromAddress(location.hash);
  state.filter = filter;
  if (ignored.length) { state.note = () => ignoredNote(ignored); remember(); }
  show(view, h('p', { class: 'muted', text: t('dash.loading') }));
  try {
    await loadPlaces();
    await refresh(true);
  } catch {
    if (!state.data) show(view, h('p', { class: 'error', role: 'alert', text: t('dash.load_failed') }));
  }
}

// who may read the figures (the service's policy: GET /api/v1/coverage)
const PLANNERS = ['coordinator', 'leadership'];

async function leave() {
  const ended = await signOut();
  clearInterval(state.timer);
  Object.assign(state, { data: null, version: null, teams: [], note: null });
  await signIn(ended ? null : t('dash.signed_out_offline'));
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
    if (state.data) { await loadPlaces(); draw(); } else if (!session.user) await signIn();
  });
  if (await resume()) await start();
  else await signIn(signOutWaits() ? t('dash.signed_out_offline') : null);
}

boot();
