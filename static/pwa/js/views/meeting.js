// Log a meeting: outcome, attendance, villages, topics and questions, referrals, interested
// residents, photos, position. Drafts are kept as the user types; saving checks the rules in
// the user's language and puts a mutation in the outbox.
import * as db from '../db.js';
import { codeText, name, t } from '../i18n.js';
import * as photos from '../photos.js';
import * as position from '../position.js';
import { diff, isEmpty, loggedMeeting, uuid } from '../records.js';
import { normalisePhone } from '../rules.js';
import { discard as discardRefused, resend, save, syncNow } from '../sync.js';
import { countdown, field, h, localToday, longDate, toast, show } from '../ui.js';
import { inputFor, problemsOf, showProblems } from './meeting-checks.js';
import * as parts from './meeting-parts.js';

let dirty = false;
let onFormChange = () => {};
document.addEventListener('outreach:form', () => onFormChange());
export function isDirty() { return dirty; }

function okrugOf(villages, hub, chosen) {
  const centre = villages.find((v) => v.kato === hub);
  return villages.filter((v) => (centre?.okrug_kato && v.okrug_kato === centre.okrug_kato)
    || chosen.includes(v.kato) || v.kato === hub);
}

// Each village with the label the form shows: its name, and where another village has the
// same name, its district too (two Ақжар in one list could not be told apart), and its code
// if that is not enough.
function labelled(reference) {
  const districts = new Map((reference.districts || []).map((d) => [d.kato, d.names]));
  const count = new Map();
  for (const v of reference.villages) count.set(name(v.names), (count.get(name(v.names)) || 0) + 1);
  const first = reference.villages.map((v) => {
    const own = name(v.names);
    const district = districts.get(v.district_kato);
    return { ...v, label: count.get(own) > 1 && district ? `${own} (${name(district)})` : own };
  });
  // two of one name in one district: their codes too
  const again = new Map();
  for (const v of first) again.set(v.label, (again.get(v.label) || 0) + 1);
  return first.map((v) => (again.get(v.label) > 1 ? { ...v, label: `${v.label} · ${v.kato}` } : v));
}

async function context(params, recordId) {
  const reference = (await db.meta('reference'))?.body || { villages: [] };
  const villages = labelled(reference).sort((a, b) => a.label.localeCompare(b.label));
  const record = recordId ? await db.get('records', recordId) : null;
  // phones from before kept only the reason of a refusal
  if (typeof record?.rejected === 'string') record.rejected = { reason: record.rejected, field: null };
  let planned = null;
  const planId = Number(params.get('plan'));
  let planIds = [planId];
  if (planId) {
    const plan = ((await db.meta('plan'))?.body || []).find((p) => p.plan_id === planId);
    planned = plan?.meetings.find((m) => m.id === params.get('m')) || null;
    planIds = [planId, ...(plan?.earlier || [])];
  }
  return { villages, record, planned, planId, planIds };
}

function initial({ record, planned, planId }) {
  if (record) return structuredClone(record.data);
  const today = localToday();
  if (!planned) return { status: 'held', date: today, villages: [] };
  return { status: 'held', date: planned.date || today, start: planned.start, plan_id: planId,
    plan_meeting: planned.id, hub: planned.hub.id.replace(/^g-/, ''), villages: planned.members.map((m) => m.kato) };
}

const CLEARABLE = ['reason', 'notes', 'start']; // the form's fields that may be left empty

function read(form, base, kept) {
  const v = (n) => form.elements[n].value.trim() || null;
  const state = { ...base, status: form.elements.status.value, reason: v('reason'), date: v('date'),
    start: v('start'), hub: v('hub'), notes: v('notes'), attendance: parts.readAttendance(form) };
  if (state.status === 'held') state.reason = null;
  state.villages = parts.checked(form, 'village');
  state.topics = [...parts.checked(form, 'topic'), ...(v('topics_free') || '').split(',').map((s) => s.trim()).filter(Boolean)];
  const common = parts.checked(form, 'question').map((key) => ({ id: `q-${key}`, text: t(`question.${key}`) }));
  // each question its own id, kept while its text is: ids by position made two phones' first
  // questions one item, and the later sync erased the other's
  const known = new Map((base.questions || []).filter((q) => q.id.startsWith('q-free-')).map((q) => [q.text, q.id]));
  const taken = new Set();
  const free = (v('questions_free') || '').split('\n').map((s) => s.trim()).filter(Boolean).map((text) => {
    const id = known.has(text) && !taken.has(known.get(text)) ? known.get(text) : `q-free-${uuid()}`;
    taken.add(id);
    return { id, text };
  });
  state.questions = [...common, ...free];
  state.referrals = parts.readReferrals(form);
  state.interested = parts.readPeople(form).map((p) => (p.phone && normalisePhone(p.phone) ? { ...p, phone: normalisePhone(p.phone) } : p));
  state.photos = kept.photos;
  state.position = kept.position;
  for (const key of Object.keys(state)) if (state[key] === null || state[key] === undefined) delete state[key];
  return state;
}

export async function render(view, params, recordId) {
  const ctx = await context(params, recordId);
  if (!recordId && ctx.planned) {
    // a planned meeting already logged (Back after saving, a second tap) opens its record:
    // a new form would make a second record of the one meeting
    const logged = loggedMeeting(await db.all('records'), ctx.planIds, ctx.planned.id);
    if (logged) { location.replace(`#/meeting/${logged.id}`); return; }
  }
  const draftId = recordId || (ctx.planned ? `plan:${ctx.planId}:${ctx.planned.id}` : 'adhoc');
  const draft = await db.get('drafts', draftId);
  const id = recordId || draft?.record_id || uuid();
  const base = draft?.state || initial(ctx);
  const kept = { photos: base.photos || [], position: base.position || null };
  const { villages } = ctx;
  const problems = h('div', { class: 'errors', role: 'alert', hidden: true });
  const thumbs = h('div', { class: 'thumbs' });
  const where = h('p', { id: 'position', class: 'muted', text: position.describe('none', kept.position) });
  const notes = h('textarea', { name: 'notes', rows: 3, text: base.notes || '' });
  const notesMax = (await db.meta('reference'))?.body?.rules?.meeting?.fields?.notes?.max_length ?? 4000;
  const people = h('div', {}, (base.interested || []).map((p) => parts.person(p, villages)));
  let nearby = okrugOf(villages, base.hub, base.villages || []);
  const villageChecks = h('div', {}, parts.checks('village', nearby.map((v) => [v.kato, v.label]), base.villages || []));
  const status = h('div', { class: 'checks' }, ['held', 'cancelled', 'postponed'].map((s) => h('label', { class: 'check' },
    h('input', { type: 'radio', name: 'status', value: s, checked: base.status === s }), t(`meeting.status.${s}`))));
  const form = h('form', { novalidate: true },
    h('fieldset', {}, h('legend', { text: t('meeting.outcome') }), status,
      field('meeting.reason', h('textarea', { name: 'reason', rows: 2, text: base.reason || '' }))),
    h('div', { class: 'row' }, field('meeting.date', h('input', { type: 'date', name: 'date', value: base.date || '' })),
      field('meeting.start', h('input', { type: 'time', name: 'start', value: base.start || '' }))),
    field('meeting.hub', h('select', { name: 'hub' }, h('option', { value: '', text: '—' }), parts.villageOptions(villages, base.hub))),
    parts.attendance(base.attendance || {}),
    h('fieldset', {}, h('legend', { text: t('meeting.villages') }), villageChecks),
    h('fieldset', {}, h('legend', { text: t('meeting.topics') }),
      parts.checks('topic', parts.PROGRAMMES.map((p) => [p, t(`programme.${p}`)]), base.topics || []),
      field('meeting.topics_free', h('input', { name: 'topics_free', value: (base.topics || []).filter((x) => !parts.PROGRAMMES.includes(x)).join(', ') }))),
    h('fieldset', {}, h('legend', { text: t('meeting.questions') }),
      parts.checks('question', parts.COMMON_QUESTIONS.map((q) => [q, t(`question.${q}`)]),
        (base.questions || []).filter((q) => q.id.startsWith('q-') && !q.id.startsWith('q-free-')).map((q) => q.id.slice(2))),
      field('meeting.questions_free', h('textarea', { name: 'questions_free', rows: 3,
        text: (base.questions || []).filter((q) => q.id.startsWith('q-free-')).map((q) => q.text).join('\n') }))),
    parts.referrals(base.referrals || []),
    h('fieldset', {}, h('legend', { text: t('meeting.interested') }), people,
      h('button', { type: 'button', class: 'secondary', text: t('meeting.person.add'),
        onclick: () => { people.append(parts.person({}, nearby.length ? nearby : villages)); changed(); } })),
    h('fieldset', {}, h('legend', { text: t('meeting.photos') }), thumbs,
      field('meeting.photo_add', h('input', { type: 'file', name: 'photo', accept: 'image/*', capture: 'environment', multiple: true }))),
    h('fieldset', {}, h('legend', { text: t('meeting.position') }), where),
    field('meeting.notes', notes), countdown(notes, notesMax),
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('meeting.save') }),
      h('button', { type: 'button', class: 'secondary', text: t('meeting.discard'), onclick: discard }),
      ctx.record && !ctx.record.deleted ? h('button', { type: 'button', class: 'danger', text: t('meeting.delete'), onclick: remove }) : null));

  // The draft is written 300 ms after the last change; once the form is saved or thrown away
  // (`closed`), no draft is written again: one written after the save would come back as
  // "restored" with the saved meeting's id, and saving it would overwrite that meeting.
  let timer = null;
  let closed = false;
  function changed() {
    if (closed) return;
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(() => db.put('drafts', { id: draftId, record_id: id, state: read(form, base, kept), saved_at: Date.now() }), 300);
  }
  function close() { closed = true; clearTimeout(timer); }
  // photos being shrunk and kept: a save waits for them, or they would be left out of it
  let photosKept = Promise.resolve();
  const picked = new Set(kept.photos); // every photo this form held: forgotten when no meeting keeps it
  async function showThumbs() {
    thumbs.replaceChildren(...await Promise.all(kept.photos.map(async (sha, i) => {
      const photo = await db.get('photos', sha);
      const remove = h('button', { type: 'button', class: 'secondary', text: t('meeting.photo_remove'),
        'aria-label': `${t('meeting.photo_remove')} ${i + 1}`, onclick: async () => {
          kept.photos = kept.photos.filter((x) => x !== sha);
          await showThumbs();
          changed();
        } });
      // "sent" only when the phone knows it was: a photo it does not hold is said missing
      const shown = photo?.blob ? h('img', { src: URL.createObjectURL(photo.blob), alt: `${t('meeting.photo')} ${i + 1}` })
        : h('span', { class: photo?.complete ? 'muted' : 'error', text: t(photo?.complete ? 'meeting.photo_sent' : 'meeting.photo_missing') });
      return h('div', { class: 'thumb' }, shown, remove);
    })));
  }
  // A fix that comes after the meeting was saved is a further change to it (`late`), not lost.
  let late = null;
  function located(state, fix) {
    where.textContent = position.describe(state, fix);
    if (fix && late) late(fix);
    else if (fix) kept.position = fix;
  }
  if (!ctx.record && !kept.position) position.locate(located);
  const addPosition = (fix) => save('meeting', id, { set: { position: fix }, add: {}, remove: {} });
  async function positionAfterSaving(state) {
    late = (fix) => addPosition(fix).then(() => syncNow('position'));
    if (kept.position && !state.position) await addPosition(kept.position); // came while saving
  }
  async function discard() {
    close();
    await db.remove('drafts', draftId);
    await photos.forget(picked);
    dirty = false;
    location.hash = '#/plan';
  }
  // a meeting logged by mistake (twice, say) is deleted here and on the server, asked first
  async function remove() {
    if (!confirm(t('meeting.delete_confirm'))) return;
    close();
    if (ctx.record.rejected) await discardRefused(id); // the refused change is given up first
    // what the server holds (or will: a meeting not sent yet goes, then its deletion)
    if (await db.get('records', id)) await save('meeting', id, { set: {}, add: {}, remove: {} }, 'delete');
    await db.remove('drafts', draftId);
    await photos.forget(picked);
    dirty = false;
    toast(t('meeting.deleted'));
    location.hash = '#/outbox';
    syncNow('saved');
  }
  form.addEventListener('input', changed);
  onFormChange = changed;
  form.elements.hub.addEventListener('change', () => {
    const chosen = parts.checked(form, 'village');
    const hub = form.elements.hub.value;
    nearby = okrugOf(villages, hub, chosen);
    villageChecks.replaceChildren(parts.checks('village', nearby.map((v) => [v.kato, v.label]),
      chosen.length ? chosen : [hub]));
  });
  form.elements.photo.addEventListener('change', (event) => {
    const files = [...event.target.files];
    event.target.value = '';
    photosKept = photosKept.then(async () => {
      for (const file of files) {
        try {
          const { sha256 } = await photos.keep(file);
          picked.add(sha256);
          if (!kept.photos.includes(sha256)) kept.photos.push(sha256);
        } catch (error) {
          if (db.isFull(error)) { toast(t('meeting.storage_full')); break; } // kept off the meeting
          toast(t('meeting.photo_unreadable', { name: file.name })); // not an image: the others stay
        }
      }
      await showThumbs();
      changed();
    });
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await photosKept;
    const state = read(form, base, kept);
    const refused = ctx.record?.rejected;
    if (refused?.reason === 'unknown_plan_meeting') { delete state.plan_id; delete state.plan_meeting; }
    const found = await problemsOf(state);
    showProblems(form, problems, found, state);
    if (found.length) return;
    close();
    const change = diff('meeting', ctx.record?.data || {}, state);
    // a field emptied in the form is cleared on the record: read() leaves empty fields out,
    // and a change without them left the old notes or reason in place
    for (const key of CLEARABLE) if (ctx.record?.data?.[key] != null && state[key] == null) change.set[key] = null;
    try {
      if (refused) await resend('meeting', id, state);
      else if (!isEmpty(change)) await save('meeting', id, change);
    } catch (error) { // nothing was saved: the form (and its draft) stays, and the user is told
      closed = false;
      toast(db.isFull(error) ? t('meeting.storage_full') : String(error?.message || error));
      return;
    }
    await positionAfterSaving(state);
    await db.remove('drafts', draftId);
    await photos.forget(picked); // those taken off the meeting before it was saved
    dirty = false;
    toast(isEmpty(change) && !refused ? t('meeting.unchanged') : t('meeting.saved'));
    location.hash = '#/outbox';
    syncNow('saved');
    navigator.serviceWorker?.ready.then((r) => r.sync?.register('outreach-sync')).catch(() => {});
  });
  dirty = Boolean(draft);
  await showThumbs();
  const title = ctx.planned ? t('meeting.title_planned', { hub: name(ctx.planned.hub.names) })
    : ctx.record ? t('meeting.title_saved', { hub: villages.find((v) => v.kato === ctx.record.data?.hub)?.label || '—',
      date: ctx.record.data?.date ? longDate(ctx.record.data.date) : '—' }) : t('meeting.title');
  const refused = ctx.record?.rejected;
  show(view, h('h1', { text: title }), draft ? h('p', { class: 'ok', text: t('meeting.draft_restored') }) : null,
    refused ? h('div', { class: 'errors', id: 'refused', role: 'alert' }, h('strong', { text: t('meeting.refused') }),
      h('p', { text: codeText(refused.reason) }),
      refused.reason === 'unknown_plan_meeting' ? h('p', { text: t('meeting.refused_unplanned') }) : null) : null,
    problems, form);
  if (refused) {
    const state = read(form, base, kept);
    const found = await problemsOf(state);
    showProblems(form, problems, found, state, false);
    if (refused.field) inputFor(form, refused.field, state)?.setAttribute('aria-invalid', 'true');
  }
}
