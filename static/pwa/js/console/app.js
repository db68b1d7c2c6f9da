// The coordinators' and admins' console: sign in, then one screen per job (season planning,
// print, teams and phones, review, positions at meetings, villages, residents, programme-list
// imports, targets; users and audit for admins), chosen by the URL's
// hash so that every screen has an address and the back button works.
import * as i18n from '../i18n.js';
import { h, show, toast } from '../ui.js';
import { ApiError, resume, session, signIn, signOut } from './api.js';
import { errorText, loadPlaces, t } from './common.js';

const view = document.getElementById('view');
const SCREENS = {
  season: { roles: ['coordinator'], load: () => import('./season.js') },
  plan: { roles: ['coordinator'], load: () => import('./plan.js') },
  print: { roles: ['coordinator'], load: () => import('./print.js') },
  teams: { roles: ['coordinator', 'admin'], load: () => import('./teams.js') },
  review: { roles: ['coordinator'], load: () => import('./review.js') },
  positions: { roles: ['coordinator', 'admin'], load: () => import('./positions.js') },
  villages: { roles: ['coordinator'], load: () => import('./villages.js') },
  residents: { roles: ['coordinator'], load: () => import('./residents.js') },
  imports: { roles: ['coordinator'], load: () => import('./imports.js') },
  targets: { roles: ['coordinator'], load: () => import('./targets.js') },
  users: { roles: ['admin'], load: () => import('./users.js') },
  audit: { roles: ['admin'], load: () => import('./audit.js') },
};
const MENU = ['season', 'teams', 'review', 'positions', 'villages', 'residents', 'imports', 'targets', 'users', 'audit'];

function allowed(screen) { return SCREENS[screen]?.roles.includes(session.user?.role); }

function home() { return session.user?.role === 'admin' ? 'users' : 'season'; }

function nav(current) {
  const links = MENU.filter(allowed).map((screen) => h('a', { href: `#/${screen}`, text: t(`con.nav.${screen}`),
    'aria-current': screen === current || (current === 'plan' && screen === 'season') ? 'page' : false }));
  if (session.user.role === 'coordinator') links.push(h('a', { href: 'dashboard.html', text: t('con.nav.dashboard') }));
  document.getElementById('nav').replaceChildren(...links);
  const who = document.getElementById('who');
  who.replaceChildren(h('span', { title: t(`con.role.${session.user.role}`), text: session.user.display_name }),
    h('button', { type: 'button', class: 'secondary', text: t('con.sign_out'), onclick: async () => { if (!(await signOut())) toast(t('dash.signed_out_offline')); route(); } }));
}

export async function route() {
  if (!session.user) { signInScreen(); return; }
  const [screen, ...args] = location.hash.replace(/^#\/?/, '').split('/');
  if (!allowed(screen)) { location.replace(`#/${home()}`); if (screen === home()) return; return; }
  nav(screen);
  // a dialog belongs to the screen that opened it: Back (or any move) closes it, so that
  // nothing asked on one screen is confirmed on another
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  // Each visit draws into its own element: a screen still loading when the user moves on
  // (or signs out) then draws into a detached one, never over what is shown now.
  const target = h('div', { class: 'screen' });
  view.replaceChildren(target);
  try {
    // a screen's code not yet loaded when the connection is gone: no connection, not a fault
    const module = await SCREENS[screen].load().catch((error) => {
      throw navigator.onLine ? error : new ApiError(0, { code: 'offline' });
    });
    await module.render(target, ...args.map(decodeURIComponent));
    if (target.isConnected) document.title = `Outreach · ${t(`con.nav.${screen}`)}`;
  } catch (error) {
    show(target, h('h1', { text: t('con.error.title') }), h('p', { class: 'error', role: 'alert', text: errorText(error) }));
  }
}

function signInScreen() {
  document.getElementById('nav').replaceChildren();
  document.getElementById('who').replaceChildren();
  const login = h('input', { name: 'login', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'panel', style: 'max-width: 28rem' },
    h('div', { class: 'field' }, h('label', { for: 'login', text: t('dash.login') }), Object.assign(login, { id: 'login' })),
    h('div', { class: 'field' }, h('label', { for: 'password', text: t('dash.password') }), Object.assign(password, { id: 'password' })),
    message, h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('dash.sign_in') })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    try {
      await signIn(login.value.trim(), password.value);
      if (session.user.role === 'leadership') { location.href = 'dashboard.html'; return; }
      await start();
    } catch (error) {
      message.textContent = error instanceof ApiError && error.code === 'use_enrolled_phone' ? t('con.use_phone')
        : error.status === 429 ? t('dash.throttled')
          : error.status === 401 ? t('dash.sign_in_failed') : errorText(error);
    }
  });
  show(view, h('h1', { text: t('con.sign_in_title') }), h('p', { text: t('con.sign_in_intro') }), form,
    h('p', {}, h('a', { href: './', text: t('con.field_app_link') })));
  document.title = `Outreach · ${t('con.title')}`;
}

async function start() {
  await loadPlaces();
  if (!location.hash || location.hash === '#/') location.replace(`#/${home()}`);
  await route();
}

async function boot() {
  await i18n.load(localStorage.getItem('outreach-lang') || 'kk', ['console']);
  i18n.apply();
  const pick = document.getElementById('lang');
  pick.value = i18n.lang();
  pick.addEventListener('change', async () => {
    localStorage.setItem('outreach-lang', pick.value);
    await i18n.load(pick.value, ['console']);
    i18n.apply();
    await route();
  });
  window.addEventListener('hashchange', () => route());
  // the session ended under the user: said, and the sign-in form shown (it kept the screen with
  // "session ended" and no way back in)
  window.addEventListener('console:session-ended', () => { toast(t('con.error.sign_in_required')); route(); });
  try {
    await resume();
    if (session.user.role === 'leadership') { location.href = 'dashboard.html'; return; }
    await start();
  } catch {
    signInScreen();
  }
}

boot();
