// What the console's screens share: translated texts and errors, the gazetteer's names, team
// colours, and small form helpers.
import * as i18n from '../i18n.js';
import { api, ApiError } from './api.js';
import { field, h, teamName, toast } from '../ui.js';
import { allVillages } from '../villages.js';

export const t = (...args) => i18n.t(...args);
export const name = (names) => i18n.name(names);

// An error as the user reads it: a known code in the UI language, never the server's English
// text in the kk or ru console.
export function errorText(error) {
  const key = `con.error.${error?.code}`;
  if (t(key) !== key) return t(key, { detail: values(error) });
  if (error?.status === 400 || error?.status === 422) return t('con.error.invalid', { detail: detail(error) });
  // a fault of the console's own (no server answer to blame, nor the connection)
  if (!(error instanceof ApiError)) return t('con.error.internal', { message: String(error?.message || error) });
  return i18n.lang() === 'en' && error?.message ? error.message : t('con.error.other', { code: error?.code || '?' });
}

// The fields the server named (`field`, `key` for a query or body field, a file's `column` or
// `line`), each by its form label where the console has one.
function detail(error) {
  const label = (f) => (t(`con.f.${f}`) === `con.f.${f}` ? f : t(`con.f.${f}`));
  const fields = (error.details || []).map((d) => d.field || d.key || d.column || d.line).filter(Boolean);
  return fields.length ? [...new Set(fields.map(String).map(label))].slice(0, 5).join(', ') : (error.code || '');
}

// The values the server named (a pin's date, say), for the texts of particular errors.
function values(error) {
  return [...new Set((error?.details || []).map((d) => d.value).filter((v) => v != null).map(String))].slice(0, 5).join(', ');
}

export function fail(error) { toast(errorText(error)); }

// Run an action from a button: disabled while it works, errors shown.
export function action(button, work) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try { await work(); } catch (error) { fail(error); } finally { button.disabled = false; }
  });
  return button;
}

export const button = (text, opts = {}) => h('button', { type: 'button', ...opts, text });

// Below a list read a page at a time: "the oldest N of ALL are shown" and a button that reads
// the next page. `next(count)` appends it and answers { added, total }; ids `${prefix}-shown`
// and `${prefix}-more`.
export function moreBelow(prefix, { count, total, shownKey, moreKey, next }) {
  const shown = h('p', { class: 'muted', role: 'status', id: `${prefix}-shown` });
  const more = button(t(moreKey), { class: 'secondary', id: `${prefix}-more` });
  const tell = (all) => {
    shown.textContent = count < all ? t(shownKey, { n: count, all }) : '';
    more.hidden = count >= all;
  };
  action(more, async () => {
    const { added, total: all } = await next(count);
    count += added;
    tell(added ? all : count); // none after the last: all are shown
  });
  tell(total);
  return [shown, h('div', { class: 'actions' }, more)];
}

export function input(name, attrs = {}) { return h('input', { name, ...attrs }); }

export function labelled(key, control, hint) { return field(key, control, hint); }

// The gazetteer, loaded once per language: villages and districts by KATO code.
export const places = { villages: new Map(), districts: new Map(), okrugs: new Map() };

export async function loadPlaces(force = false) {
  if (places.villages.size && !force) return places;
  const [villages, districts, okrugs] = await Promise.all([
    allVillages(),
    fetch('/api/v1/districts').then((r) => r.json()),
    fetch('/api/v1/okrugs').then((r) => r.json()),
  ]);
  places.villages = new Map(villages.map((v) => [v.kato, v]));
  places.districts = new Map(districts.map((d) => [d.kato, d]));
  places.okrugs = new Map(okrugs.map((o) => [o.kato, o]));
  return places;
}

export const placeName = (kato) => name(places.villages.get(kato)?.names) || kato;
export const districtName = (kato) => name(places.districts.get(kato)?.names) || kato;

// Teams in colours told apart also by colour-blind readers (Okabe-Ito), and by dash pattern.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const DASHES = ['none', '8 4', '2 3', '12 3 2 3'];
export function teamStyle(team, teams) {
  const i = Math.max(0, teams.indexOf(team));
  return { colour: COLOURS[i % COLOURS.length], dash: DASHES[Math.floor(i / COLOURS.length) % DASHES.length] };
}

// `team-N` as people say it: the field app's own (the console loads its catalogue too)
export const teamLabel = teamName;

export function reasonText(reason) {
  const key = `con.reason.${reason}`;
  return t(key) === key ? reason : t(key);
}

export function dateText(iso) {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return t('con.date', { d, month: t(`month.${m}`), y });
}

export function whenText(iso) {
  if (!iso) return '—';
  const at = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${dateText(`${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`)} ${two(at.getHours())}:${two(at.getMinutes())}`;
}

export function number(n, digits = 0) {
  return Number(n ?? 0).toLocaleString(i18n.lang() === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: digits });
}

export const figure = (value, key) => h('div', { class: 'figure' }, h('b', { text: value }), h('span', { text: t(key) }));

export async function teams() { return (await api('teams')).map((team) => team.name); }

// Money: whole tenge, thousands apart by a no-break space, the currency as each language writes it.
export function tenge(n) {
  if (n == null) return '—';
  const digits = String(Math.round(Number(n))).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return t('con.tenge', { n: digits });
}

export const STAGES = ['contacted', 'referred', 'trained', 'defended', 'financed', 'dropped'];
export const PROGRAMMES = ['bastau_business', 'business_adviser', 'microcredit', 'land_plots', 'utility_connections', 'entrepreneurs_house', 'other'];
export const stageText = (stage) => (stage ? t(`stage.${stage}`) : '—');
export const programmeText = (p) => (p ? (t(`programme.${p}`) === `programme.${p}` ? p : t(`programme.${p}`)) : '—');

const digits = (text) => text.replace(/[^\d]/g, '');

// A money input: digits only, shown in groups of three as the coordinator types.
export function moneyInput(name, value, attrs = {}) {
  const group = (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const input = h('input', { name, inputmode: 'numeric', autocomplete: 'off', maxlength: 20, value: value == null ? '' : group(String(value)), ...attrs });
  // grouped again only when it is a whole amount: "1,500,000.50" stays as typed, to be refused
  input.addEventListener('blur', () => { if (moneyValue(input) != null) input.value = group(digits(input.value)); });
  return input;
}

// A whole amount in tenge as typed: digits, grouped by spaces or commas as people write them.
// null when empty; undefined when it is no whole amount (a decimal part, a minus sign, words),
// which the form refuses: its digits alone would be another amount (1,500,000.50 → 150000050).
export function moneyValue(input) {
  const text = input.value.trim();
  if (text === '') return null;
  return /^\d+$|^\d{1,3}([ \u00a0\u202f,]\d{3})+$/.test(text) ? Number(digits(text)) : undefined;
}
