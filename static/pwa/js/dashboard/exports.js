// Downloads of what the dashboard shows, under the same filters: one level as CSV (comma, or
// semicolon for Excel in Russian and Kazakh locales), the whole workbook, the villages as
// GeoJSON. Each file is audited by the server.
import { t } from '../i18n.js';
import { field, h } from '../ui.js';

export const LEVELS = ['villages', 'districts', 'okrugs', 'progress', 'funnel', 'funnel_by_district',
  'funnel_by_programme', 'targets', 'teams', 'campaigns', 'weeks', 'headline'];

export function exportsPanel(query, chosen, onLevel) {
  const level = h('select', { name: 'level', id: 'export-level' },
    LEVELS.map((key) => h('option', { value: key, text: t(`dash.level.${key}`), selected: key === chosen })));
  const link = (id, href, text, file) => h('a', { id, class: 'button secondary', href, download: file, text });
  const csv = (delimiter) => `/api/v1/coverage.csv${query({ level: level.value, delimiter })}`;
  const comma = link('export-csv', csv('comma'), t('dash.export.csv'), `coverage-${level.value}.csv`);
  const semicolon = link('export-csv-semicolon', csv('semicolon'), t('dash.export.csv_semicolon'), `coverage-${level.value}-excel.csv`);
  level.addEventListener('change', () => {
    onLevel(level.value);
    comma.href = csv('comma');
    comma.download = `coverage-${level.value}.csv`;
    semicolon.href = csv('semicolon');
    semicolon.download = `coverage-${level.value}-excel.csv`;
  });
  return h('section', { class: 'panel wide', id: 'exports' }, h('h2', { text: t('dash.exports') }),
    h('p', { class: 'muted', text: t('dash.exports_note') }),
    h('div', { class: 'export-row' }, field('dash.export.level', level),
      h('div', { class: 'actions' }, comma, semicolon)),
    h('div', { class: 'actions' },
      link('export-xlsx', `/api/v1/coverage.xlsx${query()}`, t('dash.export.xlsx'), 'coverage.xlsx'),
      link('export-geojson', `/api/v1/coverage.geojson${query()}`, t('dash.export.geojson'), 'coverage.geojson')));
}
