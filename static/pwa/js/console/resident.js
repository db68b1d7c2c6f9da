// One resident: where they have got to, every meeting that listed them, their whole history
// (who changed what, when, for how much), and a coordinator's actions: record a stage, decide a
// doubtful match, split back out a resident merged into this one, erase on request.
import { h, show, toast } from '../ui.js';
import { api } from './api.js';
import { action, button, dateText, districtName, placeName, programmeText, stageText, t, teamLabel, tenge, whenText } from './common.js';
import { decisions, reasonOf, residentCard, residentName } from './candidates.js';
import { confirmDialog } from './confirm.js';
import { stageForm } from './stageform.js';

const table = (id, heads, rows) => h('div', { class: 'scroll' }, h('table', { id },
  h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col', class: k.endsWith('tenge') ? 'n' : null, text: t(k) })))),
  h('tbody', {}, rows)));

// A translated word for a value the server may grow (an event kind, a channel), else the value.
const word = (key, value) => (value == null ? '—' : t(key) === key ? value : t(key));

function summary(r) {
  const rows = [
    ['con.col.phone', r.phone ? h('a', { href: `tel:${r.phone}`, text: r.phone }) : '—'],
    ['con.col.village', r.village ? placeName(r.village) : '—'], ['con.f.district', r.district ? districtName(r.district) : '—'],
    ['con.col.team', (r.teams || []).map(teamLabel).join(', ') || '—'],
    ['con.col.stage', r.dropped ? `${stageText(r.stage)} · ${stageText('dropped')}${r.dropped_reason ? ` (${r.dropped_reason})` : ''}` : stageText(r.stage)],
    ['con.col.programme', programmeText(r.programme)], ['con.col.requested', tenge(r.requested_tenge)],
    ['con.col.financed', tenge(r.financed_tenge)], ['con.col.funding_source', r.funding_source || '—'],
    ['con.col.next_contact', dateText(r.next_contact)], ['con.col.last_contact', dateText(r.last_contact)],
  ];
  return h('section', { class: 'panel', id: 'resident-summary' },
    r.erased ? h('p', { class: 'warning', text: t('con.erased_note') }) : null,
    h('dl', {}, rows.flatMap(([k, v]) => [h('dt', { text: t(k) }), h('dd', {}, v)])));
}

function sightings(r) {
  return h('section', { class: 'panel' }, h('h2', { text: t('con.sightings', { n: r.sightings.length }) }),
    r.sightings.length ? table('sightings', ['con.col.date', 'con.col.team', 'con.col.village', 'con.col.programme'],
      r.sightings.map((s) => h('tr', { 'data-meeting': s.meeting_id }, h('td', { text: dateText(s.met_on) }), h('td', { text: teamLabel(s.team) }),
        h('td', { text: s.village ? placeName(s.village) : '—' }), h('td', { text: programmeText(s.programme) }))))
      : h('p', { class: 'muted', text: t('con.none') }));
}

function what(e) {
  const kind = word(`con.event.${e.kind}`, e.kind);
  const stage = e.stage ? stageText(e.stage) : '';
  const other = ['merged', 'split'].includes(e.kind) ? e.other ?? null : null;
  return h('td', {}, stage && e.kind === 'stage' ? stage : kind,
    other ? h('span', {}, ' ', h('a', { href: `#/residents/${other}`, text: `#${other}` })) : '');
}

function history(r) {
  const lines = [...r.history].sort((a, b) => (b.on || b.at).localeCompare(a.on || a.at) || b.id - a.id);
  return h('section', { class: 'panel' }, h('h2', { text: t('con.history', { n: lines.length }) }),
    lines.length ? table('history', ['con.col.date', 'con.col.what', 'con.col.by', 'con.col.via', 'con.col.amount_tenge',
      'con.col.funding_source', 'con.f.reason', 'con.f.note', 'con.col.next_contact', 'con.col.programme'],
    lines.map((e) => h('tr', { 'data-kind': e.kind, 'data-stage': e.stage || '' },
      h('td', { text: e.on ? dateText(e.on) : whenText(e.at), title: whenText(e.at) }), what(e), h('td', { text: e.by_name || e.by || '—' }),
      h('td', { text: word(`con.via.${e.via}`, e.via) }), h('td', { class: 'n', text: e.amount_tenge == null ? '' : tenge(e.amount_tenge) }),
      h('td', { text: e.funding_source || '' }), h('td', { text: e.reason || '' }), h('td', { text: e.note || '' }),
      h('td', { text: e.next_contact ? dateText(e.next_contact) : '' }), h('td', { text: e.programme ? programmeText(e.programme) : '' }))))
      : h('p', { class: 'muted', text: t('con.none') }));
}

function merged(r, reload) {
  if (!r.merged_from.length) return null;
  return h('section', { class: 'panel', id: 'merged-from' }, h('h2', { text: t('con.merged_from') }),
    h('p', { class: 'muted', text: t('con.split_hint') }),
    h('ul', {}, r.merged_from.map((other) => h('li', { 'data-merged': other },
      h('a', { href: `#/residents/${other}`, text: `#${other}` }), ' ',
      action(button(t('con.split'), { class: 'secondary', 'data-action': 'split', 'aria-label': t('con.split_n', { n: other }) }), async () => {
        await api(`residents/${r.id}/split`, { method: 'POST', json: { resident: other } });
        toast(t('con.split_done', { n: other }));
        await reload();
      })))));
}

function doubtful(r, reload) {
  if (!r.candidates.length) return null;
  return h('section', { class: 'panel', id: 'resident-candidates' }, h('h2', { text: t('con.candidates', { n: r.candidates.length }) }),
    r.candidates.map((c) => h('div', { class: 'pair', 'data-candidate': c.id },
      h('p', {}, h('strong', { text: `${t('con.why')}: ` }), reasonOf(c.reason)), residentCard(c.other),
      decisions(c, r, c.other, reload))));
}

function eraseButton(r, reload) {
  if (r.erased) return null;
  const open = button(t('con.erase'), { class: 'danger', id: 'erase' });
  open.addEventListener('click', () => confirmDialog({
    id: 'erase-dialog', title: t('con.erase_title', { name: residentName(r) }),
    text: [t('con.erase_text'), t('con.erase_kept')], confirm: t('con.erase_confirm'),
    work: async () => { await api(`residents/${r.id}/erase`, { method: 'POST' }); toast(t('con.erased')); await reload(); },
  }));
  return h('section', { class: 'panel', id: 'erase-section' }, h('h2', { text: t('con.erase_heading') }),
    h('p', { class: 'muted', text: t('con.erase_hint') }), h('div', { class: 'actions' }, open));
}

export async function renderResident(view, id) {
  const reload = () => renderResident(view, id);
  const r = await api(`residents/${id}`);
  show(view, h('p', {}, h('a', { href: '#/residents', text: t('con.back_to_residents') })),
    h('h1', { id: 'resident-name', text: residentName(r) }),
    h('div', { class: 'grid2' }, summary(r), stageForm(r, reload)), history(r),
    h('div', { class: 'grid2' }, h('div', {}, sightings(r), doubtful(r, reload)), h('div', {}, merged(r, reload), eraseButton(r, reload))));
}
