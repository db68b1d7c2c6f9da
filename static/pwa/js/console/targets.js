// Targets: for one campaign, what each district should reach (villages, residents met, people
// trained, projects financed, tenge financed); the dashboard shows actuals against them.
import { h, show, toast } from '../ui.js';
import { api } from './api.js';
import { districtName, errorText, labelled, moneyInput, moneyValue, places, t, tenge } from './common.js';

const COUNTS = ['villages', 'residents', 'trained', 'financed'];
const state = { campaign: '' };

function row(campaign, district, target) {
  const label = (key) => `${districtName(district)}: ${t(`con.target.${key}`)}`;
  const inputs = Object.fromEntries(COUNTS.map((k) => [k, h('input', { type: 'number', name: k, min: 0, step: 1, inputmode: 'numeric',
    value: target?.[k] ?? '', 'aria-label': label(k) })]));
  inputs.financed_tenge = moneyInput('financed_tenge', target?.financed_tenge, { 'aria-label': `${label('financed_tenge')} (${t('con.tenge_unit')})` });
  const shown = h('span', { class: 'muted', text: target?.financed_tenge == null ? '' : tenge(target.financed_tenge) });
  const status = h('span', { role: 'status', class: 'muted' });
  const save = h('button', { type: 'button', class: 'secondary', 'data-action': 'save', text: t('con.save'), 'aria-label': `${t('con.save')}: ${districtName(district)}` });
  save.addEventListener('click', async () => {
    const body = { campaign, district };
    for (const k of COUNTS) {
      const value = inputs[k].value.trim();
      if (value !== '' && !/^\d+$/.test(value)) { status.textContent = t('con.target_whole', { what: t(`con.target.${k}`) }); inputs[k].focus(); return; }
      body[k] = value === '' ? null : Number(value);
    }
    body.financed_tenge = moneyValue(inputs.financed_tenge);
    if (body.financed_tenge === undefined) {
      status.textContent = t('con.target_whole', { what: t('con.target.financed_tenge') });
      inputs.financed_tenge.focus();
      return;
    }
    save.disabled = true;
    status.textContent = '';
    try {
      const saved = await api('targets', { method: 'PUT', json: body });
      shown.textContent = saved.financed_tenge == null ? '' : tenge(saved.financed_tenge);
      status.textContent = t('con.saved');
      toast(t('con.target_saved', { district: districtName(district) }));
    } catch (error) { status.textContent = errorText(error); } finally { save.disabled = false; }
  });
  return h('tr', { 'data-district': district }, h('th', { scope: 'row', text: districtName(district) }),
    COUNTS.map((k) => h('td', {}, inputs[k])), h('td', {}, inputs.financed_tenge, shown), h('td', {}, save, ' ', status));
}

export async function render(view) {
  const plans = await api('plans');
  const campaigns = [...new Set(plans.map((p) => p.campaign))];
  if (!campaigns.includes(state.campaign)) state.campaign = campaigns[0] || '';
  const pick = h('select', { name: 'campaign' }, campaigns.map((c) => h('option', { value: c, text: c, selected: c === state.campaign })));
  const box = h('div', { id: 'targets-box' });
  const draw = async () => {
    state.campaign = pick.value;
    if (!state.campaign) { box.replaceChildren(h('p', { class: 'muted', text: t('con.no_campaigns') })); return; }
    const targets = await api(`targets?campaign=${encodeURIComponent(state.campaign)}`);
    const by = new Map(targets.map((x) => [x.district, x]));
    const districts = [...places.districts.keys()].sort((a, b) => districtName(a).localeCompare(districtName(b)));
    box.replaceChildren(h('div', { class: 'scroll' }, h('table', { id: 'targets' },
      h('caption', { class: 'muted', text: t('con.targets_caption', { campaign: state.campaign }) }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('con.f.district') }),
        [...COUNTS, 'financed_tenge'].map((k) => h('th', { scope: 'col', text: t(`con.target.${k}`) })), h('th', { scope: 'col', text: t('con.col.actions') }))),
      h('tbody', {}, districts.map((d) => row(state.campaign, d, by.get(d)))))));
  };
  pick.addEventListener('change', () => draw().catch((error) => box.replaceChildren(h('p', { class: 'error', role: 'alert', text: errorText(error) }))));
  show(view, h('h1', { text: t('con.nav.targets') }), h('p', { class: 'muted', text: t('con.targets_intro') }),
    h('div', { class: 'form-grid panel' }, labelled('con.f.campaign', pick)), box);
  await draw();
}
