// My plan: the team's coming meetings day by day, in route order, with hubs, invited villages,
// population, distance and travel time from the previous stop, and a map drawn from
// coordinates.
import * as db from '../db.js';
import { name, t } from '../i18n.js';
import { routeMap } from '../map.js';
import { h, km, longDate, minutes, show } from '../ui.js';

export function days(plans) {
  const out = [];
  for (const plan of plans) {
    const meetings = new Map(plan.meetings.map((m) => [m.id, m]));
    const places = new Map((plan.places || []).map((p) => [p.id, p]));
    for (const day of plan.days) out.push({ ...day, plan_id: plan.plan_id, campaign: plan.campaign, meetings, places });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

function logged(records, planId, meetingId) {
  return records.find((r) => r.kind === 'meeting' && r.data?.plan_id === planId
    && r.data?.plan_meeting === meetingId);
}

function stopCard(day, stop, index, records) {
  const meeting = day.meetings.get(stop.meeting_id);
  const hub = meeting.hub;
  const record = logged(records, day.plan_id, meeting.id);
  const people = meeting.members.reduce((sum, m) => sum + (m.population || 0), 0);
  const unknown = meeting.members.some((m) => m.population === null);
  return h('li', { class: record ? 'card done' : 'card' },
    h('h3', {}, `${index + 1}. ${name(hub.names)}`, ' ', h('span', { class: 'muted', text: `${stop.start}–${stop.end}` })),
    h('div', { class: 'muted', text: t('plan.leg', { km: km(stop.road_km), time: minutes(stop.travel_min) }) }),
    h('div', { text: t('plan.invited', { n: meeting.members.length }) }),
    h('ul', {}, meeting.members.map((m) => h('li', {}, name(m.names),
      ' · ', m.population === null ? t('plan.population_unknown') : t('plan.population', { n: m.population.toLocaleString() }),
      m.approximate ? h('span', { class: 'muted', text: ` (${t('plan.approximate')})` }) : null))),
    h('div', { class: 'muted', text: unknown ? t('plan.people_at_least', { n: people.toLocaleString() }) : t('plan.people', { n: people.toLocaleString() }) }),
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
  return h('section', { class: 'day' },
    h('h2', { text: longDate(day.date) }),
    start ? h('div', { class: 'muted', text: t('plan.starts_at', { place: name(start.names) }) }) : null,
    h('div', { class: 'muted', text: t('plan.day_total', { km: km(day.road_km), time: minutes(day.travel_min), n: day.stops.length }) }),
    routeMap(stops, t('plan.map')),
    h('ol', { class: 'legs' }, day.stops.map((stop, i) => stopCard(day, stop, i, records))));
}

export async function render(view) {
  const plan = await db.meta('plan');
  const records = await db.all('records');
  const all = days(plan?.body || []);
  const today = new Date().toISOString().slice(0, 10);
  const coming = all.filter((d) => d.date >= today);
  const shown = coming.length ? coming : all;
  show(view, h('h1', { text: t('plan.title') }),
    !all.length ? h('p', { text: plan ? t('plan.empty') : t('plan.not_yet') }) : null,
    coming.length < all.length && coming.length ? h('p', { class: 'muted', text: t('plan.earlier_hidden', { n: all.length - coming.length }) }) : null,
    ...shown.slice(0, 30).map((day) => dayBlock(day, records)));
}
