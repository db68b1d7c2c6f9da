// The dashboard's filters: read from the address (#campaign=3&district=...&from=2027-03-01),
// where a bookmark may carry anything, and drawn as the controls above the figures.
import { t } from '../i18n.js';
import { field, h, teamName } from '../ui.js';
import { day, inputDay, parseDay } from './format.js';

export const FILTERS = ['campaign', 'district', 'okrug', 'team', 'from', 'to'];

const RULES = {
  campaign: (v) => (v === 'all' || /^\d{1,18}$/.test(v) ? v : null),
  district: (v) => (/^\d{9}$/.test(v) ? v : null),
  okrug: (v) => (/^\d{9}$/.test(v) ? v : null),
  team: (v) => (v.length <= 100 ? v : null),
  from: parseDay,
  to: parseDay,
};

// The filters an address asks for, and what it asked for that the server would refuse (a day
// that is not one, "from" after "to"...): those are set aside, and said, rather than sent.
export function fromAddress(hash) {
  const asked = new URLSearchParams(hash.replace(/^#/, ''));
  const filter = {};
  const ignored = [];
  for (const key of FILTERS) {
    const value = asked.get(key) || '';
    filter[key] = value ? RULES[key](value) : '';
    if (filter[key] === null) { ignored.push([key, value]); filter[key] = ''; }
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    ignored.push(['from', asked.get('from')], ['to', asked.get('to')]);
    Object.assign(filter, { from: '', to: '' });
  }
  return { filter, ignored };
}

export function ignoredNote(ignored) {
  const what = ignored.map(([key, value]) => `${t(`dash.filter.${key}`)} (${value})`).join(', ');
  return t('dash.address_ignored', { filters: what });
}

// Dates typed as Kazakhstan writes them (a date input would show the browser's own format); a
// "from" after "to" is refused here, in the user's language, and nothing is asked of the server.
function dateField(key, filter, choose) {
  const el = h('input', { name: key, inputmode: 'numeric', autocomplete: 'off', placeholder: t('dash.date_placeholder'),
    value: inputDay(filter[key]) });
  const wrong = h('div', { class: 'error', role: 'alert' });
  el.addEventListener('change', () => {
    const iso = el.value.trim() ? parseDay(el.value) : '';
    const next = { ...filter, [key]: iso };
    const reversed = iso !== null && next.from && next.to && next.from > next.to;
    wrong.textContent = iso === null ? t('dash.date_wrong') : reversed ? t('dash.dates_reversed') : '';
    el.toggleAttribute('aria-invalid', iso === null || reversed);
    if (iso !== null && !reversed) choose({ [key]: iso });
  });
  const box = field(`dash.filter.${key}`, el);
  box.append(wrong);
  return box;
}

// `teams`: every team of the view, the chosen one's included (coverage under a team filter
// lists that team alone).
export function filterBar({ filter, campaigns, current, places, teams }, choose) {
  const select = (key, options, first) => {
    const el = h('select', { name: key }, first,
      options.map(([value, text]) => h('option', { value, text, selected: String(filter[key] || '') === String(value) })));
    el.addEventListener('change', () => choose(key === 'district' ? { district: el.value, okrug: '' } : { [key]: el.value }));
    return field(`dash.filter.${key}`, el);
  };
  const all = (text) => h('option', { value: '', text });
  const campaign = select('campaign', [['all', t('dash.all_campaigns')], ...campaigns.map((c) =>
    [String(c.id), `${c.name} · ${day(c.start)}–${day(c.end)}${c.id === current ? ` · ${t('dash.now')}` : ''}`])]);
  return h('div', { class: 'filters' }, campaign,
    select('district', [...places], all(t('dash.all'))),
    select('team', teams.map((key) => [key, teamName(key)]), all(t('dash.all'))),
    dateField('from', filter, choose), dateField('to', filter, choose));
}

// A date being typed in a filter when new figures redraw the page: kept, with its message and
// the caret (a poll wiped it mid-word).
export function typed() {
  const el = document.activeElement;
  if (!(el instanceof HTMLInputElement) || !el.closest('.filters')) return null;
  const message = el.closest('.field')?.querySelector('.error')?.textContent || '';
  return { name: el.name, value: el.value, at: el.selectionStart, message, invalid: el.hasAttribute('aria-invalid') };
}

export function keepTyping(view, { name, value, at, message, invalid }) {
  const el = view.querySelector(`.filters input[name="${name}"]`);
  if (!el) return;
  el.value = value;
  el.toggleAttribute('aria-invalid', invalid);
  const box = el.closest('.field')?.querySelector('.error');
  if (box) box.textContent = message;
  el.focus();
  el.setSelectionRange(at, at);
}
