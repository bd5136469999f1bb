// Palabre — the visitor page's countdown to the start of a debate
// ("Starts in 2 days, 3 hours"), in the page's language, from this
// browser's clock. At zero it hides itself: the page's phase logic
// (visitor.js) turns the page live, from the stream's phase frame or its
// own clock, without a reload. Minutes are the finest step, so the text
// changes at most once a minute: no live region, nothing announced.

import { $ } from './dom.js';
import { t } from './i18n.js';

const MINUTE = 60e3;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let timer = null;
let startsAt = 0;

/** "2 jours et 3 heures", "1 hour, 5 minutes"… in `lang`, two units at most. */
export function formatLeft(ms, lang) {
  const d = Math.floor(ms / DAY);
  const h = Math.floor((ms % DAY) / HOUR);
  const m = Math.floor((ms % HOUR) / MINUTE);
  const units = d > 0 ? [[d, 'day'], [h, 'hour']] : h > 0 ? [[h, 'hour'], [m, 'minute']] : [[m, 'minute']];
  const words = units.filter(([n], i) => i === 0 || n > 0)
    .map(([n, unit]) => new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(n));
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(words);
}

function stop() {
  clearTimeout(timer);
  timer = null;
  $('#countdown-item').hidden = true;
}

function tick() {
  const left = startsAt - Date.now();
  if (left <= 0) {
    stop();
    return;
  }
  const lang = document.documentElement.lang || 'fr';
  $('#countdown').textContent = left < MINUTE ? t('visitor.countdown_soon') : t('visitor.countdown', { left: formatLeft(left, lang) });
  $('#countdown-item').hidden = false;
  clearTimeout(timer);
  // Just after the next minute boundary of what is left, or at the start.
  timer = setTimeout(tick, left < MINUTE ? left + 50 : (left % MINUTE) + 50);
}

/** Shows, updates or hides the countdown for the debate as it now stands. */
export function renderCountdown(ev) {
  startsAt = Date.parse(ev.starts_at);
  const before = ev.phase === 'scheduled' || ev.phase === 'pre_questions';
  if (!before || !(startsAt > Date.now())) {
    stop();
    return;
  }
  tick();
}
