// Where a resident has got to, as a coordinator records it: a stage (or only the next contact
// date), with the amount when a project was defended or financed, the funding source when
// financed, and the reason when the resident dropped out.
import { h, localToday, toast } from '../ui.js';
import { api } from './api.js';
import { PROGRAMMES, STAGES, dateText, errorText, labelled, moneyInput, moneyValue, programmeText, stageText, t } from './common.js';


export function stageForm(resident, done) {
  const stage = h('select', { name: 'stage' }, h('option', { value: '', text: t('con.stage_unchanged') }),
    STAGES.map((s) => h('option', { value: s, text: stageText(s) })));
  // as the server takes it: from 2000 (the programmes' era) to tomorrow, never in the future
  const latest = (() => { const d = new Date(`${localToday()}T00:00Z`); d.setUTCDate(d.getUTCDate() + 1); return d.toISOString().slice(0, 10); })();
  const on = h('input', { type: 'date', name: 'on', value: localToday(), required: true, min: '2000-01-01', max: latest });
  const amount = moneyInput('amount_tenge');
  const source = h('input', { name: 'funding_source', maxlength: 200, list: 'funding-sources' });
  const reason = h('input', { name: 'reason', maxlength: 500 });
  const programme = h('select', { name: 'programme' }, h('option', { value: '', text: '—' }),
    PROGRAMMES.map((p) => h('option', { value: p, text: programmeText(p), selected: p === resident.programme })));
  const next = h('input', { type: 'date', name: 'next_contact' });
  const note = h('textarea', { name: 'note', maxlength: 2000, rows: 2 });
  const amountField = labelled('con.f.amount_tenge', amount, t('con.amount_hint'));
  const sourceField = labelled('con.f.funding_source', source, t('con.funding_source_hint'));
  const reasonField = labelled('con.f.reason', reason);
  const message = h('p', { class: 'error', role: 'alert' });
  const fit = () => {
    amountField.hidden = !['defended', 'financed'].includes(stage.value);
    sourceField.hidden = stage.value !== 'financed';
    reasonField.hidden = stage.value !== 'dropped';
  };
  stage.addEventListener('change', fit);
  fit();
  const form = h('form', { class: 'panel', id: 'stage-form', novalidate: true },
    h('h2', { text: t('con.set_stage') }),
    h('div', { class: 'form-grid' }, labelled('con.col.stage', stage), labelled('con.f.on', on), amountField, sourceField, reasonField,
      labelled('con.col.programme', programme), labelled('con.col.next_contact', next)),
    labelled('con.f.note', note),
    h('datalist', { id: 'funding-sources' }, ['con.source_fund.investment_centre', 'con.source_fund.agri_fund', 'con.source_fund.bank'].map((k) => h('option', { value: t(k) }))),
    message, h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('con.save') })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    if (!stage.value && !next.value && !note.value.trim()) { message.textContent = t('con.stage_nothing'); stage.focus(); return; }
    if (!on.value) { message.textContent = t('con.stage_needs_date'); on.focus(); return; }
    if (on.value < on.min || on.value > on.max) {
      message.textContent = t('con.stage_date_range', { from: dateText(on.min), to: dateText(on.max) }); on.focus(); return;
    }
    if (stage.value === 'dropped' && !reason.value.trim()) { message.textContent = t('con.stage_needs_reason'); reason.focus(); return; }
    const money = ['defended', 'financed'].includes(stage.value) ? moneyValue(amount) : null;
    if (money === undefined) { message.textContent = t('con.target_whole', { what: t('con.f.amount_tenge') }); amount.focus(); return; }
    const body = { stage: stage.value || null, on: on.value, amount_tenge: money,
      funding_source: stage.value === 'financed' ? source.value.trim() || null : null,
      reason: stage.value === 'dropped' ? reason.value.trim() : null, note: note.value.trim() || null,
      programme: programme.value !== (resident.programme || '') ? programme.value || null : null, next_contact: next.value || null };
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await api(`residents/${resident.id}/stage`, { method: 'POST', json: body });
      toast(t('con.saved'));
      await done();
    } catch (error) { message.textContent = errorText(error); } finally { button.disabled = false; }
  });
  return form;
}
