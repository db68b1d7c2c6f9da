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
