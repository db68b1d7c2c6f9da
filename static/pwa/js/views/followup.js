// Follow-up: the team's residents to call or visit, overdue first (said in words, not only by
// colour), each with a tap-to-call link; a resident opens the form to log a call or a visit
// (views/followup-log.js). Works from what the phone keeps (js/followups.js), offline too.
import * as db from '../db.js';
import { fetchedAt, list } from '../followups.js';
import { name, t } from '../i18n.js';
import { h, longDate, show, when } from '../ui.js';

export const logHref = (r) => `#/followup/${encodeURIComponent(r.item_id)}`;

// +77015554433 as +7 701 555 44 33 (numbers the server keeps normalised; others as they are)
const spaced = (phone) => phone.replace(/^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/, '+7 $1 $2 $3 $4');

// The resident's number as a link the phone's dialler opens.
export function callLink(r) {
  return r.phone ? h('a', { class: 'button secondary', href: `tel:${r.phone}`, text: t('followup.call', { phone: spaced(r.phone) }) })
    : h('span', { class: 'muted', text: t('followup.no_phone') });
}

function card(r, villages) {
  const village = villages.get(r.village);
  const row = (key, value, cls) => [h('dt', { text: t(key) }), h('dd', { class: cls, text: value })];
  return h('li', { class: r.overdue ? 'card followup overdue' : 'card followup', 'data-item': r.item_id },
    h('h3', {}, h('a', { href: logHref(r), text: r.name || t('followup.no_name') })),
    r.overdue ? h('p', { class: 'flag' }, h('span', { 'aria-hidden': 'true', text: '⚠ ' }), t('followup.overdue')) : null,
    h('dl', {},
      row('followup.stage', t(`stage.${r.stage}`)),
      r.programme ? row('followup.programme', t(`programme.${r.programme}`)) : null,
      row('followup.village', village ? name(village.names) : '—'),
      row('followup.next', r.next_contact ? longDate(r.next_contact) : t('followup.next_none'), r.overdue ? 'error' : null),
      r.last_contact ? row('followup.last', longDate(r.last_contact)) : null),
    h('div', { class: 'actions' }, callLink(r), h('a', { class: 'button', href: logHref(r), text: t('followup.log') })));
}

function section(id, title, residents, villages) {
  return h('section', { id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title`, text: title }),
    h('ul', { class: 'cards' }, residents.map((r) => card(r, villages))));
}

export async function render(view) {
  const residents = await list();
  const villages = new Map(((await db.meta('reference'))?.body?.villages || []).map((v) => [v.kato, v]));
  const title = h('h1', { text: t('followup.title') });
  if (!residents) { show(view, title, h('p', { text: t('followup.not_yet') })); return; }
  const overdue = residents.filter((r) => r.overdue);
  const later = residents.filter((r) => !r.overdue);
  show(view, title,
    h('p', { id: 'followup-as-of', class: 'muted', text: t('followup.as_of', { when: when(await fetchedAt()) }) }),
    residents.length ? null : h('p', { text: t('followup.empty') }),
    overdue.length ? section('followup-overdue', t('followup.overdue_title', { n: overdue.length }), overdue, villages) : null,
    later.length ? section('followup-later', t('followup.later_title', { n: later.length }), later, villages) : null);
}
