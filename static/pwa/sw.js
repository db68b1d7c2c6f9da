// The service worker: keeps the versioned app shell so the app opens with no network at all.
// API requests are never cached here: data lives in IndexedDB and moves by the sync protocol.
// A new version installs beside the old one and waits until the page asks for it.
const VERSION = '9ac39988808f';
const CACHE = `outreach-shell-${VERSION}`;
const SHELL = [
  './',
  'dashboard.html',
  'manifest.webmanifest',
  'css/app.css',
  'css/dashboard.css',
  'js/api.js',
  'js/app.js',
  'js/dashboard/app.js',
  'js/dashboard/compare.js',
  'js/dashboard/exports.js',
  'js/dashboard/filters.js',
  'js/dashboard/format.js',
  'js/dashboard/panels.js',
  'js/dashboard/progress.js',
  'js/dashboard/session.js',
  'js/dashboard/villagemap.js',
  'js/db.js',
  'js/followups.js',
  'js/i18n.js',
  'js/map.js',
  'js/photos.js',
  'js/position.js',
  'js/records.js',
  'js/rules.js',
  'js/signout.js',
  'js/sync.js',
  'js/ui.js',
  'js/update.js',
  'js/views/enrol.js',
  'js/views/followup-log.js',
  'js/views/followup.js',
  'js/views/meeting-checks.js',
  'js/views/meeting-parts.js',
  'js/views/meeting.js',
  'js/views/outbox.js',
  'js/views/plan.js',
  'js/views/settings.js',
  'js/villages.js',
  'i18n/kk.json',
  'i18n/ru.json',
  'i18n/en.json',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'icons/maskable-512.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(
    SHELL.map((path) => new Request(path, { cache: 'reload' })),
  )));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('outreach-shell-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || !url.href.startsWith(self.registration.scope)) return;
  // The console is online only and never served from this cache.
  if (/\/console\.html$|\/(js|i18n)\/console\/|\/css\/console\.css$/.test(url.pathname)) return;
  if (event.request.mode === 'navigate') {
    const page = url.pathname.endsWith('dashboard.html') ? 'dashboard.html' : './';
    event.respondWith(caches.match(page, { cacheName: CACHE }).then((hit) => hit || fetch(event.request)));
    return;
  }
  event.respondWith(caches.match(event.request, { cacheName: CACHE, ignoreSearch: true })
    .then((hit) => hit || fetch(event.request)));
});

// Background Sync, where the browser has it: wake an open page to sync.
self.addEventListener('sync', (event) => {
  if (event.tag !== 'outreach-sync') return;
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then((pages) => {
    for (const page of pages) page.postMessage({ type: 'SYNC' });
  }));
});
