// Season planning: the campaign form, the planner's stages while it works, and the versions
// already made, with who made them.
import { h, show } from '../ui.js';
import { api, stream } from './api.js';
import { districtName, errorText, labelled, number, places, t, whenText } from './common.js';
import { lodgingsField } from './lodgings.js';

const STAGES = ['loading', 'grouping', 'distances', 'routing', 'saving'];

function versions(list) {
  if (!list.length) return h('p', { class: 'muted', text: t('con.no_plans') });
  return h('div', { class: 'scroll' }, h('table', {},
    h('caption', { class: 'muted', text: t('con.versions_caption') }),
    h('thead', {}, h('tr', {}, ['con.col.version', 'con.col.campaign', 'con.col.status', 'con.col.made_by',
      'con.col.made_at', 'con.col.meetings', 'con.col.road_km'].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', {}, list.map((p) => h('tr', {},
      h('td', {}, h('a', { href: `#/plan/${p.id}`, text: t('con.version_n', { n: p.id }) })),
      h('td', { text: p.campaign }), h('td', {}, h('span', { class: `pill ${p.status === 'published' ? '' : 'warn'}`, text: t(`con.status.${p.status}`) })),
      h('td', { text: p.created_by || '—' }), h('td', { text: whenText(p.created_at) }),
      h('td', { class: 'n', text: `${p.meetings_placed} / ${p.meetings}` }), h('td', { class: 'n', text: number(p.road_km) }))))));
}

// Shows the planner's stages as the server streams them; returns the final line.
export async function planWithProgress(box, path, body) {
  const list = h('ol', { class: 'stages' }, STAGES.map((s) => h('li', { 'data-stage': s, text: t(`con.stage.${s}`) })));
  const bar = h('progress', { max: STAGES.length, value: 0, 'aria-label': t('con.progress') });
  const clock = h('p', { class: 'muted', 'aria-live': 'off' });
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  show(box, h('h2', { text: t('con.planning') }), bar, status, list, clock);
  const began = performance.now();
  const timer = setInterval(() => { clock.textContent = t('con.elapsed', { s: Math.round((performance.now() - began) / 1000) }); }, 500);
  try {
    return await stream(path, body, (line) => {
      const at = STAGES.indexOf(line.stage);
      if (at < 0) return;
      // a long stage says how far it is (done of total); else a stage begun is a fifth done
      bar.value = at + (line.total ? 0.9 * (line.done / line.total) : line.stage === 'routing' && line.time_limit_s ? 0.5 : 0.2);
      list.querySelectorAll('li').forEach((li, i) => { li.className = i < at ? 'done' : i === at ? 'current' : ''; });
      const extra = line.villages ? t('con.stage_villages', { n: line.villages })
        : line.meetings ? t('con.stage_meetings', { n: line.meetings }) : '';
      if (line.villages || line.meetings || !status.textContent) status.textContent = `${t(`con.stage.${line.stage}`)} ${extra}`.trim();
    });
  } finally { clearInterval(timer); }
}

function form(box) {
  const name = h('input', { name: 'name', required: true, maxlength: 200, value: t('con.default_campaign') });
  const today = new Date();
  const start = h('input', { name: 'start', type: 'date', required: true, value: `${today.getFullYear() + 1}-03-01` });
  const end = h('input', { name: 'end', type: 'date', required: true, value: `${today.getFullYear() + 1}-05-28` });
  const teams = h('input', { name: 'teams', type: 'number', min: 1, max: 50, value: 3, required: true });
  const radius = h('input', { name: 'radius', type: 'number', min: 1, max: 200, step: 1, value: 15, required: true });
  const dayCost = h('input', { name: 'day_cost_km', type: 'number', min: 0, max: 5000, step: 10, value: 150, required: true });
  const dayStart = h('input', { name: 'day_start', type: 'time', value: '09:00', required: true });
  const dayEnd = h('input', { name: 'day_end', type: 'time', value: '18:00', required: true });
  const whole = h('input', { type: 'checkbox', name: 'whole', checked: true });
  const boxes = [...places.districts.values()].map((d) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'district', value: d.kato, disabled: true }), districtName(d.kato)));
  whole.addEventListener('change', () => boxes.forEach((b) => { b.querySelector('input').disabled = whole.checked; }));
  const message = h('p', { class: 'error', role: 'alert' });
  const lodgings = lodgingsField((text) => { message.textContent = text; });
  const el = h('form', { class: 'panel', novalidate: true },
    h('h2', { text: t('con.new_season') }),
    h('div', { class: 'form-grid' }, labelled('con.f.name', name), labelled('con.f.start', start), labelled('con.f.end', end),
      labelled('con.f.teams', teams), labelled('con.f.radius', radius, t('con.f.radius_hint')),
      labelled('con.f.day_cost', dayCost, t('con.f.day_cost_hint')), labelled('con.f.day_start', dayStart),
      labelled('con.f.day_end', dayEnd, t('con.f.day_end_hint'))),
    h('fieldset', {}, h('legend', { text: t('con.f.districts') }), h('label', { class: 'check' }, whole, t('con.f.whole_region')),
      h('div', { class: 'checks' }, boxes)),
    lodgings.el, message, h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('con.make_plan') })));
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    const districts = whole.checked ? [] : boxes.map((b) => b.querySelector('input')).filter((c) => c.checked).map((c) => c.value);
    if (!whole.checked && !districts.length) { message.textContent = t('con.f.pick_district'); return; }
    if (!start.value || !end.value || end.value < start.value) { message.textContent = t('con.f.bad_dates'); end.focus(); return; }
    const cost = Number(dayCost.value);
    if (dayCost.value === '' || !(cost >= 0 && cost <= 5000)) { message.textContent = t('con.f.bad_day_cost'); dayCost.focus(); return; }
    // "HH:MM" (a browser may add seconds): times of one day compare as text
    const [from, to] = [dayStart.value.slice(0, 5), dayEnd.value.slice(0, 5)];
    if (!from || !to || to <= from) { message.textContent = t('con.f.bad_day'); dayEnd.focus(); return; }
    const body = { name: name.value.trim() || t('con.default_campaign'), start: start.value, end: end.value,
      teams: Number(teams.value), districts, day_cost_km: cost, day_start: from, day_end: to,
      policy: { max_gathering_km: Number(radius.value) } };
    if (lodgings.value() !== null) body.lodgings = lodgings.value();
    const button = el.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const done = await planWithProgress(box, 'plans/stream', body);
      location.hash = `#/plan/${done.plan.id}`;
    } catch (error) {
      show(box, h('p', { class: 'error', role: 'alert', text: errorText(error) }));
    } finally { button.disabled = false; }
  });
  return el;
}

export async function render(view) {
  const list = await api('plans');
  const progress = h('div', { class: 'panel', id: 'progress', 'aria-live': 'polite' });
  progress.hidden = true;
  const f = form(progress);
  f.addEventListener('submit', () => { progress.hidden = false; }, { capture: true });
  show(view, h('h1', { text: t('con.nav.season') }), f, progress,
    h('section', { class: 'panel' }, h('h2', { text: t('con.versions') }), versions(list)));
}
