// Two campaigns or two seasons (calendar years) side by side: villages, okrugs, meetings,
// residents and the funnel, within the district or okrug the dashboard is drilled into.
import { t } from '../i18n.js';
import { field, h } from '../ui.js';
import { money, num, of, pct } from './format.js';

const kept = new Map(); // coverage already fetched, by query, for the data version below
let keptVersion = null;

// The choices: every published campaign ("c:3"), then the seasons ("y:2026").
export function choices(campaigns, year) {
  const years = new Set([year, year - 1]);
  for (const c of campaigns) years.add(Number(c.start.slice(0, 4))).add(Number(c.end.slice(0, 4)));
  return [...campaigns.map((c) => [`c:${c.id}`, c.name]),
    ...[...years].sort((a, b) => b - a).map((y) => [`y:${y}`, t('dash.season', { year: y })])];
}

// What to compare first: the current campaign and the one before it; else this year and last.
export function defaults(campaigns, current, year) {
  const at = campaigns.findIndex((c) => c.id === current);
  if (campaigns.length >= 2 && at >= 0) {
    const other = campaigns[at > 0 ? at - 1 : at + 1];
    return [`c:${current}`, `c:${other.id}`];
  }
  return [`y:${year}`, `y:${year - 1}`];
}

function params(choice, drill) {
  const [kind, value] = choice.split(':');
  const q = new URLSearchParams(kind === 'c' ? { campaign: value } : { from: `${value}-01-01`, to: `${value}-12-31` });
  for (const [k, v] of Object.entries(drill)) if (v) q.set(k, v);
  return `?${q}`;
}

const ROWS = [
  ['dash.villages_reached', (d) => of(d.headline.villages_reached, d.headline.villages_in_scope)],
  ['dash.okrugs_reached', (d) => of(d.okrugs.filter((o) => o.villages_reached).length, d.okrugs.length)],
  ['dash.meetings', (d) => of(d.headline.meetings_held, d.headline.meetings_planned)],
  ['dash.residents_met', (d) => num(d.headline.residents_reached)],
  ['dash.compare_known', (d) => `${pct(d.headline.residents_reached_share)} (${num(d.headline.villages_population_known)})`],
  ...['interested', 'contacted', 'referred', 'trained', 'defended', 'financed'].map((s) => [`stage.${s}`, (d) => num(d.funnel[s])]),
  ['dash.requested_tenge', (d) => money(d.funnel.requested_tenge)],
  ['dash.financed_tenge', (d) => money(d.funnel.financed_tenge)],
];

export function comparePanel({ campaigns, current, year, picked, drill, version, api, onPick }) {
  const options = choices(campaigns, year);
  const [a, b] = picked || defaults(campaigns, current, year);
  const pick = (name, value) => h('select', { name }, options.map(([key, label]) => h('option', { value: key, text: label, selected: key === value })));
  const left = pick('compare-a', a);
  const right = pick('compare-b', b);
  const body = h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'compare-h' },
    h('p', { class: 'muted', text: t('dash.loading') }));
  if (version !== keptVersion) { kept.clear(); keptVersion = version; } // new records: all stale
  const load = async () => {
    const fetched = await Promise.all([left.value, right.value].map(async (choice) => {
      const path = `coverage${params(choice, drill)}`;
      if (!kept.has(path)) kept.set(path, await api(path));
      return kept.get(path);
    }));
    const label = (select) => select.selectedOptions[0]?.textContent || '';
    body.replaceChildren(h('table', { id: 'compare-table' },
      h('tr', {}, h('th', { scope: 'col', text: t('dash.figure') }), h('th', { scope: 'col', class: 'n', text: label(left) }),
        h('th', { scope: 'col', class: 'n', text: label(right) })),
      ROWS.map(([key, value]) => h('tr', {}, h('th', { scope: 'row', text: t(key) }),
        fetched.map((d) => h('td', { class: 'n', text: value(d) }))))));
  };
  for (const select of [left, right]) {
    select.addEventListener('change', () => { onPick([left.value, right.value]); load().catch(() => {}); });
  }
  load().catch(() => body.replaceChildren(h('p', { class: 'error', text: t('dash.load_failed') })));
  return h('section', { class: 'panel wide', id: 'compare' }, h('h2', { id: 'compare-h', text: t('dash.compare') }),
    h('div', { class: 'row' }, field('dash.compare_a', left), field('dash.compare_b', right)), body,
    h('p', { class: 'muted', text: t('dash.compare_note') }));
}
