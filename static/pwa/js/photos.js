// Photos of attendance sheets: downscaled on the phone, named by their SHA-256, kept until
// uploaded.
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
