// Every visible string comes from i18n/<lang>.json; Kazakh is the default.
export const LANGUAGES = ['kk', 'ru', 'en'];
let strings = {};
let current = 'kk';

// `parts`: catalogues of one screen set kept apart (i18n/<part>/<lang>.json), e.g. the console's,
// so that the field app never downloads them.
export async function load(lang, parts = []) {
  current = LANGUAGES.includes(lang) ? lang : 'kk';
  const files = [`i18n/${current}.json`, ...parts.map((part) => `i18n/${part}/${current}.json`)];
  const loaded = await Promise.all(files.map(async (file) => (await fetch(file)).json()));
  strings = Object.assign({}, ...loaded);
  document.documentElement.lang = current;
  return current;
}

export function lang() { return current; }

export function t(key, vars = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export function apply(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  }
}

// A place's name in the chosen language, else in another one the gazetteer has.
export function name(names) {
  if (!names) return '';
  return names[current] || names.kk || names.ru || names.en || '';
}

// A server's error code in the user's language. The server's own words (English) are shown
// only in the English app, and only for a code no catalogue knows yet.
export function codeText(code, message) {
  const key = `errcode.${code}`;
  if (key in strings) return t(key);
  return current === 'en' && message ? message : t('errcode.unknown', { code });
}
