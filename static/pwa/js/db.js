// The phone's data, in IndexedDB, through this one module. Stores: meta (key/value: device,
// cursor, plan, reference, status, settings), outbox (pending mutations in the order they were
// made), records (the synced copy, with local changes applied), drafts (half-filled forms),
// photos (downscaled images and how far their upload got).
const NAME = 'outreach';
const VERSION = 1;
let opened = null;

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open() {
  if (!opened) {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('meta', { keyPath: 'key' });
      const outbox = db.createObjectStore('outbox', { keyPath: 'n', autoIncrement: true });
      outbox.createIndex('mutation_id', 'mutation_id', { unique: true });
      outbox.createIndex('record_id', 'record_id');
      db.createObjectStore('records', { keyPath: 'id' });
      db.createObjectStore('drafts', { keyPath: 'id' });
      db.createObjectStore('photos', { keyPath: 'sha256' });
    };
    opened = done(request);
  }
  return opened;
}

async function store(name, mode = 'readonly') {
  const db = await open();
  return db.transaction(name, mode).objectStore(name);
}

export async function get(name, key) { return done((await store(name)).get(key)); }
export async function all(name) { return done((await store(name)).getAll()); }
export async function count(name) { return done((await store(name)).count()); }
// A write is done when its transaction is committed: a full disk (QuotaExceededError) fails the
// commit after the request itself succeeded, and a photo was then taken as kept when it was not.
function committed(request) {
  const tx = request.transaction;
  return new Promise((resolve, reject) => {
    request.onsuccess = () => {};
    tx.oncomplete = () => resolve(request.result);
    tx.onabort = () => reject(tx.error || request.error || new DOMException('not written', 'AbortError'));
  });
}
export async function put(name, value) { return committed((await store(name, 'readwrite')).put(value)); }
export async function remove(name, key) { return committed((await store(name, 'readwrite')).delete(key)); }
export async function clear(name) { return committed((await store(name, 'readwrite')).clear()); }

// Whether an error is the phone's storage being full.
export const isFull = (error) => error?.name === 'QuotaExceededError';

// How many different keys an index holds (the records with changes waiting: one walk over
// the index's keys, never the entries themselves).
export async function countKeys(name, index) {
  const cursor = (await store(name)).index(index).openKeyCursor(null, 'nextunique');
  return new Promise((resolve, reject) => {
    let n = 0;
    cursor.onsuccess = () => { if (cursor.result) { n += 1; cursor.result.continue(); } else resolve(n); };
    cursor.onerror = () => reject(cursor.error);
  });
}

export async function byIndex(name, index, key) {
  return done((await store(name)).index(index).getAll(key));
}

// Several writes across stores that must stand or fall together (a saved meeting is its
// outbox entry and its local record at once).
export async function atomically(names, work) {
  const db = await open();
  const tx = db.transaction(names, 'readwrite');
  const stores = Object.fromEntries(names.map((n) => [n, tx.objectStore(n)]));
  work(stores);
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export async function meta(key, fallback = null) {
  const row = await get('meta', key);
  return row === undefined ? fallback : row.value;
}

export async function setMeta(key, value) { return put('meta', { key, value }); }
