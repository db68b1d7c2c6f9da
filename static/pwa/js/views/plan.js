// My plan: the team's meetings a week to a page (this week first), day by day in route order,
// with hubs, invited villages, population, distance and travel time from the previous stop,
// and a map drawn from coordinates.
import * as db from '../db.js';
import { loggedMeeting } from '../records.js';
import { name, t } from '../i18n.js';
import { routeMap } from '../map.js';
import { h, km, localToday, longDate, minutes, shortDate, show } from '../ui.js';

export function days(plans) {
  const out = [];
  for (const plan of plans) {
    const meetings = new Map(plan.meetings.map((m) => [m.id, m]));
    const places = new Map((plan.places || []).map((p) => [p.id, p]));
    const planIds = [plan.plan_id, ...(plan.earlier || [])]; // a re-plan's meetings logged before it
    for (const day of plan.days) out.push({ ...day, plan_id: plan.plan_id, planIds, campaign: plan.campaign, meetings, places });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

// Monday of an ISO date's week (dates are calendar days: no time zone enters).
export function weekOf(iso) {
  const day = new Date(`${iso}T00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

function addDays(iso, n) {
  const day = new Date(`${iso}T00:00Z`);
  day.setUTCDate(day.getUTCDate() + n);
  return day.toISOString().slice(0, 10);
}

// The weeks that have days, and the one to show: the one asked for, else today's (or the next
// with days), else the last.
export function pages(all, today, asked) {
  const weeks = [...new Set(all.map((d) => weekOf(d.date)))].sort();
  const current = weekOf(today);
  const week = weeks.includes(asked) ? asked : weeks.find((w) => w >= current) || weeks.at(-1);
  return { weeks, week, current };
}

// Plans made from approximate positions can put different villages on one spot: 0 km between
// two places is then a distance nobody knows, not no distance. (A hub `g-X` is village X.)
const placeOf = (id) => String(id).replace(/^g-/, '');
function legUnknown(day, index) {
  const from = index ? day.stops[index - 1].place : day.start_place;
  return day.stops[index].road_km === 0 && placeOf(from) !== placeOf(day.stops[index].place);
}

// A day's road: unknown when none of it is known, at least the known part when some is.
function dayTotal(day) {
  if (!day.stops.length) return t('plan.day_free');
  const unknown = day.stops.some((_, i) => legUnknown(day, i));
  if (unknown && day.road_km === 0) return t('plan.day_total_unknown', { n: day.stops.length });
  // a leg to or from an approximate position is an estimate: "≈"
  const estimate = day.stops.some((s) => s.approximate) || day.return_approximate;
  const atLeast = unknown ? '≥ ' : estimate ? '≈ ' : '';
  return t('plan.day_total', { km: atLeast + km(day.road_km), time: atLeast + minutes(day.travel_min), n: day.stops.length });
}

function peopleText(meeting) {
  const people = meeting.members.reduce((sum, m) => sum + (m.population || 0), 0);
  if (!meeting.members.some((m) => m.population === null)) return t('plan.people', { n: people.toLocaleString() });
  return people ? t('plan.people_at_least', { n: people.toLocaleString() }) : t('plan.people_unknown');
}


function stopCard(day, stop, index, records) {
  const meeting = day.meetings.get(stop.meeting_id);
  const hub = meeting.hub;
  const record = loggedMeeting(records, day.planIds, meeting.id);
  return h('li', { class: record ? 'card done' : 'card' },
    h('h3', {}, `${index + 1}. ${name(hub.names)}`, ' ', h('span', { class: 'muted', text: `${stop.start}–${stop.end}` })),
    h('div', { class: 'muted', text: legUnknown(day, index) ? t('plan.leg_unknown')
      : t('plan.leg', { km: (stop.approximate ? '≈ ' : '') + km(stop.road_km), time: (stop.approximate ? '≈ ' : '') + minutes(stop.travel_min) }) }),
    h('div', { text: t('plan.invited', { n: meeting.members.length }) }),
    h('ul', {}, meeting.members.map((m) => h('li', {}, name(m.names),
      ' · ', m.population === null ? t('plan.population_unknown') : t('plan.population', { n: m.population.toLocaleString() }),
      m.approximate ? h('span', { class: 'muted', text: ` (${t('plan.approximate')})` }) : null))),
    h('div', { class: 'muted', text: peopleText(meeting) }),
    h('div', { class: 'actions' }, record
      ? h('a', { class: 'button secondary', href: `#/meeting/${record.id}`, text: t(`plan.logged.${record.data.status}`) })
      : h('a', { class: 'button', href: `#/meeting?plan=${day.plan_id}&m=${encodeURIComponent(meeting.id)}`, text: t('plan.log') })));
}

function dayBlock(day, records) {
  const point = (place, label) => ({ lat: place.position.lat, lon: place.position.lon, label, approximate: false });
  const start = day.places.get(day.start_place);
  const end = day.places.get(day.end_place);
  const stops = [start ? point(start, name(start.names)) : null,
    ...day.stops.map((stop, i) => point(day.meetings.get(stop.meeting_id).hub, String(i + 1))),
    end && end.id !== start?.id ? point(end, name(end.names)) : null].filter(Boolean);
  if (end && start && end.id === start.id && stops.length > 1) stops.push({ ...stops[0], label: '' });
  return h('section', { class: 'day', 'data-date': day.date },
    h('h2', { text: longDate(day.date) }),
    start ? h('div', { class: 'muted', text: t('plan.starts_at', { place: name(start.names) }) }) : null,
    h('div', { class: 'muted', text: dayTotal(day) }),
    routeMap(stops, t('plan.map')),
    h('ol', { class: 'legs' }, day.stops.map((stop, i) => stopCard(day, stop, i, records))));
}

function weekNav({ weeks, week, current }, top) {
  const at = weeks.indexOf(week);
  const link = (to, rel, key) => (to ? h('a', { class: 'button secondary', href: `#/plan?week=${to}`, rel, text: t(key) }) : null);
  const span = { from: shortDate(week), to: shortDate(addDays(week, 6)) };
  return h('nav', { class: 'weeks', 'aria-label': t('plan.weeks') },
    top ? h('h2', { id: 'week', text: week === current ? t('plan.this_week', span) : t('plan.week', span) }) : null,
    h('div', { class: 'actions' }, link(weeks[at - 1], 'prev', 'plan.week_prev'), link(weeks[at + 1], 'next', 'plan.week_next')));
}

export async function render(view, params = new URLSearchParams()) {
  const plan = await db.meta('plan');
  const records = await db.all('records');
  const all = days(plan?.body || []);
  const page = pages(all, localToday(), params.get('week'));
  const shown = all.filter((d) => weekOf(d.date) === page.week);
  show(view, h('h1', { text: t('plan.title') }),
    !all.length ? h('p', { text: plan ? t('plan.empty') : t('plan.not_yet') }) : null,
    all.length ? weekNav(page, true) : null,
    ...shown.map((day) => dayBlock(day, records)),
    shown.length > 1 ? weekNav(page, false) : null);
}
