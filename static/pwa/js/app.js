// The field app: screens by hash (#/plan, #/meeting, #/followup, #/outbox, #/settings, #/enrol),
// sync triggers, the status badge, the overdue follow-ups' count, the online/offline indicator,
// and the update prompt.
import * as db from './db.js';
import { overdueCount } from './followups.js';
import * as i18n from './i18n.js';
import { status, syncNow } from './sync.js';
import { watchForUpdates } from './update.js';
import * as enrol from './views/enrol.js';
import * as followupLog from './views/followup-log.js';
import * as followup from './views/followup.js';
import * as meeting from './views/meeting.js';
import * as outbox from './views/outbox.js';
import * as plan from './views/plan.js';
import * as settings from './views/settings.js';

const SYNC_EVERY_MS = 5 * 60 * 1000;
const view = document.getElementById('view');

async function switchLanguage(lang) {
  await db.setMeta('language', await i18n.load(lang));
  i18n.apply();
  await route();
  await badge(await status());
  await followupCount();
  network();
}

// Screens are drawn one after another, each for the hash as it is when its turn comes: a
// redraw still waiting on the phone's storage (a sync's answer redrawing the outbox) cannot
// end after, and so over, the screen the user has opened since.
let drawing = Promise.resolve();
function route() {
  const turn = drawing.then(draw);
  drawing = turn.catch(() => {});
  return turn;
}

async function draw() {
  const [path, query = ''] = location.hash.slice(2).split('?');
  const [screen, id] = path.split('/');
  const device = await db.meta('device');
  const needsEnrol = !device?.token || device.refused;
  const name = needsEnrol && screen !== 'settings' && screen !== 'outbox' ? 'enrol' : screen || 'plan';
  for (const tab of document.querySelectorAll('[data-tab]')) tab.classList.toggle('active', tab.dataset.tab === name);
  if (name === 'meeting') await meeting.render(view, new URLSearchParams(query), id);
  else if (name === 'followup' && id) await followupLog.render(view, decodeURIComponent(id));
  else if (name === 'followup') await followup.render(view);
  else if (name === 'outbox') await outbox.render(view);
  else if (name === 'settings') await settings.render(view, switchLanguage);
  else if (name === 'enrol') await enrol.render(view);
  else await plan.render(view, new URLSearchParams(query));
  view.dataset.screen = name === 'followup' && id ? 'followup-log' : name;
}

async function badge(s) {
  const count = document.getElementById('pending-count');
  const waiting = (s.pending || 0) + (s.attention || 0); // refused records count until dealt with
  count.hidden = !waiting;
  count.textContent = String(waiting || '');
  document.getElementById('sync-badge').textContent = outbox.describe(s);
}

// Overdue follow-ups, in the menu: a number, and in words for screen readers.
async function followupCount() {
  const n = await overdueCount();
  const count = document.getElementById('followup-count');
  count.hidden = !n;
  count.textContent = String(n || '');
  const tab = count.closest('a');
  if (n) tab.setAttribute('aria-label', `${i18n.t('nav.followup')}: ${i18n.t('followup.overdue_count', { n })}`);
  else tab.removeAttribute('aria-label');
}

// What the phone itself believes; syncing says whether the server could be reached.
function network() {
  const el = document.getElementById('network');
  el.dataset.state = navigator.onLine ? 'online' : 'offline';
  el.textContent = navigator.onLine ? i18n.t('network.online') : i18n.t('network.offline');
}

// A new screen opens at its top (the previous screen's scroll position means nothing there).
async function navigate() {
  await route();
  scrollTo(0, 0);
  await followupCount(); // a new day can make a follow-up overdue
}

addEventListener('outreach:followups', async () => {
  await followupCount();
  if (view.dataset.screen === 'followup') await route(); // never over the form being filled
});

addEventListener('outreach:status', async (event) => {
  await badge(event.detail);
  const screen = view.dataset.screen;
  if (screen === 'outbox' || (screen === 'plan' && event.detail.state === 'ok')) await route();
  if (event.detail.state === 'refused' && screen !== 'enrol') location.hash = '#/enrol';
});

async function start() {
  await db.open();
  await i18n.load(await db.meta('language', 'kk'));
  i18n.apply();
  addEventListener('hashchange', navigate);
  await route();
  await badge(await status());
  await followupCount();
  network();
  addEventListener('offline', network);
  // a form with changes is on screen: a draft left behind (kept, restored when the form is
  // opened again) does not hold the update back
  watchForUpdates(() => (view.dataset.screen === 'meeting' && meeting.isDirty())
    || (view.dataset.screen === 'followup-log' && followupLog.isDirty()));
  addEventListener('online', () => { network(); syncNow('online'); });
  navigator.serviceWorker?.addEventListener('message', (event) => {
    if (event.data?.type === 'SYNC') syncNow('background');
  });
  setInterval(() => { if (navigator.onLine) syncNow('timer'); }, SYNC_EVERY_MS);
  if (navigator.onLine) syncNow('open');
}

start();
