// Palabre — interface strings and the choice of language.
//
// The catalogues live in i18n/<lang>.js, one `export default { key: text }`
// per language, and are loaded on demand: French (the reference and the
// fallback) and the language the page will most likely show, before any page
// script runs (top-level await below), so t() stays synchronous; another one
// only when the debate or the visitor asks for it (setup(), switchTo()).
//
// The language is chosen, in order, from: the visitor's earlier choice
// (localStorage), the first of navigator.languages that the event offers, the
// event's default language (its first). Pages list their static strings with
// data-i18n="key" (text) and data-i18n-attr="aria-label:key;title:key2"
// (attributes); apply() fills them in and <html lang> follows. Strings built
// in JS call t(key, {var}). When the event offers several languages that the
// interface knows, a switcher (buttons with aria-pressed) is shown.
//
// To add a language: copy i18n/fr.js to i18n/<code>.js and translate every
// value (keep the keys and the {placeholders}); add <code> to SUPPORTED and its
// own name to NATIVE_NAMES below; add it to PageLang in fcgi/api/page_text.*
// for the server-written pages; run tests/integration/i18n_catalogue.test.js.

export const SUPPORTED = ['fr', 'en', 'de', 'it', 'es', 'pl'];
const NATIVE_NAMES = { fr: 'Français', en: 'English', de: 'Deutsch', it: 'Italiano', es: 'Español', pl: 'Polski' };
const FALLBACK = 'fr';
const STORE_KEY = 'palabre.lang';

// Loaded catalogues by language; a language is usable once it is here.
const catalogues = {};
const loading = {};

let current = FALLBACK;
let offered = SUPPORTED.slice();
let eventLanguages = null;
const listeners = [];

function load(l) {
  if (!loading[l]) {
    loading[l] = import(`./i18n/${l}.js`).then(
      (m) => {
        catalogues[l] = m.default;
      },
      () => {
        // Offline or gone: the page stays in a language it has; a later
        // attempt may succeed.
        delete loading[l];
      },
    );
  }
  return loading[l];
}

function primary(tag) {
  return String(tag || '').toLowerCase().split('-')[0];
}

function stored() {
  try {
    return window.localStorage.getItem(STORE_KEY);
  } catch (_) {
    return null;
  }
}

function choose(candidates) {
  const saved = stored();
  if (saved && candidates.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language]) {
    const p = primary(tag);
    if (candidates.includes(p)) return p;
  }
  return candidates[0];
}

// Before any page script runs: the fallback and the browser's likely choice,
// fetched side by side. A debate in another language costs one more request
// in setup().
await Promise.all([load(FALLBACK), load(choose(SUPPORTED))]);

/** The language l if its catalogue is here, else one that is. */
function usable(l) {
  return catalogues[l] ? l : FALLBACK;
}

/** Current interface language (one of SUPPORTED). */
export function lang() {
  return current;
}

/** t('visitor.counter', {n: 3, max: 2000}) */
export function t(key, vars) {
  const table = catalogues[current] || {};
  let s = table[key];
  if (s === undefined) s = catalogues[FALLBACK] && catalogues[FALLBACK][key] !== undefined ? catalogues[FALLBACK][key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (vars[name] !== undefined ? String(vars[name]) : m));
  return s;
}

const pluralRules = new Map();

/**
 * t() of `${base}_${form}`, form being the interface language's plural
 * category for n (Intl.PluralRules: one, few, many, other…): Polish needs
 * three forms where French and English need two. A catalogue that has no
 * key for that category gets `${base}_other`. {n} is filled in.
 */
export function plural(base, n, vars = {}) {
  let form = n === 1 ? 'one' : 'other';
  try {
    let rules = pluralRules.get(current);
    if (!rules) {
      rules = new Intl.PluralRules(current);
      pluralRules.set(current, rules);
    }
    form = rules.select(n);
  } catch (_) {
    // The simple rule above.
  }
  const table = catalogues[current] || {};
  const key = table[`${base}_${form}`] !== undefined ? `${base}_${form}` : `${base}_other`;
  return t(key, { n, ...vars });
}

/** Fill data-i18n / data-i18n-attr elements under root. */
export function apply(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((x) => x.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

function setCurrent(l) {
  current = l;
  document.documentElement.lang = l;
  apply(document);
}

/** First step, before the event is known: pick from the browser's languages. */
export function init() {
  setCurrent(usable(choose(SUPPORTED)));
}

/**
 * Once the event is known: offer the languages it lists that the interface
 * knows (all of them for pages without an event), pick one, draw the switcher.
 * Returns a promise, settled once the chosen catalogue is loaded and applied;
 * when it already was (the usual case), everything is done before returning.
 */
export function setup(languages, switcher) {
  eventLanguages = Array.isArray(languages) && languages.length ? languages : null;
  if (eventLanguages) {
    offered = [];
    for (const tag of eventLanguages) {
      const p = primary(tag);
      if (SUPPORTED.includes(p) && !offered.includes(p)) offered.push(p);
    }
    if (!offered.length) offered = SUPPORTED.slice();
  } else {
    offered = SUPPORTED.slice();
  }
  const wanted = choose(offered);
  const finish = () => {
    setCurrent(usable(wanted));
    renderSwitcher(switcher);
  };
  if (catalogues[wanted]) {
    finish();
    return Promise.resolve();
  }
  return load(wanted).then(finish);
}

function renderSwitcher(container) {
  if (!container) return;
  while (container.firstChild) container.removeChild(container.firstChild);
  if (offered.length < 2) return;
  const group = document.createElement('ul');
  group.className = 'lang-switch';
  group.dataset.i18nAttr = 'aria-label:common.language';
  group.setAttribute('aria-label', t('common.language'));
  for (const l of offered) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.lang = l;
    b.textContent = NATIVE_NAMES[l] || l;
    b.setAttribute('aria-pressed', String(l === current));
    b.addEventListener('click', async () => {
      await switchTo(l);
      for (const other of group.querySelectorAll('button')) {
        other.setAttribute('aria-pressed', String(other.lang === current));
      }
    });
    li.append(b);
    group.append(li);
  }
  container.append(group);
}

/**
 * Change language at the visitor's request, remember it, tell the page.
 * Returns a promise: the catalogue may have to be fetched first.
 */
export async function switchTo(l) {
  if (!SUPPORTED.includes(l) || l === current) return;
  if (!catalogues[l]) await load(l);
  if (!catalogues[l]) return; // could not fetch it: stay as we are
  try {
    window.localStorage.setItem(STORE_KEY, l);
  } catch (_) {
    // Not remembered; still switched.
  }
  setCurrent(l);
  for (const fn of listeners) fn(l);
}

export function onChange(fn) {
  listeners.push(fn);
}

/** The event's language tag to send with what the visitor writes. */
export function contentLang(languages) {
  const list = Array.isArray(languages) && languages.length ? languages : eventLanguages;
  if (!list || !list.length) return current;
  return list.find((tag) => primary(tag) === current) || list[0];
}

/** Locale for dates: the browser's own variant of the interface language (fr-CA, en-GB…). */
function locale() {
  for (const tag of navigator.languages || [navigator.language]) {
    if (primary(tag) === current) return tag;
  }
  return current;
}

function valid(d) {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

export function formatDateTime(iso) {
  const d = new Date(iso);
  if (!valid(d)) return '';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'full', timeStyle: 'short' }).format(d);
}

export function formatTime(iso) {
  const d = new Date(iso);
  if (!valid(d)) return '';
  const sameDay = new Date().toDateString() === d.toDateString();
  const opts = sameDay ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' };
  return new Intl.DateTimeFormat(locale(), opts).format(d);
}

export function formatRange(startIso, endIso) {
  const a = new Date(startIso);
  const b = new Date(endIso);
  if (!valid(a)) return '';
  const fmt = new Intl.DateTimeFormat(locale(), { dateStyle: 'full', timeStyle: 'short' });
  if (!valid(b)) return fmt.format(a);
  try {
    return fmt.formatRange(a, b);
  } catch (_) {
    return `${fmt.format(a)} – ${fmt.format(b)}`;
  }
}
