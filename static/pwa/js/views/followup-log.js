// Log a call or a visit to a resident: how, the outcome (a new stage, or unchanged), the date
// (the phone's own calendar day), a note, the next contact date, and the amount, funding source
// or reason when the outcome needs them. Checked against the rules the server publishes, then
// saved as a `followup` mutation through the same outbox as meetings (docs/sync.md).
import * as db from '../db.js';
import { STAGES, list, localToday, logged } from '../followups.js';
import { codeText, t } from '../i18n.js';
import { ruleProblems } from '../rules.js';
import { resend, save, syncNow } from '../sync.js';
import { countdown, field, h, show, toast } from '../ui.js';
import { callLink } from './followup.js';

let dirty = false;
export function isDirty() { return dirty; }

// no stage is dated before the programmes began (the server's PROGRAMME_ERA, domain/residents.py):
// an earlier date is a phone whose clock was reset
const PROGRAMME_ERA = '2000-01-01';
// the fields only some outcomes have
const NEEDS = { amount_tenge: ['defended', 'financed'], funding_source: ['financed'], reason: ['dropped'] };
const LABELS = { via: 'followup.via', status: 'followup.outcome', on: 'followup.on', note: 'followup.note',
  next_contact: 'followup.next_contact', funding_source: 'followup.funding_source', reason: 'followup.reason',
  programme: 'followup.programme' };
const amountLabel = (status) => (status === 'financed' ? 'followup.amount_financed' : 'followup.amount_requested');

function statusOf(form, resident) {
  const chosen = form.elements.status.value;
  return chosen === 'unchanged' ? resident.stage : chosen;
}

// The mutation's fields, as docs/followup.md lists them (null where an outcome has none).
function read(form, resident) {
  const v = (n) => form.elements[n].value.trim() || null;
  const status = statusOf(form, resident);
  const needs = (name) => NEEDS[name].includes(status);
  const amount = v('amount_tenge');
  return { meeting_id: resident.meeting_id, status, on: v('on'), via: form.elements.via.value || null,
    note: v('note'), next_contact: v('next_contact'),
    amount_tenge: needs('amount_tenge') && amount !== null ? Number(amount) : null,
    funding_source: needs('funding_source') ? v('funding_source') : null,
    reason: needs('reason') ? v('reason') : null, programme: resident.programme ?? null };
}

// The form's own checks, then every rule the server publishes for follow-ups.
async function problemsOf(f) {
  const found = [];
  if (!f.via) found.push(['via', 'followup.error.via']);
  if (!f.on) found.push(['on', 'error.date']);
  else if (f.on > localToday()) found.push(['on', 'followup.error.future']);
  else if (f.on < PROGRAMME_ERA) found.push(['on', 'followup.error.early']);
  if (f.next_contact && f.on && f.next_contact < f.on) found.push(['next_contact', 'followup.error.next_before']);
  if (f.status === 'dropped' && !f.reason) found.push(['reason', 'followup.error.reason']);
  const rules = (await db.meta('reference'))?.body?.rules?.followup;
  const seen = new Set(found.map(([path]) => path));
  return [...found, ...ruleProblems(rules, f).filter(([path]) => !seen.has(path))];
}

function showProblems(form, box, problems, status) {
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  const label = (path) => t(path === 'amount_tenge' ? amountLabel(status) : LABELS[path] || 'followup.title');
  box.hidden = !problems.length;
  box.replaceChildren(h('strong', { text: t('error.title') }), h('ul', {}, problems.map(([path, key, params]) => h('li', {
    text: params ? t('error.field', { field: label(path), problem: t(key, params) }) : t(key) }))));
  for (const [path] of problems) {
    const el = form.elements[path];
    (el instanceof Element ? el : el?.[0])?.setAttribute('aria-invalid', 'true');
  }
  if (problems.length) box.scrollIntoView({ block: 'start' });
}

function ways(chosen) {
  return h('div', { class: 'checks' }, ['call', 'visit'].map((value) => h('label', { class: 'check' },
    h('input', { type: 'radio', name: 'via', value, checked: value === chosen }), t(`followup.via.${value}`))));
}

function outcomes(resident, chosen) {
  const options = resident.stage === 'new' ? [] : [['unchanged', t('followup.unchanged', { stage: t(`stage.${resident.stage}`) })]];
  options.push(...STAGES.map((s) => [s, t(`stage.${s}`)]));
  return h('select', { name: 'status' }, options.map(([value, text]) => h('option', { value, text, selected: value === chosen })));
}

// Fields shown only for the outcomes that need them.
function only(name, el) {
  el.dataset.needs = NEEDS[name].join(' ');
  return el;
}

function form(resident, before) {
  const note = h('textarea', { name: 'note', rows: 3, text: before.note || '' });
  const chosen = before.status && before.status !== resident.stage ? before.status : resident.stage === 'new' ? 'contacted' : 'unchanged';
  return h('form', { novalidate: true },
    h('fieldset', {}, h('legend', { text: t('followup.via') }), ways(before.via || 'call')),
    field('followup.outcome', outcomes(resident, chosen)),
    h('div', { class: 'row' }, field('followup.on', h('input', { type: 'date', name: 'on', value: before.on || localToday(), min: PROGRAMME_ERA, max: localToday() })),
      field('followup.next_contact', h('input', { type: 'date', name: 'next_contact', value: before.next_contact || '' }))),
    only('amount_tenge', field('followup.amount_requested', h('input', { type: 'number', name: 'amount_tenge', inputmode: 'numeric',
      min: 0, step: 1, value: before.amount_tenge ?? '' }))),
    only('funding_source', field('followup.funding_source', h('input', { name: 'funding_source', value: before.funding_source || '' }))),
    only('reason', field('followup.reason', h('textarea', { name: 'reason', rows: 2, text: before.reason || '' }))),
    field('followup.note', note),
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('followup.save') }),
      h('a', { class: 'button secondary', href: '#/followup', text: t('followup.back') })));
}

export async function render(view, itemId) {
  const resident = ((await list()) || []).find((r) => r.item_id === itemId);
  if (!resident) {
    show(view, h('h1', { text: t('followup.title') }), h('p', { text: t('followup.gone') }),
      h('a', { class: 'button secondary', href: '#/followup', text: t('followup.back') }));
    return;
  }
  const record = await db.get('records', itemId);
  const refused = record?.rejected;
  const el = form(resident, refused ? record.data || {} : {});
  const noteMax = (await db.meta('reference'))?.body?.rules?.followup?.fields?.note?.max_length ?? 2000;
  el.elements.note.after(countdown(el.elements.note, noteMax));
  const problems = h('div', { class: 'errors', role: 'alert', hidden: true });
  const outcomeChanged = () => {
    const status = statusOf(el, resident);
    for (const part of el.querySelectorAll('[data-needs]')) part.hidden = !part.dataset.needs.split(' ').includes(status);
    el.querySelector('[data-needs="defended financed"] label').textContent = t(amountLabel(status));
  };
  el.elements.status.addEventListener('change', outcomeChanged);
  el.addEventListener('input', () => { dirty = true; });
  let saving = false;
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (saving) return; // a double tap logged the call twice (two lines of the resident's history)
    saving = true;
    const fields = read(el, resident);
    const found = await problemsOf(fields);
    showProblems(el, problems, found, fields.status);
    if (found.length) { saving = false; return; }
    // every field, always: each call or visit is a line of the resident's history
    const change = { set: fields, add: {}, remove: {} };
    if (refused) await resend('followup', itemId, { ...(record.synced || {}), ...fields }, change);
    else await save('followup', itemId, change);
    await logged(itemId, fields);
    dirty = false;
    toast(t('followup.saved'));
    location.hash = '#/followup';
    syncNow('saved');
    navigator.serviceWorker?.ready.then((r) => r.sync?.register('outreach-sync')).catch(() => {});
  });
  outcomeChanged();
  dirty = false;
  show(view, h('h1', { text: t('followup.log_title', { name: resident.name || t('followup.no_name') }) }),
    h('p', { class: 'muted', text: `${t('followup.stage')}: ${t(`stage.${resident.stage}`)}` }),
    h('div', { class: 'actions' }, callLink(resident)),
    refused ? h('div', { class: 'errors', id: 'refused', role: 'alert' }, h('strong', { text: t('followup.refused') }),
      h('p', { text: codeText(refused.reason) })) : null,
    problems, el);
}
