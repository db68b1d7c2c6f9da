// Residents: the people met at meetings, found by name or phone, district and stage, a page
// at a time; the doubtful matches below for a coordinator to decide; a resident's own page at
// #/residents/<id>. Every read is audited by the server.
import { h, show } from '../ui.js';
import { api } from './api.js';
import { STAGES, button, dateText, districtName, errorText, labelled, number, placeName, places, programmeText, stageText, t, teamLabel, tenge } from './common.js';
import { candidatesSection, residentName } from './candidates.js';

const PAGE = 50;
const state = { q: '', district: '', stage: '', offset: 0 };

function row(r) {
  return h('tr', { 'data-resident': r.id },
    h('td', {}, h('a', { href: `#/residents/${r.id}`, text: residentName(r) }),
      r.open_candidates ? h('span', { class: 'pill warn', text: ` ${t('con.doubtful_n', { n: r.open_candidates })}` }) : ''),
    h('td', { text: r.phone || '—' }), h('td', { text: r.village ? placeName(r.village) : '—' }),
    h('td', { text: r.district ? districtName(r.district) : '—' }), h('td', { text: (r.teams || []).map(teamLabel).join(', ') || '—' }),
    h('td', {}, h('span', { class: 'pill', text: stageText(r.stage) }), r.dropped ? h('span', { class: 'pill bad', text: ` ${stageText('dropped')}` }) : ''),
    h('td', { text: programmeText(r.programme) }), h('td', { class: 'n', text: r.financed_tenge == null ? '—' : tenge(r.financed_tenge) }),
    h('td', { text: dateText(r.next_contact) }), h('td', { class: 'n', text: number(r.meetings) }));
}

function query() {
  const params = new URLSearchParams({ limit: PAGE, offset: state.offset });
  for (const key of ['q', 'district', 'stage']) if (state[key]) params.set(key, state[key]);
  return `residents?${params}`;
}

async function list(view) {
  const q = h('input', { type: 'search', name: 'q', value: state.q, maxlength: 200 });
  const district = h('select', { name: 'district' }, h('option', { value: '', text: t('con.all') }),
    [...places.districts.values()].map((d) => h('option', { value: d.kato, text: districtName(d.kato), selected: d.kato === state.district })));
  const stage = h('select', { name: 'stage' }, h('option', { value: '', text: t('con.all') }),
    ['new', ...STAGES].map((s) => h('option', { value: s, text: stageText(s), selected: s === state.stage })));
  const body = h('tbody', {});
  const count = h('p', { class: 'muted', role: 'status', id: 'residents-count' });
  const previous = button(t('con.previous'), { class: 'secondary', id: 'residents-previous' });
  const next = button(t('con.next'), { class: 'secondary', id: 'residents-next' });
  const message = h('p', { class: 'error', role: 'alert' });
  let asked = 0;
  const load = async () => {
    const mine = ++asked;
    message.textContent = '';
    let page;
    try { page = await api(query()); } catch (error) { message.textContent = errorText(error); return; }
    if (mine !== asked) return; // an older answer arriving after a newer question
    body.replaceChildren(...page.residents.map(row));
    count.textContent = page.total ? t('con.residents_count', { from: state.offset + 1, to: state.offset + page.residents.length, n: page.total })
      : t('con.no_residents');
    previous.disabled = state.offset === 0;
    next.disabled = state.offset + PAGE >= page.total;
  };
  const refilter = () => { Object.assign(state, { q: q.value.trim(), district: district.value, stage: stage.value, offset: 0 }); load(); };
  let timer;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(refilter, 300); });
  [district, stage].forEach((el) => el.addEventListener('change', refilter));
  previous.addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); load(); });
  next.addEventListener('click', () => { state.offset += PAGE; load(); });
  const form = h('form', { class: 'form-grid panel', role: 'search', onsubmit: (e) => { e.preventDefault(); clearTimeout(timer); refilter(); } },
    labelled('con.f.search_resident', q), labelled('con.f.district', district), labelled('con.col.stage', stage));
  const heads = ['con.col.name', 'con.col.phone', 'con.col.village', 'con.f.district', 'con.col.team', 'con.col.stage',
    'con.col.programme', 'con.col.financed', 'con.col.next_contact', 'con.col.times_met'];
  const doubtful = await candidatesSection(() => list(view));
  show(view, h('h1', { text: t('con.nav.residents') }), h('p', { class: 'muted', text: t('con.residents_intro') }), form, message, count,
    h('div', { class: 'scroll' }, h('table', { id: 'residents' }, h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col', text: t(k) })))), body)),
    h('div', { class: 'actions' }, previous, next), doubtful);
  await load();
}

export async function render(view, id) {
  if (id) {
    const { renderResident } = await import('./resident.js');
    await renderResident(view, Number(id));
    return;
  }
  await list(view);
}
