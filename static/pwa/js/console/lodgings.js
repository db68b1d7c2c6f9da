// Where teams sleep on trips of several days: the district centres (the planner's default) or
// a list the coordinator makes, starting from them. Only settlements with a surveyed position
// can be lodgings; the server refuses any other with the settlement named.
import { h } from '../ui.js';
import { districtName, labelled, name, places, t } from './common.js';

const located = () => [...places.villages.values()]
  .filter((v) => v.position && v.location_quality === 'exact');
const label = (v) => `${name(v.names)} (${districtName(v.district_kato)})`;

// the planner's default (services/planning.py, `_lodgings`): in each district, the settlement
// bearing its centre's name
function centres() {
  const list = located();
  return [...places.districts.values()].flatMap((d) => list
    .filter((v) => v.district_kato === d.kato && v.names.ru === d.centre_name)).map((v) => v.kato);
}

// The field, and `value()`: null for the default, else the chosen settlements' codes.
// `complain(text)` shows a refusal where the form shows its errors.
export function lodgingsField(complain) {
  const byDefault = h('input', { type: 'checkbox', name: 'lodgings_default', checked: true });
  const chosen = [];
  const list = h('ul', { class: 'chips', id: 'lodgings' });
  const entry = h('input', { name: 'lodging', list: 'lodging-options', autocomplete: 'off' });
  const options = h('datalist', { id: 'lodging-options' }, located().map((v) => h('option', { value: label(v) })));
  const draw = () => list.replaceChildren(...(chosen.length ? chosen.map((kato) => {
    const v = places.villages.get(kato);
    const remove = h('button', { type: 'button', class: 'secondary', text: '×', 'aria-label': t('con.remove_named', { name: label(v) }) });
    remove.addEventListener('click', () => { chosen.splice(chosen.indexOf(kato), 1); draw(); entry.focus(); });
    return h('li', { 'data-kato': kato }, h('span', { text: label(v) }), remove);
  }) : [h('li', { class: 'muted', text: t('con.f.no_lodgings') })]));
  const add = () => {
    const text = entry.value.trim().toLowerCase();
    if (!text) return;
    const found = located().filter((v) => label(v).toLowerCase() === text || name(v.names).toLowerCase() === text);
    if (found.length !== 1) { complain(t('con.f.bad_lodging')); entry.focus(); return; }
    complain('');
    if (!chosen.includes(found[0].kato)) chosen.push(found[0].kato);
    entry.value = '';
    draw();
  };
  const button = h('button', { type: 'button', class: 'secondary', text: t('con.add') });
  button.addEventListener('click', add);
  entry.addEventListener('keydown', (event) => { if (event.key === 'Enter') { event.preventDefault(); add(); } });
  const picker = h('div', { class: 'lodging-picker' }, list,
    h('div', { class: 'inline' }, labelled('con.f.lodging_add', entry), button), options);
  picker.hidden = true;
  let edited = false;
  byDefault.addEventListener('change', () => {
    picker.hidden = byDefault.checked;
    if (!byDefault.checked && !edited) { chosen.push(...centres()); edited = true; draw(); }
  });
  const el = h('fieldset', {}, h('legend', { text: t('con.f.lodgings') }),
    h('label', { class: 'check' }, byDefault, t('con.f.lodgings_default')), picker,
    h('p', { class: 'muted', text: t('con.f.lodgings_hint') }));
  return { el, value: () => (byDefault.checked ? null : [...chosen]) };
}
