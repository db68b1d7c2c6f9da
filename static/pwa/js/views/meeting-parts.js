// Pieces of the meeting form: each builds its inputs and reads them back.
import { name, t } from '../i18n.js';
import { uuid } from '../records.js';
import { field, h } from '../ui.js';

export const PROGRAMMES = ['bastau_business', 'microcredit', 'land_plots', 'utility_connections',
  'business_adviser', 'entrepreneurs_house', 'other'];
export const COMMON_QUESTIONS = ['credit', 'land', 'training', 'collateral', 'utilities', 'business_plan'];

export function villageOptions(villages, selected) {
  return villages.map((v) => h('option', { value: v.kato, selected: v.kato === selected, text: v.label || name(v.names) }));
}

export function checks(group, items, chosen) {
  return h('div', { class: 'checks' }, items.map(([value, text]) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: group, value, checked: chosen.includes(value) }), text)));
}

export function checked(form, group) {
  return [...form.querySelectorAll(`input[name="${group}"]:checked`)].map((i) => i.value);
}

export function attendance(a = {}) {
  const input = (key) => h('input', { type: 'number', inputmode: 'numeric', min: 0, step: 1,
    name: `attendance.${key}`, value: a[key] ?? '' });
  return h('fieldset', {}, h('legend', { text: t('meeting.attendance') }),
    h('div', { class: 'row three' }, ['total', 'women', 'youth', 'entrepreneurs']
      .map((key) => field(`meeting.attendance.${key}`, input(key)))));
}

export function readAttendance(form) {
  const out = {};
  for (const key of ['total', 'women', 'youth', 'entrepreneurs']) {
    const raw = form.elements[`attendance.${key}`].value.trim();
    if (raw !== '') out[key] = Number(raw);
  }
  return Object.keys(out).length ? out : null;
}

export function referrals(items = []) {
  const counts = Object.fromEntries(items.map((r) => [r.programme, r.count]));
  return h('fieldset', {}, h('legend', { text: t('meeting.referrals') }),
    h('div', { class: 'row' }, PROGRAMMES.map((p) => field(`programme.${p}`, h('input', {
      type: 'number', inputmode: 'numeric', min: 0, step: 1, name: `referral.${p}`, value: counts[p] ?? '' })))));
}

export function readReferrals(form) {
  // an empty box or 0 is no referral; anything else is kept as typed, for the checks to refuse
  // (a negative count was dropped without a word)
  return PROGRAMMES.map((p) => [p, form.elements[`referral.${p}`].value.trim()])
    .filter(([, raw]) => raw !== '' && Number(raw) !== 0)
    .map(([programme, raw]) => ({ id: `ref-${programme}`, programme, count: Number(raw) }));
}

export function person(p, villages) {
  const id = p.id || uuid();
  return h('div', { class: 'person', 'data-person': id },
    field('meeting.person.name', h('input', { name: 'p.name', value: p.name || '', autocomplete: 'off' })),
    field('meeting.person.phone', h('input', { name: 'p.phone', value: p.phone || '', type: 'tel', inputmode: 'tel',
      placeholder: '+7 7XX XXX XX XX', autocomplete: 'off' })),
    field('meeting.person.village', h('select', { name: 'p.village' }, h('option', { value: '', text: '—' }),
      villageOptions(villages, p.village))),
    field('meeting.person.interest', h('input', { name: 'p.interest', value: p.interest || '' })),
    h('button', { type: 'button', class: 'danger', text: t('meeting.person.remove'),
      onclick: (e) => { e.target.closest('.person').remove(); document.dispatchEvent(new Event('outreach:form')); } }));
}

export function readPeople(form) {
  return [...form.querySelectorAll('[data-person]')].map((el) => {
    const value = (n) => el.querySelector(`[name="p.${n}"]`).value.trim() || null;
    const p = { id: el.dataset.person, name: value('name') || '' };
    for (const key of ['phone', 'village', 'interest']) if (value(key)) p[key] = value(key);
    return p;
  });
}
