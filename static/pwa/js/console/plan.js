// One plan version: totals, the map, each team's calendar, the unplaced meetings with their
// reasons; a coordinator's edits (pin, exclude, held, cancelled) and the re-plan with what
// moved; publishing with the checks a coordinator would miss.
import { h, show, toast } from '../ui.js';
import { api } from './api.js';
import { action, button, dateText, errorText, figure, labelled, name, number, placeName, reasonText, t,
  teamLabel, teamStyle, whenText } from './common.js';
import { planMap } from './planmap.js';
import { planWithProgress } from './season.js';

const EMPTY = () => ({ pins: [], exclude: [], held: [], cancelled: [] });
const edits = (id) => JSON.parse(sessionStorage.getItem(`edits-${id}`) || 'null') || EMPTY();
const keep = (id, value) => sessionStorage.setItem(`edits-${id}`, JSON.stringify(value));

function totals(doc, summary) {
  const days = Object.values(doc.totals.team_days || {}).reduce((a, b) => a + b, 0);
  const travelOnly = doc.days.filter((d) => !d.stops.length).length;
  return h('div', { class: 'figures', id: 'totals' },
    figure(`${summary.meetings_placed} / ${summary.meetings}`, 'con.fig.meetings'),
    figure(number(doc.totals.road_km), 'con.fig.road_km'),
    figure(String(days), 'con.fig.team_days'),
    figure(String(travelOnly), 'con.fig.travel_days'),
    figure(String(doc.totals.villages), 'con.fig.villages'),
    figure(dateText(doc.totals.last_date), 'con.fig.last_date'));
}

function calendar(doc, teams, select) {
  const byMeeting = new Map(doc.meetings.map((m) => [m.id, m]));
  return h('div', { class: 'calendar', id: 'calendar' }, teams.map((team) => {
    const days = doc.days.filter((d) => d.team === team);
    const style = teamStyle(team, teams);
    return h('section', { class: 'panel', 'aria-label': teamLabel(team) },
      h('h3', {}, h('span', { class: 'swatch', style: `background:${style.colour}` }), teamLabel(team),
        ' ', h('span', { class: 'muted', text: t('con.days_n', { n: days.length }) })),
      h('div', { class: 'tall' }, days.map((d) => h('div', { class: 'day' },
        h('strong', { text: dateText(d.date) }), ' ', h('span', { class: 'muted', text: `${number(d.road_km)} ${t('con.km')} · ${t('con.sleep_at', { place: placeName(d.end_place) })}` }),
        d.stops.length ? d.stops.map((s) => {
          const m = byMeeting.get(s.meeting_id);
          return h('button', { type: 'button', class: 'secondary stop', 'data-meeting': s.meeting_id, onclick: () => select(s.meeting_id),
            text: `${s.start}–${s.end} ${name(m?.hub.names)}${m?.status === 'held' ? ` · ${t('con.mstatus.held')}` : ''}` });
        }) : h('div', { class: 'muted', text: t('con.travel_only') })))));
  }));
}

function unplaced(doc) {
  const byMeeting = new Map(doc.meetings.map((m) => [m.id, m]));
  return h('section', { class: 'panel', id: 'unplaced' }, h('h2', { text: t('con.unplaced', { n: doc.unplaced.length }) }),
    doc.unplaced.length ? h('ul', {}, doc.unplaced.map((u) => h('li', {},
      h('strong', { text: name(byMeeting.get(u.meeting_id)?.hub.names) || u.meeting_id }), ': ', reasonText(u.reason),
      u.extra_team_days ? ` (${t('con.extra_days', { n: u.extra_team_days })})` : '',
      u.shortest_day_min ? ` (${t('con.shortest_day', { need: u.shortest_day_min, day: u.working_day_min })})` : ''))) : h('p', { class: 'muted', text: t('con.none') }));
}

function meetingPanel(doc, id, teams, pending, refresh) {
  const m = doc.meetings.find((x) => x.id === id);
  if (!m) return h('p', { class: 'muted', text: t('con.pick_meeting') });
  const team = h('select', { name: 'pin_team' }, teams.map((x) => h('option', { value: x, text: teamLabel(x), selected: x === m.team })));
  const day = h('input', { type: 'date', name: 'pin_date', value: m.date || doc.spec.start, min: doc.spec.start, max: doc.spec.end });
  const add = (list, value) => { if (!pending[list].some((x) => JSON.stringify(x) === JSON.stringify(value))) pending[list].push(value); refresh(); };
  return h('div', {},
    h('h3', { text: name(m.hub.names) }),
    h('p', { text: m.team ? `${teamLabel(m.team)} · ${dateText(m.date)} · ${m.start}–${m.end}` : t(`con.mstatus.${m.status}`) }),
    h('p', { class: 'muted', text: t('con.expected', { n: Math.round(m.expected_attendance) }) }),
    h('h4', { text: t('con.members') }),
    h('ul', {}, m.members.map((v) => h('li', {}, placeName(v.kato), v.approximate ? h('span', { class: 'pill warn', text: t('con.approximate') }) : '', ' ',
      button(t('con.exclude'), { class: 'secondary', 'data-exclude': v.kato, 'aria-label': `${t('con.exclude')}: ${placeName(v.kato)}`, onclick: () => add('exclude', v.kato) })))),
    h('fieldset', {}, h('legend', { text: t('con.pin') }), h('div', { class: 'form-grid' }, labelled('con.f.team', team), labelled('con.f.date', day)),
      h('div', { class: 'actions' }, button(t('con.pin_add'), { onclick: () => add('pins', { meeting_id: m.id, team: team.value, date: day.value }) }))),
    h('div', { class: 'actions' },
      button(t('con.mark_held'), { class: 'secondary', onclick: () => add('held', m.id) }),
      button(t('con.mark_cancelled'), { class: 'danger', onclick: () => add('cancelled', m.id) })));
}

function pendingList(doc, pending, refresh) {
  const byMeeting = new Map(doc.meetings.map((m) => [m.id, m]));
  const label = (id) => name(byMeeting.get(id)?.hub.names) || id;
  const items = [
    ...pending.pins.map((p, i) => [t('con.edit.pin', { meeting: label(p.meeting_id), team: teamLabel(p.team), date: dateText(p.date) }), 'pins', i]),
    ...pending.exclude.map((k, i) => [t('con.edit.exclude', { village: placeName(k) }), 'exclude', i]),
    ...pending.held.map((id, i) => [t('con.edit.held', { meeting: label(id) }), 'held', i]),
    ...pending.cancelled.map((id, i) => [t('con.edit.cancelled', { meeting: label(id) }), 'cancelled', i]),
  ];
  if (!items.length) return h('p', { class: 'muted', text: t('con.no_edits') });
  return h('ul', { class: 'edits' }, items.map(([text, list, i]) => h('li', {}, text, ' ',
    button(t('con.remove'), { class: 'secondary', 'aria-label': `${t('con.remove')}: ${text}`, onclick: () => { pending[list].splice(i, 1); refresh(); } }))));
}

// A meeting's slot in a version ("team-2 2027-04-06 10:30", a team's name may hold spaces) as
// people say it: "2-топ, 6 сәуір 2027, 10:30".
function slotText(slot) {
  if (!slot) return t('con.not_placed');
  const parts = slot.split(' ');
  const time = parts.pop();
  const day = parts.pop();
  return `${teamLabel(parts.join(' '))}, ${dateText(day)}, ${time}`;
}

async function diffPanel(id, against) {
  const diff = await api(`plans/${id}/diff?against=${against}`);
  const rows = [...diff.moved, ...diff.retimed];
  return h('section', { class: 'panel', id: 'diff' },
    h('h2', { text: t('con.diff_title', { from: against, to: id }) }),
    h('p', { text: t('con.diff_summary', { moved: diff.moved.length, retimed: diff.retimed.length, added: diff.added.length, removed: diff.removed.length, unchanged: diff.unchanged }) }),
    rows.length ? h('div', { class: 'scroll tall' }, h('table', {}, h('thead', {}, h('tr', {}, ['con.col.meeting', 'con.col.before', 'con.col.after'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, rows.map((r) => h('tr', { class: 'moved' }, h('td', { text: placeName(r.meeting_id.replace(/^g-/, '')) }), h('td', { text: slotText(r.before) }), h('td', { text: slotText(r.after) })))))) : null,
    h('div', { class: 'actions' },
      h('a', { class: 'button', href: `#/plan/${id}`, text: t('con.keep_version', { n: id }) }),
      h('a', { class: 'button secondary', href: `#/plan/${against}`, text: t('con.back_to', { n: against }) })));
}

async function publishDialog(summary, done) {
  const checks = await api(`plans/${summary.id}/checks`);
  const confirm = h('input', { type: 'checkbox', name: 'confirm_double_booking' });
  const doubles = checks.double_bookings;
  // a plan placing no meeting takes every meeting of the campaign off the teams' phones
  const confirmEmpty = h('input', { type: 'checkbox', name: 'confirm_empty' });
  const empty = !summary.meetings_placed;
  const dialog = h('dialog', { 'aria-labelledby': 'publish-title' },
    h('h2', { id: 'publish-title', text: t('con.publish_title', { n: summary.id }) }),
    doubles.length ? h('div', { class: 'danger-box', role: 'alert' }, h('strong', { text: t('con.double_title') }),
      h('ul', {}, doubles.map((d) => h('li', { text: t('con.double_item', { team: teamLabel(d.team), date: dateText(d.date), campaign: d.campaign }) }))),
      h('label', { class: 'check' }, confirm, t('con.double_confirm'))) : null,
    empty ? h('div', { class: 'danger-box', role: 'alert', id: 'publish-empty' }, h('strong', { text: t('con.empty_title') }),
      h('p', { text: t('con.empty_text', { campaign: summary.campaign }) }),
      h('label', { class: 'check' }, confirmEmpty, t('con.empty_confirm'))) : null,
    checks.unplaced.length ? h('div', { class: 'warning', text: t('con.warn_unplaced', { n: checks.unplaced.length }) }) : null,
    checks.approximate_hubs.length ? h('div', { class: 'warning' }, t('con.warn_approximate', { n: checks.approximate_hubs.length }),
      h('ul', {}, checks.approximate_hubs.slice(0, 20).map((a) => h('li', { text: `${placeName(a.hub)} (${t(`con.quality.${a.quality}`)})` })))) : null,
    !empty && !doubles.length && !checks.unplaced.length && !checks.approximate_hubs.length ? h('p', { class: 'ok', text: t('con.checks_ok') }) : null,
    h('p', { class: 'error', role: 'alert', id: 'publish-error' }),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'publish-confirm', text: doubles.length ? t('con.publish_anyway') : t('con.publish') }),
      h('button', { type: 'button', class: 'secondary', text: t('con.cancel'), onclick: () => dialog.close() })));
  const go = dialog.querySelector('#publish-confirm');
  // each danger asked about is confirmed before the button works
  const ready = () => { go.disabled = (doubles.length && !confirm.checked) || (empty && !confirmEmpty.checked); };
  confirm.addEventListener('change', ready);
  confirmEmpty.addEventListener('change', ready);
  ready();
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      await api(`plans/${summary.id}/publish`, { method: 'POST', json: doubles.length ? { confirm_double_booking: true } : {} });
      dialog.close();
      toast(t('con.published'));
      done();
    } catch (error) { dialog.querySelector('#publish-error').textContent = errorText(error); go.disabled = false; }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

export async function render(view, id, mode, against) {
  const { summary, document: doc } = await api(`plans/${id}`);
  const teams = Array.from({ length: doc.spec.teams }, (_, i) => `team-${i + 1}`);
  const others = await api(`plans?campaign=${encodeURIComponent(summary.campaign)}`);
  const pending = edits(id);
  const state = { selected: null, shown: new Set(teams) };
  const mapBox = h('div', {});
  const side = h('div', { class: 'panel', id: 'meeting', 'aria-live': 'polite' });
  const pendingBox = h('div', { id: 'edits' });
  const draw = () => {
    keep(id, pending);
    mapBox.replaceChildren(planMap(doc, { teams, shown: state.shown, selected: state.selected, onSelect: select }));
    side.replaceChildren(meetingPanel(doc, state.selected, teams, pending, draw));
    pendingBox.replaceChildren(pendingList(doc, pending, draw));
  };
  function select(meetingId) { state.selected = meetingId; draw(); side.querySelector('h3')?.setAttribute('tabindex', '-1'); side.querySelector('h3')?.focus(); }
  const legend = h('div', { class: 'legend' }, teams.map((team) => {
    const style = teamStyle(team, teams);
    const box = h('input', { type: 'checkbox', checked: true, 'aria-label': teamLabel(team) });
    box.addEventListener('change', () => { if (box.checked) state.shown.add(team); else state.shown.delete(team); draw(); });
    return h('label', { class: 'check' }, box, h('span', { class: 'swatch', style: `background:${style.colour}` }), teamLabel(team));
  }), h('span', { text: t('con.legend_rest') }));
  const replan = button(t('con.replan'), { id: 'replan' });
  const progress = h('div', { 'aria-live': 'polite' });
  action(replan, async () => {
    const done = await planWithProgress(progress, `plans/${id}/replan/stream`, pending);
    sessionStorage.removeItem(`edits-${id}`);
    location.hash = `#/plan/${done.plan.id}/diff/${id}`;
  });
  const publish = summary.status === 'draft' ? button(t('con.publish'), { id: 'publish', onclick: () => publishDialog(summary, () => render(view, id)).catch((e) => toast(errorText(e))) }) : null;
  show(view,
    h('h1', { text: `${summary.campaign} · ${t('con.version_n', { n: summary.id })}` }),
    h('p', {}, h('span', { class: `pill ${summary.status === 'published' ? '' : 'warn'}`, text: t(`con.status.${summary.status}`) }),
      ' ', t('con.made_by', { who: summary.created_by || '—', at: whenText(summary.created_at) }),
      summary.based_on ? ` · ${t('con.based_on', { n: summary.based_on })}` : ''),
    mode === 'diff' && against ? await diffPanel(id, against) : null,
    h('div', { class: 'actions' }, publish, h('a', { class: 'button secondary', href: `#/print/${id}`, text: t('con.print') }),
      h('a', { class: 'button secondary', href: `/api/v1/plans/${id}/itinerary.csv`, text: t('con.itinerary_csv') })),
    totals(doc, summary),
    h('div', { class: 'grid2' },
      h('section', { class: 'panel' }, h('h2', { text: t('con.map') }), legend, mapBox,
        h('p', { class: 'muted', text: t('con.map_hint') })),
      h('div', {}, side, h('section', { class: 'panel' }, h('h2', { text: t('con.edits') }), pendingBox,
        h('div', { class: 'actions' }, replan), progress))),
    h('h2', { text: t('con.calendar') }), calendar(doc, teams, select), unplaced(doc),
    h('section', { class: 'panel' }, h('h2', { text: t('con.campaign_versions') }), h('ul', {}, others.map((p) => h('li', {},
      h('a', { href: `#/plan/${p.id}`, text: t('con.version_n', { n: p.id }) }), ` · ${t(`con.status.${p.status}`)} · ${p.created_by || '—'} · ${whenText(p.created_at)}`)))));
  draw();
}
