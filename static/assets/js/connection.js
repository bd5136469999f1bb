// Palabre — the live connection's status line (#connection), shared by the
// visitor page and the consoles: the LiveStream's state in words, and
// data-state / data-transport for the stylesheet and the tests.
//
// On long-poll (a network that holds Server-Sent Events back, stream.js)
// the line says the page is connected in a slow mode; the visitor page adds
// a link to the plain read-only view of the thread when it has one.
//
// With the debate's phase (visitor page, embed), an open connection reads
// "En direct" only while the debate is live: before or after it, "Connecté"
// (the page still updates by itself); on a scheduled or closed debate the
// line is hidden while the connection is fine, so that nobody takes it for
// "live now" next to "Terminé". A lost connection always shows.

import { h, clear } from './dom.js';
import { t } from './i18n.js';

/** The words for a LiveStream state and its info ({transport, delay}). */
export function connectionText(state, info = {}, phase = null) {
  if (state === 'open') {
    if (info.transport === 'poll') return t('stream.open_poll');
    return t(phase === null || phase === 'live' ? 'stream.open' : 'stream.open_idle');
  }
  if (state === 'reconnecting' && info.delay) return t('stream.retry_in', { n: Math.max(1, Math.round(info.delay / 1000)) });
  if (state === 'reconnecting') return t('stream.reconnecting');
  if (state === 'connecting') return t('stream.connecting');
  return '';
}

const QUIET_PHASES = ['scheduled', 'closed'];

/**
 * Shows a LiveStream's state in `el`. plainViewUrl: where the plain view of
 * the thread is, offered while on long-poll (visitor page), or null. phase:
 * the debate's phase (visitor page, embed), or null (consoles: always shown).
 */
export function showConnection(el, state, info = {}, { plainViewUrl = null, phase = null } = {}) {
  el.dataset.state = state;
  el.dataset.transport = info.transport || '';
  el.hidden = QUIET_PHASES.includes(phase) && (state === 'open' || state === 'connecting');
  clear(el);
  el.append(connectionText(state, info, phase));
  if (plainViewUrl && state === 'open' && info.transport === 'poll') {
    el.append(' ', h('a', { href: plainViewUrl, text: t('visitor.plain_view') }));
  }
}
