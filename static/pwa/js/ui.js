// Small DOM helpers shared by the screens.
import { t } from './i18n.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'text') el.textContent = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      el.append(child instanceof Node ? child : String(child));
    }
  }
  return el;
}

// Put a screen's parts in place (null and false parts are left out).
export function show(view, ...parts) {
  view.replaceChildren(...parts.flat().filter((part) => part !== null && part !== undefined && part !== false));
}

// Dates and times written out from the translation files (browsers' own locale data may lack
// Kazakh).
// Today's date where the phone is (Kyzylorda, Almaty time), not in UTC: between midnight
// and 05:00 the UTC date is still yesterday's.
export function localToday(now = new Date()) {
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

export function longDate(iso) {
  const day = new Date(`${iso}T00:00`);
  return t('date.long', { weekday: t(`weekday.${day.getDay()}`), day: day.getDate(),
    month: t(`month.${day.getMonth() + 1}`) });
}

export function shortDate(iso) {
  const day = new Date(`${iso}T00:00`);
  return t('date.short', { day: day.getDate(), month: t(`month.${day.getMonth() + 1}`) });
}

let toastTimer = null;
export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

// `team-N`, a team's default name, as people say it ("2-топ"); a team named otherwise is its name.
export function teamName(team) {
  const n = /^team-(\d+)$/.exec(team || '');
  return n ? t('team_n', { n: n[1] }) : team || '—';
}

export function km(value) { return t('unit.km', { n: (Math.round(value * 10) / 10).toLocaleString() }); }
export function minutes(value) {
  const total = Math.round(value);
  return total >= 60 ? t('unit.h_min', { h: Math.floor(total / 60), m: total % 60 }) : t('unit.min', { n: total });
}

export function when(iso) {
  if (!iso) return t('status.never');
  const at = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`;
}

export function field(labelKey, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id, text: t(labelKey) }), input,
    hint ? h('div', { class: 'muted', text: hint }) : null);
}

// A countdown under a text field: characters left of `max` (code points, as the server
// counts them), then how far over; the text itself is never cut.
export function countdown(input, max) {
  const note = h('div', { id: `${input.name}-left`, class: 'muted' });
  const update = () => {
    const left = max - [...input.value].length;
    note.textContent = left >= 0 ? t('form.chars_left', { n: left }) : t('form.chars_over', { n: -left });
    note.classList.toggle('error', left < 0);
  };
  input.setAttribute('aria-describedby', note.id);
  input.addEventListener('input', update);
  update();
  return note;
}
