// The sync review queue: values one phone overwrote although another phone had changed them
// later, and mutations the server parked. Each with its record's context; resolved by keeping
// or restoring, with a comment that is kept.
import { h, show, toast } from '../ui.js';
import { api } from './api.js';
import { action, button, dateText, placeName, t, teamLabel, whenText } from './common.js';

function context(c) {
  if (!c) return h('p', { class: 'muted', text: t('con.no_context') });
  const villages = (c.villages || []).map(placeName).join(', ');
  return h('p', {}, [t(`con.kind.${c.kind}`) === `con.kind.${c.kind}` ? c.kind : t(`con.kind.${c.kind}`), c.date ? dateText(c.date) : null,
    c.team ? teamLabel(c.team) : null, c.hub ? placeName(c.hub) : null].filter(Boolean).join(' · '),
  villages ? h('span', { class: 'muted', text: ` (${villages})` }) : '');
}

const shown = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

function item(kind, entry, reload) {
  const comment = h('textarea', { name: 'comment', maxlength: 1000, rows: 2, 'aria-label': t('con.comment') });
  const resolve = (choice) => action(button(t(`con.resolve.${choice}`), { class: choice === 'restore' ? '' : 'secondary', 'data-action': choice }), async () => {
    await api(`sync/review/${kind}/${entry.id}/resolve`, { method: 'POST', json: { action: choice, comment: comment.value.trim() || null } });
    toast(t('con.resolved'));
    await reload();
  });
  return h('article', { class: 'card', 'data-item': `${kind}-${entry.id}` },
    h('h3', { text: kind === 'overwrites' ? t('con.overwrite_title', { field: entry.field }) : t('con.parked_title', { reason: entry.reason }) }),
    context(entry.context),
    kind === 'overwrites'
      ? h('p', {}, t('con.overwrite_text', { writer: entry.writer, by: entry.by_writer, at: whenText(entry.at) }), h('br'),
        h('span', { text: `${t('con.old_value')}: ` }), h('code', { text: shown(entry.value) }))
      : h('p', {}, t('con.parked_text', { login: entry.login, device: entry.device, at: whenText(entry.at) }), h('br'), h('code', { text: entry.message })),
    h('label', { text: t('con.comment') }), comment,
    h('div', { class: 'actions' }, resolve('keep'), kind === 'overwrites' ? resolve('restore') : null));
}

export async function render(view) {
  const reload = () => render(view);
  const [queue, resolved] = await Promise.all([api('sync/review?limit=200'), api('sync/review/resolved?limit=50').catch(() => [])]);
  const open = queue.open_overwrites + queue.open_parked;
  // the oldest of each list are shown, at most 200: the rest come as these are decided
  const more = (shown, all) => (shown < all ? h('p', { class: 'muted', 'data-more': 'true', text: t('con.review_shown', { n: shown, all }) }) : null);
  show(view, h('h1', { text: t('con.nav.review') }),
    h('p', { role: 'status', text: open ? t('con.review_open', { n: open }) : t('con.review_empty') }),
    h('section', { id: 'overwrites' }, h('h2', { text: t('con.overwrites', { n: queue.open_overwrites }) }),
      more(queue.overwrites.length, queue.open_overwrites), queue.overwrites.map((e) => item('overwrites', e, reload))),
    h('section', { id: 'parked' }, h('h2', { text: t('con.parked', { n: queue.open_parked }) }),
      more(queue.parked.length, queue.open_parked), queue.parked.map((e) => item('parked', e, reload))),
    h('section', { class: 'panel', id: 'resolved' }, h('h2', { text: t('con.resolved_list') }),
      resolved.length ? h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, h('tr', {}, ['con.col.at', 'con.col.actor', 'con.col.action', 'con.col.object', 'con.comment'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, resolved.map((r) => h('tr', {}, h('td', { text: whenText(r.resolved_at) }), h('td', { text: r.resolved_by }),
          h('td', { text: t(`con.resolve.${r.action}`) }), h('td', { text: `${r.list} #${r.id}` }), h('td', { text: r.comment || '' })))))) : h('p', { class: 'muted', text: t('con.none') })));
}
