// The service worker and its updates: a new version waits until the user asks for it, and the
// page never reloads over a half-filled form.
import { t } from './i18n.js';
import { toast } from './ui.js';

export function watchForUpdates(formIsDirty) {
  if (!('serviceWorker' in navigator)) return;
  const banner = document.getElementById('update');
  let asked = false;
  navigator.serviceWorker.register('sw.js').then((registration) => {
    // a first install also passes through `waiting`: offer only a worker that would replace one
    const offer = () => { banner.hidden = !(registration.waiting && registration.active && navigator.serviceWorker.controller); };
    offer();
    registration.addEventListener('updatefound', () => {
      registration.installing?.addEventListener('statechange', offer);
    });
    document.getElementById('update-apply').addEventListener('click', () => {
      if (formIsDirty()) { toast(t('update.finish_form')); return; }
      asked = true;
      registration.waiting?.postMessage({ type: 'SKIP_WAITING' });
    });
    setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
  });
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (asked) location.reload();
  });
}
