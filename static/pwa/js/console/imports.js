// Programme lists in: the lists programme operators send (CSV or xlsx), previewed as matches
// against the registry (exact, probable, new, conflicting) before anything changes; probable
// matches can be told apart as different people; confirmed as one transaction; undone whole.
import { h, show, toast } from '../ui.js';
import { api } from './api.js';
import { PROGRAMMES, action, button, dateText, districtName, errorText, labelled, number, placeName, programmeText, stageText, t, tenge, whenText } from './common.js';
import { residentName } from './candidates.js';
import { confirmDialog } from './confirm.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MATCHES = ['exact', 'probable', 'new', 'conflicting'];

// A line's problem in the user's language when the server gave its code (the message is English).
function said(d) {
  const key = `con.line.${d.code}`;
  return d.code && t(key) !== key ? t(key, { value: d.value ?? '' }) : d.message || d.problem || '';
}

// A programme list's column by its name in the user's language (a header nobody reads as it is).
function columnName(column) {
  const key = `con.column.${column}`;
  return t(key) !== key ? t(key) : column;
}

function problems(error) {
  const lines = (error.details || []).map((d) => h('li', { text: t('con.bad_line', { line: d.line ?? '?', column: columnName(d.column ?? d.field ?? '?'), problem: said(d) }) }));
  return h('div', { class: 'danger-box', role: 'alert', id: 'import-problems' }, h('p', { text: errorText(error) }), lines.length ? h('ul', {}, lines) : null);
}

// Why a row matched, by the server's stable code, in the UI language.
function whyText(row) {
  return row.why_code ? t(`con.why_row.${row.why_code}`, { n: row.why_count ?? '' }) : '';
}

const counts = (c) => h('div', { class: 'figures', id: 'import-counts' },
  MATCHES.map((m) => h('div', { class: 'figure', 'data-match': m }, h('b', { text: number(c?.[m] ?? 0) }), h('span', { text: t(`con.match.${m}`) }))));

function previewRow(row) {
  const probable = row.match === 'probable';
  const apart = probable ? h('input', { type: 'checkbox', name: 'separate', value: row.line, 'aria-label': t('con.different_person_line', { line: row.line }) }) : null;
  const r = row.resident;
  return h('tr', { 'data-line': row.line, 'data-match': row.match },
    h('td', { class: 'n', text: row.line }), h('td', { text: row.name || '—' }), h('td', { text: row.phone || '—' }),
    h('td', { text: row.village ? placeName(row.village) : row.district ? districtName(row.district) : '—' }),
    h('td', { text: stageText(row.stage) }), h('td', { text: dateText(row.on) }), h('td', { class: 'n', text: row.amount_tenge == null ? '—' : tenge(row.amount_tenge) }),
    h('td', { text: programmeText(row.programme) }),
    h('td', {}, h('span', { class: `pill ${row.match === 'conflicting' ? 'bad' : probable ? 'warn' : ''}`, text: t(`con.match.${row.match}`) }),
      whyText(row) ? h('div', { class: 'muted', text: whyText(row) }) : null),
    h('td', {}, r ? h('a', { href: `#/residents/${r.id}`, text: residentName(r) }) : '—'),
    h('td', {}, apart ? h('label', { class: 'check' }, apart, t('con.different_person')) : ''));
}

function importForm(reload) {
  const file = h('input', { type: 'file', name: 'programme_list', accept: `.csv,.xlsx,text/csv,${XLSX}` });
  const programme = h('select', { name: 'programme' }, h('option', { value: '', text: '—' }),
    PROGRAMMES.map((p) => h('option', { value: p, text: programmeText(p), selected: p === 'bastau_business' })));
  const result = h('div', { id: 'import-preview', 'aria-live': 'polite' });
  const send = async (dryRun, separate = []) => {
    const chosen = file.files[0];
    const params = new URLSearchParams({ dry_run: dryRun, filename: chosen.name });
    if (programme.value) params.set('programme', programme.value);
    if (separate.length) params.set('separate', separate.join(','));
    const type = /\.xlsx$/i.test(chosen.name) ? XLSX : 'text/csv';
    return api(`residents/imports?${params}`, { method: 'POST', body: await chosen.arrayBuffer(), headers: { 'content-type': type } });
  };
  const preview = action(button(t('con.preview_import'), { id: 'preview-import' }), async () => {
    if (!file.files.length) { toast(t('con.pick_file')); return; }
    let found;
    try { found = await send(true); } catch (error) { result.replaceChildren(problems(error)); return; }
    const body = h('tbody', {}, found.rows.map(previewRow));
    const apply = action(button(t('con.confirm_import', { n: found.rows.length }), { id: 'confirm-import', disabled: !found.rows.length }), async () => {
      const separate = [...body.querySelectorAll('input[name=separate]:checked')].map((box) => box.value);
      let done;
      try { done = await send(false, separate); } catch (error) { result.replaceChildren(problems(error)); return; }
      toast(t('con.imported', { n: done.rows }));
      result.replaceChildren(h('p', { class: 'ok', role: 'status', id: 'import-done', text: t('con.imported', { n: done.rows }) }), counts(done.counts));
      await reload();
    });
    const heads = ['con.col.line', 'con.col.name', 'con.col.phone', 'con.col.place', 'con.col.stage', 'con.col.date', 'con.col.amount_tenge',
      'con.col.programme', 'con.col.match', 'con.col.resident', 'con.col.apart'];
    result.replaceChildren(h('h3', { text: t('con.import_preview', { file: found.filename }) }), counts(found.counts),
      found.counts?.conflicting ? h('p', { class: 'warning', text: t('con.conflicting_hint') }) : null,
      found.counts?.probable ? h('p', { class: 'muted', text: t('con.probable_hint') }) : null,
      h('div', { class: 'scroll tall' }, h('table', { id: 'import-rows' }, h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col', text: t(k) })))), body)),
      h('div', { class: 'actions' }, apply));
  });
  file.addEventListener('change', () => result.replaceChildren());
  return h('section', { class: 'panel', id: 'programme-import' }, h('h2', { text: t('con.import_title') }),
    h('p', { class: 'muted', text: t('con.import_hint') }),
    h('div', { class: 'form-grid' }, labelled('con.f.list_file', file), labelled('con.f.default_programme', programme)),
    h('div', { class: 'actions' }, preview), result);
}

function superseded(error) {
  if (error?.code !== 'import_superseded') return errorText(error);
  const who = (error.details || []).map((d) => d.resident ?? d.id).filter((id) => id != null);
  return h('div', { class: 'danger-box' }, h('p', { text: t('con.error.import_superseded') }), h('p', { class: 'muted', text: t('con.superseded_hint') }),
    who.length ? h('ul', {}, who.slice(0, 30).map((id) => h('li', {}, h('a', { href: `#/residents/${id}`, text: `#${id}` })))) : null);
}

function pastRow(entry, reload) {
  const undo = entry.status === 'applied' ? button(t('con.undo'), { class: 'secondary', 'data-action': 'undo', 'aria-label': t('con.undo_n', { file: entry.filename, n: entry.id }) }) : null;
  undo?.addEventListener('click', () => confirmDialog({
    id: 'undo-dialog', title: t('con.undo_title', { file: entry.filename }), text: [t('con.undo_text', { n: entry.rows }), t('con.undo_kept')],
    confirm: t('con.undo_confirm'), message: superseded,
    work: async () => { await api(`residents/imports/${entry.id}/undo`, { method: 'POST' }); toast(t('con.undone')); await reload(); },
  }));
  return h('tr', { 'data-import': entry.id, 'data-status': entry.status },
    h('td', { text: whenText(entry.at) }), h('td', { text: entry.by || '—' }), h('td', { text: entry.filename }), h('td', { class: 'n', text: number(entry.rows) }),
    h('td', { text: MATCHES.map((m) => `${t(`con.match.${m}`)} ${entry.counts?.[m] ?? 0}`).join(' · ') }),
    h('td', {}, h('span', { class: `pill ${entry.status === 'undone' ? 'warn' : ''}`, text: t(`con.import_status.${entry.status}`) })), h('td', {}, undo || ''));
}

async function past(box) {
  const reload = () => past(box);
  const list = await api('residents/imports');
  box.replaceChildren(h('h2', { text: t('con.past_imports', { n: list.length }) }),
    list.length ? h('div', { class: 'scroll' }, h('table', { id: 'imports' }, h('thead', {}, h('tr', {}, ['con.col.at', 'con.col.actor', 'con.col.file',
      'con.col.rows', 'con.col.counts', 'con.col.status', 'con.col.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', {}, list.map((entry) => pastRow(entry, reload))))) : h('p', { class: 'muted', text: t('con.none') }));
}

export async function render(view) {
  const box = h('section', { class: 'panel', id: 'past-imports' });
  await past(box);
  show(view, h('h1', { text: t('con.nav.imports') }), importForm(() => past(box)), box);
}
