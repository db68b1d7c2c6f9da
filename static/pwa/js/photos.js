// Photos of attendance sheets: downscaled on the phone, named by their SHA-256, kept until
// uploaded. Only a photo a saved meeting names is sent: one of a form thrown away, or taken
// off a meeting before saving, never leaves the phone.
import * as db from './db.js';

const MAX_SIDE = 1600;
const QUALITY = 0.8;

export async function downscale(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
}

export async function sha256(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Keep a photo for upload; its hash names it in the meeting record.
export async function keep(file) {
  const blob = await downscale(file);
  const hash = await sha256(blob);
  if (!(await db.get('photos', hash))) {
    await db.put('photos', { sha256: hash, blob, size: blob.size, complete: false });
  }
  return { sha256: hash, blob };
}

// The photos the meetings on this phone name (what is to be sent); with `drafts`, those the
// forms kept as drafts name too.
export async function named(drafts = false) {
  const out = new Set();
  for (const record of await db.all('records')) for (const sha of record.data?.photos || []) out.add(sha);
  if (drafts) for (const draft of await db.all('drafts')) for (const sha of draft.state?.photos || []) out.add(sha);
  return out;
}

// Photos a form picked that no meeting or draft names any more (the form was thrown away, or
// a photo taken off it): deleted from the phone, unsent.
export async function forget(shas) {
  const kept = await named(true);
  for (const sha of shas) {
    if (kept.has(sha)) continue;
    const photo = await db.get('photos', sha);
    if (photo && !photo.complete) await db.remove('photos', sha);
  }
}
