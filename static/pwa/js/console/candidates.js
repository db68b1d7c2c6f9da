// Doubtful matches: two residents who may be one person, side by side with why the server
// doubts, for a coordinator to decide. Nothing is merged until the coordinator clicks "merge".
import { h, toast } from '../ui.js';
import { api } from './api.js';
import { action, button, dateText, districtName, moreBelow, placeName, programmeText, stageText, t, teamLabel } from './common.js';

export const residentName = (r) => (r.erased || !r.name ? t('con.erased_resident', { id: r.id }) : r.name);

export function reasonOf(reason) {
  const key = `con.match_reason.${reason}`;
  return t(key) === key ? reason : t(key);
}

// One resident as a card: enough to tell two people apart.
export function residentCard(r) {
  const rows = [
    ['con.col.phone', r.phone || '—'], ['con.col.village', r.village ? placeName(r.village) : '—'],
    ['con.f.district', r.district ? districtName(r.district) : '—'], ['con.col.team', (r.teams || []).map(teamLabel).join(', ') || '—'],
    ['con.col.stage', stageText(r.stage)], ['con.col.programme', programmeText(r.programme)],
    ['con.col.times_met', String(r.meetings ?? 0)], ['con.col.last_contact', dateText(r.last_contact)],
  ];
  return h('article', { class: 'card', 'data-resident': r.id },
    h('h3', {}, h('a', { href: `#/residents/${r.id}`, text: residentName(r) })),
    h('dl', {}, rows.flatMap(([k, v]) => [h('dt', { text: t(k) }), h('dd', { text: v })])));
}

// The two decisions on a doubtful pair: `into` keeps its id, `other` goes into it.
export function decisions(candidate, into, other, done) {
  const label = `${residentName(into)} · ${residentName(other)}`;
  return h('div', { class: 'actions' },
    action(button(t('con.same_person'), { 'data-action': 'merge', 'aria-label': `${t('con.same_person')}: ${label}` }), async () => {
      await api('residents/merge', { method: 'POST', json: { into: into.id, other: other.id } });
      toast(t('con.merged'));
      await done(into.id);
    }),
    action(button(t('con.different_people'), { class: 'secondary', 'data-action': 'apart', 'aria-label': `${t('con.different_people')}: ${label}` }), async () => {
      await api(`residents/candidates/${candidate.id}/apart`, { method: 'POST' });
      toast(t('con.kept_apart'));
      await done(null);
    }));
}

const PAGE = 50;

function pairOf(pair, done) {
  return h('div', { class: 'pair', 'data-candidate': pair.id },
    h('p', {}, h('strong', { text: `${t('con.why')}: ` }), reasonOf(pair.reason)),
    h('div', { class: 'grid-pair' }, residentCard(pair.a), residentCard(pair.b)),
    decisions(pair, pair.a, pair.b, done));
}

// The oldest doubtful pairs, a page at a time: at the scale of a region there are thousands.
export async function candidatesSection(done) {
  const first = await api(`residents/candidates?limit=${PAGE}`);
  const pairs = h('div', { class: 'pairs' }, first.candidates.map((pair) => pairOf(pair, done)));
  let last = first.candidates.at(-1)?.id ?? 0;
  const below = moreBelow('candidates', {
    count: first.candidates.length, total: first.total, shownKey: 'con.candidates_shown', moreKey: 'con.candidates_more',
    next: async () => {
      const page = await api(`residents/candidates?limit=${PAGE}&after=${last}`);
      page.candidates.forEach((pair) => pairs.append(pairOf(pair, done)));
      last = page.candidates.at(-1)?.id ?? last;
      return { added: page.candidates.length, total: page.total };
    },
  });
  return h('section', { class: 'panel', id: 'candidates', 'aria-labelledby': 'candidates-title' },
    h('h2', { id: 'candidates-title', text: t('con.candidates', { n: first.total }) }),
    h('p', { class: 'muted', text: t('con.candidates_hint') }),
    first.total ? [pairs, ...below] : h('p', { class: 'muted', text: t('con.none') }));
}
