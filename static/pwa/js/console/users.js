// Accounts, for admins: create a user, set role and team, disable or enable. Every change is
// audited by the server.
import { h, show, toast } from '../ui.js';
import { api } from './api.js';
import { action, button, errorText, input, labelled, t, teamLabel, whenText } from './common.js';

const ROLES = ['field', 'coordinator', 'leadership', 'admin'];

function row(user, teams, reload) {
  const role = h('select', { 'aria-label': t('con.role_of', { login: user.login }) }, ROLES.map((r) => h('option', { value: r, text: t(`con.role.${r}`), selected: r === user.role })));
  const team = h('select', { 'aria-label': t('con.team_of', { login: user.login }) }, h('option', { value: '', text: '—' }),
    teams.map((n) => h('option', { value: n, text: teamLabel(n), selected: n === user.team })));
  return h('tr', { 'data-user': user.login },
    h('td', { text: user.login }), h('td', { text: user.display_name }),
    h('td', {}, role, action(button(t('con.save'), { class: 'secondary', 'aria-label': `${t('con.save')}: ${t('con.role_of', { login: user.login })}` }), async () => {
      await api(`users/${encodeURIComponent(user.login)}`, { method: 'PATCH', json: { role: role.value } });
      toast(t('con.saved')); await reload();
    })),
    // only field users belong to teams (the server refuses a team to staff); staff left in
    // one may still be taken out
    user.role !== 'field' && !user.team ? h('td', { text: '—' }) : h('td', {}, team, action(button(t('con.move'), { class: 'secondary', 'aria-label': `${t('con.move')}: ${t('con.team_of', { login: user.login })}` }), async () => {
      await api(`users/${encodeURIComponent(user.login)}/team`, { method: 'POST', json: { team: team.value || null } });
      toast(t('con.saved')); await reload();
    })),
    h('td', { text: user.disabled ? t('con.disabled') : t('con.active') }),
    h('td', {}, action(button(user.disabled ? t('con.enable') : t('con.disable'), { class: user.disabled ? 'secondary' : 'danger', 'aria-label': `${user.disabled ? t('con.enable') : t('con.disable')}: ${user.login}` }), async () => {
      await api(`users/${encodeURIComponent(user.login)}`, { method: 'PATCH', json: { disabled: !user.disabled } });
      toast(t('con.saved')); await reload();
    })),
    h('td', { text: whenText(user.created_at) }));
}

function createForm(teams, reload) {
  const login = input('login', { required: true, pattern: '[A-Za-z0-9._\\-]{3,64}', autocomplete: 'off' });
  const display = input('display_name', { required: true, maxlength: 200 });
  const role = h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r, text: t(`con.role.${r}`) })));
  const team = h('select', { name: 'team' }, h('option', { value: '', text: '—' }), teams.map((n) => h('option', { value: n, text: teamLabel(n) })));
  const password = input('password', { type: 'password', required: true, minlength: 12, autocomplete: 'new-password' });
  const message = h('p', { class: 'error', role: 'alert' });
  const teamFor = () => { team.disabled = role.value !== 'field'; if (team.disabled) team.value = ''; };
  role.addEventListener('change', teamFor);
  teamFor();
  const form = h('form', { class: 'panel', id: 'new-user' }, h('h2', { text: t('con.new_user') }),
    h('div', { class: 'form-grid' }, labelled('con.f.login', login, t('con.login_hint')), labelled('con.f.display_name', display),
      labelled('con.f.role', role), labelled('con.f.team', team), labelled('con.f.password', password, t('con.password_hint'))),
    message, h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('con.create') })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    if (role.value === 'field' && !team.value) { message.textContent = t('con.field_needs_team'); team.focus(); return; }
    try {
      await api('users', { method: 'POST', json: { login: login.value.trim(), display_name: display.value.trim(), role: role.value,
        password: password.value, team: team.value || null } });
      toast(t('con.created', { login: login.value.trim() }));
      await reload();
    } catch (error) { message.textContent = errorText(error); }
  });
  return form;
}

export async function render(view) {
  const reload = () => render(view);
  const [users, teams] = await Promise.all([api('users'), api('teams')]);
  const names = teams.map((x) => x.name);
  show(view, h('h1', { text: t('con.nav.users') }), createForm(names, reload),
    h('section', { class: 'panel' }, h('h2', { text: t('con.users', { n: users.length }) }),
      h('div', { class: 'scroll' }, h('table', { id: 'users' },
        h('thead', {}, h('tr', {}, ['con.col.login', 'con.col.name', 'con.col.role', 'con.col.team', 'con.col.state', 'con.col.actions', 'con.col.made_at'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, users.map((u) => row(u, names, reload)))))));
}
