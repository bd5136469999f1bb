// Palabre — moderator console: one compact line per question.
//
// A line is a disclosure button (aria-expanded) that holds, on one line:
// the time, the author (every author credited after a merge), the
// language, badges in words (flagged, handled by another moderator,
// edited, author banned or timed out…), the number of supports, and the
// text cut to the width. The screen reader reads that line as the button's
// name. Selectable lists (the shared queue) add a checkbox in front.
//
// Rows are built with as few elements as possible and updated in place:
// fillLine() compares a signature of what the line shows and redraws only
// when it changed, so that a busy queue (500 questions) redraws in a few
// milliseconds and the keyboard focus stays where it is.

import { clear, safeLang } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { state, heldByOther, isFlagged, authorNames } from './mod_store.js';

// Intl formatters are slow to make: one per language and form.
const formatters = new Map();

function formatter(kind) {
  const key = `${i18n.lang()}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const opts = kind === 'time' ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' };
    f = new Intl.DateTimeFormat(i18n.lang(), opts);
    formatters.set(key, f);
  }
  return f;
}

// Today's date, looked up at most once a minute (500 lines ask at once).
let today = { text: '', until: 0 };

function todayText() {
  const now = Date.now();
  if (now >= today.until) today = { text: new Date(now).toDateString(), until: now + 60000 };
  return today.text;
}

/** "18:05", or the date too when it is not today. */
export function shortTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return formatter(d.toDateString() === todayText() ? 'time' : 'date').format(d);
}

/** The plural form of a counted string (i18n.plural, kept here for the console's modules that import it from mod_rows.js). */
export const plural = i18n.plural;

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

let rowSeq = 0;

/** A new row for q. opts.selectable: with a checkbox (the shared queue). */
export function buildRow(q, { selectable = false, roving = false } = {}) {
  const li = document.createElement('li');
  li.className = 'q-row';
  li.dataset.id = q.id;
  li.dataset.n = String(++rowSeq);
  const line = document.createElement('div');
  line.className = 'q-line';
  if (selectable) {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'q-select';
    if (roving) box.tabIndex = -1;
    line.append(box);
  }
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'q-toggle';
  toggle.setAttribute('aria-expanded', 'false');
  if (roving) toggle.tabIndex = -1;
  line.append(toggle);
  li.append(line);
  fillLine(li, q);
  return li;
}

// A line's first child is its .q-line: [checkbox,] button.
export function toggleOf(li) {
  return li ? li.firstChild.lastChild : null;
}

export function checkboxOf(li) {
  const first = li ? li.firstChild.firstChild : null;
  return first && first.tagName === 'INPUT' ? first : null;
}

function badge(status, text) {
  const b = el('span', 'badge', text);
  b.dataset.status = status;
  return b;
}

/** The badges a question's line shows, as [status, words]. */
export function badgesOf(q) {
  const out = [];
  const holder = heldByOther(q);
  if (holder) out.push(['claimed', t('mod.badge_held', { label: holder })]);
  if (isFlagged(q)) out.push(['flagged', t('mod.badge_flagged')]);
  if (q.hidden) out.push(['hidden', t('mod.badge_hidden')]);
  if (q.forwarded && !q.answered) out.push(['forwarded', t('mod.badge_forwarded')]);
  if (q.answered) out.push(['answered', t('mod.badge_answered')]);
  if (q.edited) out.push(['edited', t('mod.badge_edited')]);
  const authors = authorNames(q).length;
  if (authors > 1) out.push(['merged', plural('mod.badge_authors', authors)]);
  if (state.guestNow === q.id) out.push(['now', t('mod.badge_now')]);
  if (state.banned.has(q.visitor_id)) out.push(['banned', t('mod.badge_banned')]);
  const until = state.timeouts.get(q.visitor_id);
  if (until && Date.parse(until) > Date.now()) out.push(['timeout', t('mod.badge_timeout', { time: shortTime(until) })]);
  return out;
}

function signature(q, badges) {
  const parts = [i18n.lang(), q.text, authorNames(q).join(','), q.lang, q.created_at, q.supports || 0];
  for (const [s, words] of badges) parts.push(s, words);
  return parts.join('\u0001');
}

/** Draws q's line in li, if what it shows changed. Returns true when redrawn. */
export function fillLine(li, q) {
  const badges = badgesOf(q);
  const sig = signature(q, badges);
  if (li.sig === sig) return false;
  li.sig = sig;
  const toggle = li.firstChild.lastChild;
  clear(toggle);
  const names = authorNames(q).join(', ');
  // Built by hand rather than with h(): 500 lines are drawn at once.
  const time = el('time', 'q-time', shortTime(q.created_at));
  if (q.created_at) time.setAttribute('datetime', q.created_at);
  toggle.append(time, el('bdi', 'msg-author q-author', names), el('span', 'q-lang', q.lang || ''));
  if (badges.length) {
    const box = el('span', 'q-badges');
    for (const [status, words] of badges) box.append(badge(status, words));
    toggle.append(box);
  }
  if (q.supports > 0) {
    const supports = el('span', 'q-supports');
    const shown = el('span', null, `▲${q.supports}`);
    shown.setAttribute('aria-hidden', 'true');
    supports.append(shown, el('span', 'visually-hidden', plural('mod.supports', q.supports)));
    toggle.append(supports);
  }
  const text = el('span', 'msg-text q-text', q.text || '');
  text.dir = 'auto';
  const lang = safeLang(q.lang);
  if (lang) text.lang = lang;
  toggle.append(text);
  const box = checkboxOf(li);
  if (box) box.setAttribute('aria-label', t('mod.select_question', { name: names }));
  li.classList.toggle('is-held', badges.some(([s]) => s === 'claimed'));
  li.classList.toggle('is-flagged', isFlagged(q));
  return true;
}

/** The reason code of a rejection in words. */
export function reasonText(code) {
  const key = `mod.reason_${code}`;
  const s = t(key);
  return s === key ? code : s;
}
