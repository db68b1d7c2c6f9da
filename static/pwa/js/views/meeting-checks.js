// Checking a meeting before it is saved: the form's own rules and those the server publishes,
// each problem named by its field in the user's language and its input marked.
import * as db from '../db.js';
import { t } from '../i18n.js';
import { meetingProblems, ruleProblems } from '../rules.js';
import { h } from '../ui.js';

// Everything that stops a meeting from being saved: the form's own checks, then every rule the
// server publishes (a path the form already reported is not reported twice).
export async function problemsOf(state) {
  const rules = (await db.meta('reference'))?.body?.rules?.meeting;
  const found = meetingProblems(state);
  const seen = new Set(found.map(([path]) => path));
  return [...found, ...ruleProblems(rules, state).filter(([path]) => !seen.has(path))];
}

const LABELS = { reason: 'meeting.reason', notes: 'meeting.notes', date: 'meeting.date', start: 'meeting.start',
  hub: 'meeting.hub', topics: 'meeting.topics_free', questions: 'meeting.questions_free', villages: 'meeting.villages',
  interested: 'meeting.interested', photos: 'meeting.photos', referrals: 'meeting.referrals',
  attendance: 'meeting.attendance', position: 'meeting.position', status: 'meeting.outcome' };

function label(path, state) {
  const [head, index, leaf] = path.split('.');
  if (head === 'attendance' && index) return t(`meeting.attendance.${index}`);
  if (head === 'interested' && leaf) return `${t(`meeting.person.${leaf}`)} (${Number(index) + 1})`;
  if (head === 'referrals' && leaf) return t(`programme.${state.referrals?.[index]?.programme}`);
  return t(LABELS[head] || 'meeting.title');
}

// The input a path of the record is typed in (`interested.name`, without a position, is the
// first person's).
export function inputFor(form, path, state) {
  const [head, index, leaf] = path.split('.');
  if (head === 'interested') {
    const people = form.querySelectorAll('[data-person]');
    return leaf ? people[Number(index)]?.querySelector(`[name="p.${leaf}"]`) : people[0]?.querySelector(`[name="p.${index || 'name'}"]`);
  }
  if (head === 'topics') return form.elements.topics_free;
  if (head === 'questions') return form.elements.questions_free;
  if (head === 'referrals') return form.elements[`referral.${state.referrals?.[index]?.programme}`];
  if (head === 'attendance') return form.elements[`attendance.${index || 'total'}`];
  const el = form.elements[head];
  return el instanceof Element ? el : el?.[0];
}

export function showProblems(form, box, problems, state, scroll = true) {
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  box.hidden = !problems.length;
  box.replaceChildren(h('strong', { text: t('error.title') }), h('ul', {}, problems.map(([path, key, params]) => h('li', {
    text: params ? t('error.field', { field: label(path, state), problem: t(key, params) }) : t(key) }))));
  for (const [path] of problems) inputFor(form, path, state)?.setAttribute('aria-invalid', 'true');
  if (problems.length && scroll) box.scrollIntoView({ block: 'start' });
}
