// The phone's position with a new meeting, with the user's permission: asked for as the form
// opens, so that a fix is ready by the time the meeting is saved. Saving never waits for it;
// a refusal, a phone without GPS or the setting turned off only leave the position out.
import * as db from './db.js';
import { t } from './i18n.js';

const SETTING = 'record_position';
// A fix from the last few minutes is as good as a new one: a meeting lasts longer than that.
const OPTIONS = { enableHighAccuracy: true, timeout: 60 * 1000, maximumAge: 3 * 60 * 1000 };
const MAX_ACCURACY_M = 1_000_000; // the server's bound

export async function recording() { return (await db.meta(SETTING, true)) !== false; }
export function setRecording(on) { return db.setMeta(SETTING, Boolean(on)); }

export function fromFix(fix) {
  return { lat: fix.coords.latitude, lon: fix.coords.longitude,
    accuracy_m: Math.min(MAX_ACCURACY_M, Math.round(fix.coords.accuracy)) };
}

// What the form says: the fix and its accuracy, or why there is none (never an error).
export function describe(state, position) {
  if (position) return t('meeting.position_set', { m: Math.round(position.accuracy_m ?? 0) });
  return {
    finding: t('meeting.position_finding'), denied: t('meeting.position_denied'),
    failed: t('meeting.position_failed'), unavailable: t('meeting.position_unavailable'),
    off: t('meeting.position_off'), none: t('meeting.position_none'),
  }[state];
}

// Ask once for a fix; `report(state, position)` hears `finding`, then `set` with the position,
// or `denied`, `failed`, `unavailable` or `off`.
export async function locate(report) {
  if (!(await recording())) { report('off'); return; }
  if (!navigator.geolocation) { report('unavailable'); return; }
  report('finding');
  navigator.geolocation.getCurrentPosition((fix) => report('set', fromFix(fix)),
    (error) => report(error.code === error.PERMISSION_DENIED ? 'denied' : 'failed'), OPTIONS);
}
