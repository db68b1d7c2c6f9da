// Teams and phones: each team's members and their phones (last sync, records waiting on the
// phone, app version, clock offset, a warning when data is at risk); an enrolment code shown as
// a QR code to scan and as text; revoking a phone; moving a member; adding a team.
import { h, show, toast } from '../ui.js';
import { api, session } from './api.js';
import { action, button, errorText, input, labelled, t, teamLabel, whenText } from './common.js';

function qrDialog(login, enrolment) {
  const svg = new DOMParser().parseFromString(enrolment.qr_svg, 'image/svg+xml').documentElement;
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('con.qr_label', { code: enrolment.code }));
  const dialog = h('dialog', { 'aria-labelledby': 'qr-title', id: 'enrolment' },
    h('h2', { id: 'qr-title', text: t('con.enrol_title', { login }) }),
    h('div', { class: 'qr' }, document.importNode(svg, true)),
    h('p', { class: 'code', id: 'enrolment-code', text: enrolment.code }),
    h('p', { class: 'muted', text: t('con.enrol_hint', { at: whenText(enrolment.expires_at) }) }),
    h('div', { class: 'actions' }, button(t('con.close'), { onclick: () => dialog.close() })));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

// Why a phone's records are at risk: of a revoked phone, only that it still holds records
// (its clock and its silence no longer matter; the records it holds do).
function risks(device) {
  return (device.at_risk || []).filter((r) => !device.revoked || r === 'revoked_with_records_waiting');
}

function deviceRow(device, reload) {
  const idle = device.last_sync_at ? Math.floor((Date.now() - Date.parse(device.last_sync_at)) / 86_400_000) : null;
  const warnings = [...risks(device).map((r) => t(`con.risk.${r}`)),
    ...(idle >= 2 && !device.revoked ? [t('con.idle_days', { n: idle })] : [])];
  const risk = warnings.length;
  return h('tr', { 'data-device': device.id, class: device.revoked ? 'muted' : '' },
    h('td', { text: device.label }), h('td', { text: device.login }),
    h('td', { text: whenText(device.last_sync_at) }),
    h('td', { class: 'n', text: device.pending ?? '—' }), h('td', { text: device.app_version || '—' }),
    h('td', { class: 'n', text: device.clock_offset_s == null ? '—' : t('con.seconds', { n: Math.round(device.clock_offset_s) }) }),
    h('td', {}, device.revoked ? h('span', { class: 'pill', text: t('con.revoked') }) : null,
      device.revoked && risk ? ' ' : null,
      risk ? h('span', { class: 'pill bad', text: warnings.join('; ') }) : device.revoked ? null : h('span', { class: 'pill', text: t('con.ok') })),
    h('td', {}, device.revoked ? '' : action(button(t('con.revoke'), { class: 'danger', 'aria-label': `${t('con.revoke')}: ${device.label} (${device.login})` }), async () => {
      if (!window.confirm(t('con.revoke_confirm', { label: device.label }))) return;
      await api(`devices/${device.id}/revoke`, { method: 'POST' });
      toast(t('con.revoked'));
      await reload();
    })));
}

function teamCard(team, members, devices, teamNames, reload) {
  const coordinator = session.user.role === 'coordinator';
  return h('section', { class: 'panel', 'data-team': team.name },
    h('h2', { text: `${teamLabel(team.name)} (${team.name})` }),
    members.length ? h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, h('tr', {}, ['con.col.login', 'con.col.name', 'con.col.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, members.map((user) => {
        const move = h('select', { 'aria-label': t('con.move_to', { login: user.login }) }, teamNames.map((n) => h('option', { value: n, text: teamLabel(n), selected: n === team.name })));
        return h('tr', { 'data-user': user.login }, h('td', { text: user.login }), h('td', { text: `${user.display_name}${user.disabled ? ` · ${t('con.disabled')}` : ''}` }),
          h('td', {}, h('div', { class: 'actions' },
            coordinator && !user.disabled ? action(button(t('con.enrol_code'), { 'aria-label': `${t('con.enrol_code')}: ${user.login}` }), async () => {
              qrDialog(user.login, await api('devices/enrolments', { method: 'POST', json: { login: user.login } }));
            }) : null,
            move, action(button(t('con.move'), { class: 'secondary', 'aria-label': t('con.move_to', { login: user.login }) }), async () => {
              if (move.value === team.name) return;
              await api(`users/${encodeURIComponent(user.login)}/team`, { method: 'POST', json: { team: move.value } });
              toast(t('con.moved', { login: user.login, team: teamLabel(move.value) }));
              await reload();
            })))); 
      })))) : h('p', { class: 'muted', text: t('con.no_members') }),
    devices ? h('h3', { text: t('con.phones') }) : null,
    devices ? (devices.length ? h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, h('tr', {}, ['con.col.phone', 'con.col.login', 'con.col.last_sync', 'con.col.pending',
      'con.col.app', 'con.col.clock', 'con.col.state', 'con.col.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', {}, devices.map((d) => deviceRow(d, reload))))) : h('p', { class: 'muted', text: t('con.no_phones') })) : null);
}

export async function render(view) {
  const reload = () => render(view);
  const coordinator = session.user.role === 'coordinator';
  const [teams, users, devices] = await Promise.all([api('teams'), api('users'), coordinator ? api('devices') : null]);
  const names = teams.map((x) => x.name);
  const fieldUsers = users.filter((u) => u.role === 'field');
  const newTeam = input('team_name', { required: true, pattern: '[A-Za-z0-9._ \\-]{1,100}', placeholder: `team-${teams.length + 1}` });
  const add = h('form', { class: 'panel' }, h('h2', { text: t('con.add_team') }), labelled('con.f.team_name', newTeam, t('con.team_name_hint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('con.add_team') })));
  add.addEventListener('submit', async (event) => {
    event.preventDefault();
    try { await api('teams', { method: 'POST', json: { name: newTeam.value.trim() } }); toast(t('con.saved')); await reload(); } catch (error) { toast(errorText(error)); }
  });
  const atRisk = (devices || []).filter((d) => risks(d).length);
  show(view, h('h1', { text: t('con.nav.teams') }),
    atRisk.length ? h('div', { class: 'warning', role: 'alert', text: t('con.at_risk_summary', { n: atRisk.length }) }) : null,
    teams.map((team) => {
      const members = fieldUsers.filter((u) => u.team === team.name);
      const logins = new Set(members.map((u) => u.login));
      return teamCard(team, members, devices && devices.filter((d) => logins.has(d.login)), names, reload);
    }),
    add);
}
