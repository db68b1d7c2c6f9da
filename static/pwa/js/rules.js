// Rules a meeting must keep, checked on the phone before saving (the server checks them too),
// and small pure helpers: Kazakhstan phone numbers, retry backoff.
export function normalisePhone(raw) {
  let digits = String(raw).replace(/[\s().-]/g, '');
  if (digits.startsWith('+7')) digits = digits.slice(2);
  else if (digits.length === 11 && '78'.includes(digits[0])) digits = digits.slice(1);
  if (!/^[67]\d{9}$/.test(digits)) return null;
  return `+7${digits}`;
}

const count = (v) => (v === '' || v === null || v === undefined ? null : Number(v));

// Problems as [field, message key], empty when the meeting can be saved.
export function meetingProblems(m) {
  const problems = [];
  if (!m.status) problems.push(['status', 'error.status']);
  if (m.status && m.status !== 'held' && !(m.reason || '').trim()) problems.push(['reason', 'error.reason']);
  if (!m.date) problems.push(['date', 'error.date']);
  if (!m.hub) problems.push(['hub', 'error.hub']);
  const a = m.attendance || {};
  const total = count(a.total);
  if (m.status === 'held' && (total === null || !Number.isInteger(total) || total < 0)) {
    problems.push(['attendance.total', 'error.total']);
  }
  for (const group of ['women', 'youth', 'entrepreneurs']) {
    const n = count(a[group]);
    if (n !== null && (!Number.isInteger(n) || n < 0)) problems.push([`attendance.${group}`, 'error.count']);
    else if (n !== null && total !== null && n > total) problems.push([`attendance.${group}`, 'error.group_over_total']);
  }
  (m.interested || []).forEach((p, i) => {
    if (!(p.name || '').trim()) problems.push([`interested.${i}.name`, 'error.person_name']);
    if ((p.phone || '').trim() && !normalisePhone(p.phone)) problems.push([`interested.${i}.phone`, 'error.phone']);
  });
  return problems;
}

// Milliseconds to wait before retry number `attempt` (0, 1, 2 ...): doubling from 5 s to at
// most 15 min, with jitter so that phones do not come back all at once.
export function backoff(attempt, random = Math.random) {
  const base = Math.min(15 * 60 * 1000, 5000 * 2 ** attempt);
  return Math.round(base * (0.5 + random() / 2));
}

// Problems with a record against the rules the server publishes in its reference data
// (outreach/domain/record_rules.py): [path, message key, parameters] for each value that the
// server would refuse. Paths are the server's (`notes`, `topics.2`, `interested.0.name`);
// lengths count characters as the server does (code points, not UTF-16 units).
export function ruleProblems(kindRules, doc) {
  const problems = [];
  for (const [path, rule] of Object.entries(kindRules?.fields || {})) {
    for (const [at, value] of valuesAt(doc, path.split('.'), [])) {
      const problem = breach(rule, value);
      if (problem) problems.push([at, ...problem]);
    }
  }
  return problems;
}

function valuesAt(value, parts, at) {
  if (!parts.length) return [[at.join('.'), value]];
  if (value === null || value === undefined || typeof value !== 'object') return [];
  const [head, ...rest] = parts;
  if (head === '*') return Array.isArray(value) ? value.flatMap((item, i) => valuesAt(item, rest, [...at, i])) : [];
  if (!(head in value)) return rest.length ? [] : [[[...at, head].join('.'), undefined]];
  return valuesAt(value[head], rest, [...at, head]);
}

// C0 control characters the server refuses (outreach/domain/wire.py)
const CONTROL = /[\u0000-\u001f]/;
const CONTROL_IN_FREE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

function breach(rule, value) {
  if (value === undefined) return rule.required ? ['error.required', {}] : null;
  if (value === null) return rule.nullable ? null : ['error.required', {}];
  switch (rule.type) {
    case 'string': {
      if (typeof value !== 'string') return ['error.pattern', {}];
      // a tab pasted into a name, say: only free text (notes) may hold a tab or a line break
      if ((rule.free_text ? CONTROL_IN_FREE_TEXT : CONTROL).test(value)) return ['error.control', {}];
      const n = [...value].length;
      if (rule.min_length != null && n < rule.min_length) return ['error.required', {}];
      if (rule.max_length != null && n > rule.max_length) return ['error.too_long', { max: rule.max_length, n }];
      if (rule.pattern && !new RegExp(rule.pattern, 'u').test(value)) return ['error.pattern', {}];
      if (rule.format === 'kz_phone' && !normalisePhone(value)) return ['error.phone', {}];
      return null;
    }
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || (rule.type === 'integer' && !Number.isInteger(value))) return ['error.count', {}];
      if (rule.minimum != null && value < rule.minimum) return ['error.below', { min: rule.minimum }];
      if (rule.maximum != null && value > rule.maximum) return ['error.above', { max: rule.maximum }];
      return null;
    case 'choice': return rule.choices.includes(value) ? null : ['error.choice', {}];
    case 'date': return /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : ['error.pattern', {}];
    case 'list': return Array.isArray(value) && (rule.max_items == null || value.length <= rule.max_items) ? null : ['error.too_many', { max: rule.max_items }];
    default: return null;
  }
}

// Which field the server's message about a refused mutation points at (msgspec's "at
// `$.add.topics[0]`"): the field's name (`topics`, `interested.name`; list positions dropped,
// as they count the mutation's items, not the record's), or null when it names none.
export function refusedField(message) {
  const at = /at `\$\.(?:set|add|remove)\.([^`]+)`/.exec(message || '');
  return at ? at[1].replace(/\[\d+\]/g, '') : null;
}
