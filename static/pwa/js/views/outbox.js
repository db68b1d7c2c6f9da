// Outbox and sync status: what waits, when the last sync worked, what failed and why, what
// the server refused; storage kept on the phone.
import * as db from '../db.js';
import { codeText, name, t } from '../i18n.js';
import { attention, discard, pendingPhotos, status, syncNow } from '../sync.js';
import { h, localToday, longDate, when, show, toast } from '../ui.js';

// A record waiting: its kind (or its deletion), date and place, as the phone holds it now.
function summary(entry, villages, record) {
  const data = record?.data || entry.set || {};
  const hub = villages.get(data.hub);
  const what = entry.op === 'delete' ? t('outbox.delete') : t(`kind.${entry.kind}`);
  return [what, data.date || data.on, hub ? name(hub.names) : null].filter(Boolean).join(' · ');
}

// "All sent" only when nothing waits (records or photos) and nothing was refused.
export function describe(s) {
  if (s.state === 'not_enrolled') return t('status.not_enrolled');
  if (s.state === 'refused') return t('status.refused');
  const parts = [s.clock_off_ms ? t('status.clock_off', { date: longDate(localToday(new Date(Date.now() + s.clock_off_ms))) }) : null,
    s.attention ? t('status.attention', { n: s.attention }) : null,
    s.state === 'syncing' ? t('status.syncing') : null,
    s.pending && s.state !== 'syncing' ? t('status.waiting', { n: s.pending }) : null,
    s.photos && s.state !== 'syncing' ? t('status.photos_waiting', { n: s.photos }) : null].filter(Boolean);
  if (parts.length) return parts.join(' · ');
  if (s.last_success) return t('status.all_sent');
  return t('status.never_synced');
}

function attentionItem(entry, record, villages) {
  const data = record?.data || {};
  const hub = villages.get(data.hub);
  const what = [t(`kind.${entry.kind}`), data.date || data.on, hub ? name(hub.names) : null].filter(Boolean).join(' · ');
  const fix = { meeting: `#/meeting/${entry.record_id}`, followup: `#/followup/${encodeURIComponent(entry.record_id)}` }[entry.kind];
  const remove = h('button', { type: 'button', class: 'danger', text: t('outbox.discard'), onclick: async () => {
    if (!confirm(t('outbox.discard_confirm'))) return;
    await discard(entry.record_id);
  } });
  return h('li', { class: 'card attention', 'data-record': entry.record_id },
    h('strong', { text: what }), h('p', { class: 'error', text: codeText(entry.reason, entry.message) }),
    h('div', { class: 'actions' }, fix && record ? h('a', { class: 'button', href: fix, text: t('outbox.fix') }) : null, remove));
}

export async function render(view) {
  const s = await status();
  // one line per record: three saved edits of one meeting are one record waiting
  const pending = [...new Map((await db.all('outbox')).map((m) => [m.record_id, m])).values()];
  const villages = new Map(((await db.meta('reference'))?.body?.villages || []).map((v) => [v.kato, v]));
  const refused = await attention();
  const photos = await pendingPhotos();
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : null;
  const persisted = navigator.storage?.persisted ? await navigator.storage.persisted() : false;
  const button = h('button', { type: 'button', text: t('outbox.sync_now'), onclick: async () => {
    button.disabled = true;
    if (await syncNow('button') === 'busy') toast(t('outbox.already_syncing'));
    button.disabled = false;
  } });
  show(view, 
    h('h1', { text: t('outbox.title') }),
    h('p', { id: 'sync-summary', class: s.pending || photos || s.last_error || refused.length ? 'error' : 'ok',
      text: describe({ ...s, pending: pending.length, attention: refused.length, photos }) }),
    refused.length ? h('section', { id: 'attention', 'aria-labelledby': 'attention-title' },
      h('h2', { id: 'attention-title', text: t('outbox.attention', { n: refused.length }) }),
      h('p', { class: 'muted', text: t('outbox.attention_hint') }),
      h('ul', { class: 'cards' }, await Promise.all(refused.map(async (entry) => attentionItem(entry, await db.get('records', entry.record_id), villages))))) : null,
    h('dl', {},
      h('dt', { text: t('outbox.pending') }), h('dd', { id: 'pending', text: String(pending.length) }),
      h('dt', { text: t('outbox.photos') }), h('dd', { text: String(photos) }),
      h('dt', { text: t('outbox.last_success') }), h('dd', { id: 'last-success', text: when(s.last_success) }),
      s.last_error ? [h('dt', { text: t('outbox.last_error') }), h('dd', { id: 'last-error',
        text: `${when(s.last_error.at)}: ${codeText(s.last_error.code, s.last_error.message)}` })] : null,
      s.retry_at && s.state === 'waiting' ? [h('dt', { text: t('outbox.retry') }), h('dd', { text: when(new Date(s.retry_at).toISOString()) })] : null,
      h('dt', { text: t('outbox.storage') }), h('dd', { text: estimate ? t('outbox.storage_use', { mb: (estimate.usage / 1e6).toFixed(1) }) : '—' }),
      h('dt', { text: t('outbox.persisted') }), h('dd', { id: 'persisted', text: persisted ? t('outbox.persisted_yes') : t('outbox.persisted_no') })),
    h('div', { class: 'actions' }, button),
    pending.length ? h('h2', { text: t('outbox.waiting_list') }) : null,
    h('ul', {}, await Promise.all(pending.map(async (entry) => h('li', { text: summary(entry, villages, await db.get('records', entry.record_id)) })))),
  );
}
