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
 * timeZone: the debate's (its `time_zone`), for dates and times.
 * Returns a promise, settled once the chosen catalogue is loaded and applied;
 * when it already was (the usual case), everything is done before returning.
 */
export function setup(languages, switcher, timeZone) {
  if (timeZone !== undefined) setTimeZone(timeZone);
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

/**
 * The name of a language in the interface's language ("de" → "allemand" on
 * a French page), capitalised for a list; the tag itself if the browser
 * cannot name it.
 */
export function languageName(tag) {
  try {
    const name = new Intl.DisplayNames([current], { type: 'language' }).of(tag);
    if (name && name !== tag) return name.charAt(0).toLocaleUpperCase(current) + name.slice(1);
  } catch (_) {
    // An old browser or a malformed tag.
  }
  return NATIVE_NAMES[primary(tag)] || String(tag || '');
}

// The debate's time zone (GET /api/events/{id} `time_zone`, an IANA name),
// once the page knows it: its times are shown there, whatever the browser's
// own zone, and named when the two differ.
let pageZone = null;

function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch (_) {
    return null;
  }
}

/** Use the debate's time zone for dates and times; null or an unknown name: the browser's. */
export function setTimeZone(zone) {
  pageZone = null;
  if (typeof zone !== 'string' || !zone) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone }).format(0);
    pageZone = zone;
  } catch (_) {
    // Unknown to this browser: local times rather than none.
  }
}

function zoneOf(zone) {
  return zone === undefined ? pageZone : zone;
}

/** Intl.DateTimeFormat in the interface locale and the zone (or the browser's when it has none). */
function formatter(opts, zone) {
  const z = zoneOf(zone);
  try {
    return new Intl.DateTimeFormat(locale(), z ? { ...opts, timeZone: z } : opts);
  } catch (_) {
    return new Intl.DateTimeFormat(locale(), opts);
  }
}

/**
 * " (heure d’Europe centrale)" when the zone is not the browser's: people
 * following from elsewhere are told which clock the time is on. '' otherwise.
 */
function zoneSuffix(d, zone) {
  const z = zoneOf(zone);
  if (!z || z === browserZone()) return '';
  for (const style of ['longGeneric', 'long', 'short']) {
    try {
      const part = new Intl.DateTimeFormat(locale(), { timeZone: z, timeZoneName: style })
        .formatToParts(d).find((p) => p.type === 'timeZoneName');
      if (part && part.value) return ` (${part.value})`;
    } catch (_) {
      // That style is unknown to this browser: the next one.
    }
  }
  return ` (${z})`;
}

function valid(d) {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

/** A date and time in full, in the debate's zone (named if not the reader's). zone: to override. */
export function formatDateTime(iso, zone) {
  const d = new Date(iso);
  if (!valid(d)) return '';
  return formatter({ dateStyle: 'full', timeStyle: 'short' }, zone).format(d) + zoneSuffix(d, zone);
}

/** A short time (with the date unless it is today), in the debate's zone. */
export function formatTime(iso, zone) {
  const d = new Date(iso);
  if (!valid(d)) return '';
  const day = formatter({ dateStyle: 'short' }, zone);
  const sameDay = day.format(new Date()) === day.format(d);
  const opts = sameDay ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' };
  return formatter(opts, zone).format(d);
}

/** A debate's start and end, in its zone (named if not the reader's). */
export function formatRange(startIso, endIso, zone) {
  const a = new Date(startIso);
  const b = new Date(endIso);
  if (!valid(a)) return '';
  const fmt = formatter({ dateStyle: 'full', timeStyle: 'short' }, zone);
  if (!valid(b)) return fmt.format(a) + zoneSuffix(a, zone);
  try {
    return fmt.formatRange(a, b) + zoneSuffix(a, zone);
  } catch (_) {
    return `${fmt.format(a)} – ${fmt.format(b)}${zoneSuffix(a, zone)}`;
  }
}
