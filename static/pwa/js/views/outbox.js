// Outbox and sync status: what waits, when the last sync worked, what failed and why, what
// the server refused; storage kept on the phone.
import * as db from '../db.js';
import { name, t } from '../i18n.js';
import { pendingPhotos, status, syncNow } from '../sync.js';
import { h, when, show } from '../ui.js';

function summary(entry, villages) {
  const hub = villages.get(entry.set?.hub);
  const what = entry.op === 'delete' ? t('outbox.delete') : t(`kind.${entry.kind}`);
  return [what, entry.set?.date, hub ? name(hub.names) : null].filter(Boolean).join(' · ');
}

export function describe(s) {
  if (s.state === 'not_enrolled') return t('status.not_enrolled');
  if (s.state === 'refused') return t('status.refused');
  if (s.state === 'syncing') return t('status.syncing');
  if (s.pending) return t('status.waiting', { n: s.pending });
  if (s.last_success) return t('status.all_sent');
  return t('status.never_synced');
}

export async function render(view) {
  const s = await status();
  const pending = await db.all('outbox');
  const villages = new Map(((await db.meta('reference'))?.body?.villages || []).map((v) => [v.kato, v]));
  const rejected = await db.meta('rejected', []);
  const photos = await pendingPhotos();
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : null;
  const persisted = navigator.storage?.persisted ? await navigator.storage.persisted() : false;
  const button = h('button', { type: 'button', text: t('outbox.sync_now'), onclick: async () => {
    button.disabled = true;
    await syncNow('button');
    button.disabled = false;
  } });
  show(view, 
    h('h1', { text: t('outbox.title') }),
    h('p', { id: 'sync-summary', class: s.pending || s.last_error ? 'error' : 'ok', text: describe({ ...s, pending: pending.length }) }),
    h('dl', {},
      h('dt', { text: t('outbox.pending') }), h('dd', { id: 'pending', text: String(pending.length) }),
      h('dt', { text: t('outbox.photos') }), h('dd', { text: String(photos) }),
      h('dt', { text: t('outbox.last_success') }), h('dd', { id: 'last-success', text: when(s.last_success) }),
      s.last_error ? [h('dt', { text: t('outbox.last_error') }), h('dd', { id: 'last-error',
        text: `${when(s.last_error.at)}: ${t(`errcode.${s.last_error.code}`) === `errcode.${s.last_error.code}` ? s.last_error.message : t(`errcode.${s.last_error.code}`)}` })] : null,
      s.retry_at && s.state === 'waiting' ? [h('dt', { text: t('outbox.retry') }), h('dd', { text: when(new Date(s.retry_at).toISOString()) })] : null,
      h('dt', { text: t('outbox.storage') }), h('dd', { text: estimate ? t('outbox.storage_use', { mb: (estimate.usage / 1e6).toFixed(1) }) : '—' }),
      h('dt', { text: t('outbox.persisted') }), h('dd', { id: 'persisted', text: persisted ? t('outbox.persisted_yes') : t('outbox.persisted_no') })),
    h('div', { class: 'actions' }, button),
    pending.length ? h('h2', { text: t('outbox.waiting_list') }) : null,
    h('ul', {}, pending.map((entry) => h('li', { text: summary(entry, villages) }))),
    rejected.length ? h('h2', { text: t('outbox.rejected') }) : null,
    h('ul', {}, rejected.map((r) => h('li', { class: 'error', text: `${when(r.at)} · ${t(`kind.${r.kind}`)}: ${r.message}` }))),
  );
}
