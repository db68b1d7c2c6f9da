// Numbers, money, shares and dates as the dashboard's language writes them. Written out by
// hand: browsers' own locale data may lack Kazakh, and a date input shows the browser's
// locale (mm/dd/yyyy on an English Chromium), not the page's.
import { lang, t } from '../i18n.js';

const GROUP = { kk: '\u00a0', ru: '\u00a0', en: ',' };
const DECIMAL = { kk: ',', ru: ',', en: '.' };

export function num(n) {
  return String(Math.round(n || 0)).replace(/\B(?=(\d{3})+(?!\d))/g, GROUP[lang()] ?? '\u00a0');
}

export const money = (n) => t('dash.tenge', { n: num(n) });
export const of = (part, whole) => t('dash.of', { part: num(part), whole: num(whole) });

// A share as a percentage with one decimal (0.0123 -> "1,2%" in kk and ru, "1.2%" in en).
export function pct(share) {
  if (share === null || share === undefined) return t('dash.unknown');
  return `${(share * 100).toFixed(1).replace('.', DECIMAL[lang()] ?? '.')}%`;
}

export const rate = (share) => (share === null || share === undefined ? '—' : t('dash.percent', { n: Math.round(share * 100) }));

const two = (n) => String(n).padStart(2, '0');
const parts = (iso) => iso.slice(0, 10).split('-').map(Number);
const month3 = (m) => t(`month.${m}`).slice(0, 3);

// A calendar day: 05.12.2026 in Kazakh and Russian (as Kazakhstan writes dates), 5 Dec 2026
// in English.
export function day(iso) {
  if (!iso) return '—';
  const [y, m, d] = parts(iso);
  return lang() === 'en' ? `${d} ${month3(m)} ${y}` : `${two(d)}.${two(m)}.${y}`;
}

// A day without its year, for a chart's axis: 05.12 or 5 Dec.
export function dayMonth(iso) {
  const [, m, d] = parts(iso);
  return lang() === 'en' ? `${d} ${month3(m)}` : `${two(d)}.${two(m)}`;
}

// A time of day, 24-hour in every language.
export const clock = (at) => `${two(at.getHours())}:${two(at.getMinutes())}`;

// What a person typed as a date: 05.12.2026, 5.12.2026, 05/12/2026 or 2026-12-05; null when it
// is not a real calendar day.
export function parseDay(text) {
  const value = String(text || '').trim();
  let y; let m; let d;
  let found = value.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
  if (found) [, y, m, d] = found.map(Number);
  else if ((found = value.match(/^(\d{1,2})[./](\d{1,2})[./](\d{4})$/))) [, d, m, y] = found.map(Number);
  else return null;
  const at = new Date(Date.UTC(y, m - 1, d));
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== m - 1 || at.getUTCDate() !== d) return null;
  return `${y}-${two(m)}-${two(d)}`;
}

// Today in Kazakhstan (UTC+5), whatever the viewer's own clock zone.
export function today() {
  return new Date(Date.now() + 5 * 3600 * 1000).toISOString().slice(0, 10);
}

// A day as typed into a date field, in every language: 05.12.2026.
export function inputDay(iso) {
  if (!iso) return '';
  const [y, m, d] = parts(iso);
  return `${two(d)}.${two(m)}.${y}`;
}
