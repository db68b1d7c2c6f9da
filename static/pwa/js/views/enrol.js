// Sign in with an enrolment code from a coordinator, typed or scanned from its QR code.
import * as api from '../api.js';
import * as db from '../db.js';
import { codeText, t } from '../i18n.js';
import { leaveTeam, syncNow, waitingRecords } from '../sync.js';
import { field, h, toast, show } from '../ui.js';

async function scan(input) {
  const detector = new BarcodeDetector({ formats: ['qr_code'] });
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  const video = h('video', { playsinline: true, muted: true });
  video.srcObject = stream;
  input.closest('form').prepend(video);
  await video.play();
  try {
    for (let tries = 0; tries < 600; tries += 1) {
      const [found] = await detector.detect(video);
      if (found) { input.value = found.rawValue; return; }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    stream.getTracks().forEach((track) => track.stop());
    video.remove();
  }
}

export async function render(view) {
  const device = await db.meta('device');
  const code = h('input', { name: 'code', autocomplete: 'one-time-code', autocapitalize: 'characters',
    required: true, minlength: 8, maxlength: 40 });
  const label = h('input', { name: 'label', value: device?.label || t('enrol.default_label'), maxlength: 100 });
  const message = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { novalidate: true },
    field('enrol.code', code, t('enrol.code_hint')), field('enrol.label', label), message,
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: t('enrol.submit') }),
      'BarcodeDetector' in window
        ? h('button', { type: 'button', class: 'secondary', text: t('enrol.scan'),
          onclick: () => scan(code).catch(() => toast(t('enrol.scan_failed'))) })
        : null));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    if (code.value.replace(/[^0-9a-z]/gi, '').length < 8) { message.textContent = t('error.code'); return; }
    try {
      const enrolled = await api.enrol(code.value.trim(), label.value.trim() || 'phone');
      if (device && device.team !== enrolled.user.team) await leaveTeam();
      await db.setMeta('device', { token: enrolled.device_token, label: label.value.trim(),
        device_id: enrolled.device.id, login: enrolled.user.login, team: enrolled.user.team,
        name: enrolled.user.display_name, enrolled_at: new Date().toISOString() });
      if (navigator.storage?.persist) await db.setMeta('persisted', await navigator.storage.persist());
      toast(t('enrol.done'));
      location.hash = '#/plan';
      syncNow('enrolled');
    } catch (error) {
      message.textContent = error instanceof api.ApiError ? t('enrol.refused', { message: codeText(error.code, error.message) }) : t('error.offline');
    }
  });
  const pending = await waitingRecords();
  show(view, h('h1', { text: t('enrol.title') }),
    device?.refused ? h('p', { class: 'errors', text: t(`refused.${device.refused}`) }) : null,
    pending ? h('p', { class: 'ok', text: t('enrol.keeps', { n: pending }) }) : null,
    h('p', { text: t('enrol.intro') }), form,
    h('p', { class: 'muted' }, h('a', { href: 'console.html', text: t('enrol.console_link') })));
}
