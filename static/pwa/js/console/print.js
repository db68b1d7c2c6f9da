// Print and announce: a team's day sheet or week (print-ready pages the server makes in
// kk/ru/en), and for each meeting a notice to print and a short message in Kazakh and Russian
// to copy or share with the okrug akimat.
import * as i18n from '../i18n.js';
import { h, show, toast } from '../ui.js';
import { api } from './api.js';
import { button, dateText, labelled, t, teamLabel } from './common.js';

function sheets(id, doc) {
  const teams = [...new Set(doc.days.map((d) => d.team))];
  const team = h('select', { name: 'team' }, teams.map((x) => h('option', { value: x, text: teamLabel(x) })));
  const day = h('select', { name: 'date' });
  const lang = h('select', { name: 'lang' }, ['kk', 'ru', 'en'].map((l) => h('option', { value: l, text: t(`con.lang.${l}`), selected: l === i18n.lang() })));
  const fill = () => day.replaceChildren(...doc.days.filter((d) => d.team === team.value).map((d) => h('option', { value: d.date, text: dateText(d.date) })));
  team.addEventListener('change', fill);
  fill();
  const url = (days) => `/api/v1/plans/${id}/day-sheet?team=${encodeURIComponent(team.value)}&date=${day.value}&lang=${lang.value}&days=${days}`;
  return h('section', { class: 'panel', id: 'sheets' }, h('h2', { text: t('con.day_sheets') }),
    h('div', { class: 'form-grid' }, labelled('con.f.team', team), labelled('con.f.date', day), labelled('con.f.lang', lang)),
    h('div', { class: 'actions' },
      button(t('con.open_day'), { id: 'open-day', onclick: () => window.open(url(1), '_blank') }),
      button(t('con.open_week'), { id: 'open-week', class: 'secondary', onclick: () => window.open(url(7), '_blank') })));
}

async function copy(text) {
  try { await navigator.clipboard.writeText(text); toast(t('con.copied')); } catch { toast(t('con.copy_failed')); }
}

function announcement(id, kk, ru) {
  const box = (lang, a) => {
    const area = h('textarea', { readonly: true, rows: 5, name: `text-${lang}`, 'aria-label': `${t('con.message')} (${t(`con.lang.${lang}`)})` });
    area.value = a.text;
    return h('div', {}, h('strong', { text: t(`con.lang.${lang}`) }), area,
      h('div', { class: 'actions' }, button(t('con.copy'), { class: 'secondary', onclick: () => copy(a.text) }),
        navigator.share ? button(t('con.share'), { class: 'secondary', onclick: () => navigator.share({ text: a.text }).catch(() => {}) }) : null,
        h('a', { class: 'button secondary', target: '_blank', href: `/api/v1/plans/${id}/notice?meeting=${encodeURIComponent(a.meeting_id)}&lang=${lang}`, text: t('con.notice') })));
  };
  return h('article', { class: 'card', 'data-meeting': kk.meeting_id },
    h('h3', { text: `${dateText(kk.date)} ${kk.start} · ${kk.hub_name} · ${teamLabel(kk.team)}` }),
    h('p', { class: 'muted', text: kk.villages.map((v) => v.name).join(', ') }),
    h('div', { class: 'grid2' }, box('kk', kk), box('ru', ru)));
}

export async function render(view, id) {
  const [{ summary, document: doc }, kk, ru] = await Promise.all([api(`plans/${id}`), api(`plans/${id}/announcements?lang=kk`),
    api(`plans/${id}/announcements?lang=ru`)]);
  const byId = new Map(ru.map((a) => [a.meeting_id, a]));
  const from = h('input', { type: 'date', name: 'from', value: doc.spec.start });
  const list = h('div', { id: 'announcements' });
  const draw = () => list.replaceChildren(...kk.filter((a) => a.date >= from.value).slice(0, 30).map((a) => announcement(id, a, byId.get(a.meeting_id) || a)));
  from.addEventListener('change', draw);
  show(view, h('h1', { text: `${t('con.print')} · ${summary.campaign} · ${t('con.version_n', { n: summary.id })}` }),
    h('p', {}, h('a', { href: `#/plan/${id}`, text: t('con.back_to', { n: id }) })),
    sheets(id, doc),
    h('section', { class: 'panel' }, h('h2', { text: t('con.announcements') }), h('p', { class: 'muted', text: t('con.announcements_hint') }),
      labelled('con.f.from', from), list));
  draw();
}
