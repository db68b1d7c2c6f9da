// Settings: language (Kazakh by default, Russian, English), recording positions, this device,
// enrolling again.
import { APP_VERSION } from '../api.js';
import * as db from '../db.js';
import { LANGUAGES, lang, t } from '../i18n.js';
import { recording, setRecording } from '../position.js';
import { h, show, teamName } from '../ui.js';

const NAMES = { kk: 'Қазақша', ru: 'Русский', en: 'English' };

export async function render(view, switchLanguage) {
  const device = await db.meta('device');
  const select = h('select', { id: 'language', name: 'language' },
    LANGUAGES.map((l) => h('option', { value: l, selected: l === lang(), text: NAMES[l] })));
  select.addEventListener('change', () => switchLanguage(select.value));
  const positions = h('input', { type: 'checkbox', id: 'record-position', name: 'record_position',
    checked: await recording(), onchange: () => setRecording(positions.checked) });
  const row = (key, value) => [h('dt', { text: t(key) }), h('dd', { text: value ?? '—' })];
  show(view, 
    h('h1', { text: t('settings.title') }),
    h('label', { for: 'language', text: t('settings.language') }), select,
    h('h2', { text: t('meeting.position') }),
    h('label', { class: 'check' }, positions, t('settings.record_position')),
    h('p', { class: 'muted', text: t('settings.record_position_hint') }),
    h('h2', { text: t('settings.device') }),
    h('dl', {}, row('settings.user', device?.name), row('settings.team', device?.team && teamName(device.team)),
      row('settings.label', device?.label), row('settings.device_id', device?.device_id),
      row('settings.enrolled', device?.enrolled_at?.slice(0, 10)), row('settings.version', APP_VERSION),
      row('settings.server', await db.meta('server_id'))),
    h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: '#/enrol', text: t('settings.enrol_again') }),
      h('a', { class: 'button secondary', href: 'dashboard.html', text: t('settings.dashboard') })),
  );
}
