// The team's residents to follow up, kept on the phone so that the list works offline for days:
// the server's list as fetched after each sync run, with the calls and visits logged here and
// not yet sent laid over it. Who is overdue is decided by the phone's own calendar day.
import * as api from './api.js';
import * as db from './db.js';
import { localToday } from './ui.js';

const KEY = 'followups';
// outcomes a phone can log (`new` is where a resident starts, never an outcome)
export const STAGES = ['contacted', 'referred', 'trained', 'defended', 'financed', 'dropped'];
const ORDER = ['new', 'contacted', 'referred', 'trained', 'defended', 'financed'];
const LEFT = ['financed', 'dropped']; // out of the funnel: nobody to follow up any more

export { localToday }; // the follow-up screens' "today" (tests call it from here)

// The list after a call or visit to one resident (`fields` as sent, or a part of them): as the
// server counts, the stage is the furthest ever reached; financed or dropped leave the list.
export function applyLog(residents, itemId, fields) {
  const out = [];
  for (const r of residents) {
    if (r.item_id !== itemId) { out.push(r); continue; }
    if (LEFT.includes(fields.status)) continue;
    const next = { ...r };
    if (ORDER.indexOf(fields.status) > ORDER.indexOf(r.stage)) next.stage = fields.status;
    if ('next_contact' in fields) next.next_contact = fields.next_contact ?? null;
    if (fields.on && !(r.last_contact && r.last_contact > fields.on)) next.last_contact = fields.on;
    if (fields.programme) next.programme = fields.programme;
    out.push(next);
  }
  return out;
}

const laterOf = (a, b) => (a.next_contact || '\uffff').localeCompare(b.next_contact || '\uffff');

// A name's key in the Kazakh alphabet's order, compared code unit by code unit: the server's
// (outreach/domain/name_order.py), since browsers' collators may not know Kazakh (Chromium's
// puts Ү before Ұ). ASCII and Russian letters lowercased; each other letter of the alphabet
// spelled as the letter it follows and MARK, which sorts after every Russian letter.
const MARK = '\u04ff';
const AFTER = {};
for (const [letter, base] of Object.entries({ ә: 'а', ғ: 'г', ё: 'е', қ: 'к', ң: 'н', ө: 'о', ұ: 'у',
  ү: `у${MARK}`, һ: 'х', і: 'ы' })) AFTER[letter] = AFTER[letter.toUpperCase()] = base + MARK;

export function nameOrder(name) {
  let key = '';
  for (const c of (name || '').normalize('NFC')) key += AFTER[c] ?? (/[A-ZА-Я]/.test(c) ? c.toLowerCase() : c);
  return key;
}

const byName = (a, b) => {
  const [x, y] = [nameOrder(a.name), nameOrder(b.name)];
  return x < y ? -1 : Number(x > y);
};

// Overdue first (the next contact before `today`), then by next contact date (none last), then
// by name in the Kazakh alphabet's order.
export function ordered(residents, today) {
  return residents.map((r) => ({ ...r, overdue: Boolean(r.next_contact && r.next_contact < today) }))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || laterOf(a, b) || byName(a, b));
}

const pendingOver = (residents, outbox) => outbox.filter((m) => m.kind === 'followup' && m.op === 'put')
  .reduce((list, m) => applyLog(list, m.record_id, m.set || {}), residents);

// One read-and-write of the kept list, in one transaction with a look at the outbox, so that a
// call logged meanwhile is never lost between the two.
function rewrite(work) {
  return db.atomically(['meta', 'outbox'], (s) => {
    const kept = s.meta.get(KEY);
    const waiting = s.outbox.getAll();
    waiting.onsuccess = () => {
      const value = work(kept.result?.value || null, waiting.result);
      if (value) s.meta.put({ key: KEY, value });
    };
  });
}

function changed() { dispatchEvent(new CustomEvent('outreach:followups')); }

// Fetch the list (after a sync run: what the phone sent is in it); calls still waiting in the
// outbox are laid over it again. A failure keeps the list the phone has.
export async function refresh(token) {
  let answer;
  try {
    answer = await api.followups(token);
  } catch {
    return false;
  }
  if (!Array.isArray(answer?.residents)) return false;
  const fetchedAt = new Date().toISOString();
  await rewrite((_, outbox) => ({ residents: pendingOver(answer.residents, outbox), as_of: answer.as_of || null,
    fetched_at: fetchedAt }));
  changed();
  return true;
}

// A call or visit just saved (its mutation is in the outbox): the list shows it at once.
export async function logged(itemId, fields) {
  await rewrite((kept) => kept && { ...kept, residents: applyLog(kept.residents, itemId, fields) });
  changed();
}

// The list as kept, in order, each marked overdue or not; null before the first fetch.
export async function list(today = localToday()) {
  const kept = await db.meta(KEY);
  return kept ? ordered(kept.residents, today) : null;
}

export async function fetchedAt() { return (await db.meta(KEY))?.fetched_at || null; }

export async function overdueCount() {
  return ((await list()) || []).filter((r) => r.overdue).length;
}
